import Foundation
import ZIPFoundation

extension FHIRImporter {
    /// True when `url` holds FHIR, judged by content: JSON whose top-level object has a
    /// `resourceType`, NDJSON whose first line does, or XML whose root element is in the
    /// `http://hl7.org/fhir` namespace; a folder or zip with such a file. Cheap: it reads at most
    /// 1 MiB of at most 50 files, and never parses an XML document past its root tag.
    public static func recognizes(_ url: URL) -> Bool {
        ContentSniffer.holds(url, extensions: ["json", "ndjson", "jsonl", "xml"], where: isFHIR)
    }

    static func isFHIR(_ file: InputFile) -> Bool {
        switch FHIRFileKind.sniff(file) {
        case .json: hasResourceType(file, ndjson: false)
        case .ndjson: hasResourceType(file, ndjson: true)
        case .xml: hasFHIRRoot(file)
        case .other: false
        }
    }

    /// Looks for a top-level `resourceType` key, skipping other members, within the first 1 MiB.
    private static func hasResourceType(_ file: InputFile, ndjson: Bool) -> Bool {
        let source = InputFileByteSource(file: file, chunkSize: 64 << 10, bufferCount: 2)
        defer { source.cancel() }
        let reader: JSONReader
        if ndjson {
            let lines = NDJSONLineSource(base: source, chunkSize: 64 << 10)
            guard (try? lines.nextLine()) == true else { return false }
            reader = JSONReader(source: lines, readSize: 64 << 10)
        } else {
            reader = JSONReader(source: source, readSize: 64 << 10)
        }
        do {
            try reader.beginObject()
            while let key = try reader.nextKey() {
                if key == "resourceType" { return (try? reader.readString()) != nil }
                if reader.bytesConsumed > 1 << 20 { return false }
            }
        } catch {
            return false
        }
        return false
    }

    /// Parses up to the root start tag and checks its namespace.
    private static func hasFHIRRoot(_ file: InputFile) -> Bool {
        if case .root(_, .fhir, _, _) = XMLRootProbe.probe(file) { return true }
        return false
    }
}
