import Foundation

/// How a file is read, judged by its first bytes and, for NDJSON, its name: a folder of FHIR
/// resources often holds a README or a manifest, and a renamed file is still what its content says.
enum FHIRFileKind: Hashable, Sendable {
    /// One JSON document: a resource or a Bundle.
    case json
    /// FHIR bulk data: one resource per line (`.ndjson`, `.jsonl`).
    case ndjson
    /// One XML document: a resource or a Bundle.
    case xml
    /// Not FHIR; the reason says why.
    case other(String)

    /// The role recorded with the file in provenance.
    var role: String {
        switch self {
        case .json: "FHIR JSON"
        case .ndjson: "FHIR NDJSON"
        case .xml: "FHIR XML"
        case .other: "not FHIR"
        }
    }

    /// Reads the first non-blank byte: `{` is JSON (NDJSON when the name says so), `<` is XML.
    /// A file named `.json`, `.ndjson` or `.xml` is read as such whatever it starts with, so the
    /// parser reports what is wrong with it instead of the file being silently skipped.
    static func sniff(_ file: InputFile) -> FHIRFileKind {
        let name = file.fileName.lowercased()
        let isNDJSONName = name.hasSuffix(".ndjson") || name.hasSuffix(".jsonl")
        let first = firstSignificantByte(file)
        switch first {
        case UInt8(ascii: "{")?, UInt8(ascii: "[")?: return isNDJSONName ? .ndjson : .json
        case UInt8(ascii: "<")?: return .xml
        default:
            if isNDJSONName { return .ndjson }
            if name.hasSuffix(".json") { return .json }
            if name.hasSuffix(".xml") { return .xml }
            return .other(first == nil ? "it is empty" : "it is neither JSON nor XML")
        }
    }

    /// The first byte that is not whitespace or a UTF-8 byte order mark, within the first 64 KiB.
    private static func firstSignificantByte(_ file: InputFile) -> UInt8? {
        let source = InputFileByteSource(file: file, chunkSize: 64 << 10, bufferCount: 2)
        defer { source.cancel() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { buffer.deallocate() }
        guard let count = try? source.read(into: buffer), count > 0 else { return nil }
        var index = 0
        if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { index = 3 }
        while index < count {
            let byte = buffer[index]
            if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { return byte }
            index += 1
        }
        return nil
    }
}
