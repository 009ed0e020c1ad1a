import Foundation

/// The streaming FHIR readers for other importers (patient records): finds the files under a set
/// of inputs (files, folders, zip archives, with the formulary importers' archive limits), judges
/// each by its content, and hands over the resources of a FHIR file one at a time as element trees
/// (a lone resource, each entry of a Bundle, each line of an NDJSON bulk export), in JSON or XML,
/// under the same XML safety policy (`XMLStreamReader.Policy`: no DTD, no entities, no network,
/// libxml2's fixed limits) and JSON limits (`JSONLimits.default`).
///
/// Malformed JSON or XML fails with `ImportError.invalidRows` naming the file, line and column, as
/// the formulary importers report it; so does well-formed JSON or XML that is not a FHIR resource.
/// What a file is not (a README, a CSV) is the caller's to decide: `content` says what its first
/// bytes are and `data(of:maxBytes:)` reads a small one whole.
///
/// The object owns the temporary copies of nested archives; keep it alive while reading.
public final class FHIRResourceStream {
    /// What a file's first bytes say it is.
    public enum Content: Hashable, Sendable {
        /// One JSON document (a resource, a Bundle, or some other JSON).
        case json
        /// One JSON document per line (`.ndjson`, `.jsonl`).
        case ndjson
        /// One XML document.
        case xml
        /// Neither JSON nor XML; the reason says why (`it is empty`).
        case other(reason: String)
    }

    /// One file found under the inputs.
    public struct File: Sendable {
        /// The path people recognize: `records/eob.json`, `export.zip!/ExplanationOfBenefit.ndjson`.
        public let displayName: String
        /// The last path component.
        public let fileName: String
        public let content: Content
        /// The size when known in advance.
        public let byteCount: Int64?
        let input: InputFile
    }

    /// What reading one file found.
    public struct Summary: Hashable, Sendable {
        /// `JSON resource`, `JSON Bundle (searchset)`, `NDJSON`, `XML Bundle (collection)`.
        public var container: String
        public var resources: Int
    }

    /// Every regular file under the inputs, in input order (folders sorted by path).
    public let files: [File]
    private let catalog: InputCatalog

    /// Finds the files under `inputs`.
    /// - Throws: `ImportError.fileNotFound` for a missing path, `.badArchive` or
    ///   `.archiveLimitExceeded` for a refused zip, `.unreadable` for a folder that cannot be listed.
    public init(inputs: [URL], limits: ArchiveLimits = ArchiveLimits()) throws {
        let catalog = try InputCatalog(inputs: inputs, limits: limits)
        self.catalog = catalog
        files = catalog.files.map { file in
            let content: Content = switch FHIRFileKind.sniff(file) {
            case .json: .json
            case .ndjson: .ndjson
            case .xml: .xml
            case .other(let reason): .other(reason: reason)
            }
            return File(displayName: file.displayName, fileName: file.fileName, content: content, byteCount: file.byteCount, input: file)
        }
    }

    /// True when the file holds FHIR by its content: JSON whose top-level object has a
    /// `resourceType` (NDJSON: its first line), or XML whose root is in the FHIR namespace. Cheap:
    /// it reads at most 1 MiB and never parses XML past the root tag.
    public func holdsFHIR(_ file: File) -> Bool {
        FHIRImporter.isFHIR(file.input)
    }

    /// True when `url` (a file, or a folder or zip holding such a file) holds FHIR, as the
    /// formulary importers detect it.
    public static func recognizes(_ url: URL) -> Bool {
        FHIRImporter.recognizes(url)
    }

    /// Streams the resources of a JSON, NDJSON or XML file to `deliver`, in file order.
    /// - Parameter keepContained: keep each resource's `contained` resources as `contained`
    ///   children (JSON and XML alike: the inner resource's elements plus a `resourceType` child).
    /// - Throws: `ImportError.invalidRows` with the file, line and column for malformed JSON or XML,
    ///   XML the safety policy refuses, or a document that is not a FHIR resource; `deliver`'s own
    ///   errors unchanged.
    @discardableResult
    public func read(_ file: File, keepContained: Bool = false, deliver: (FHIRStreamedResource) throws -> Void) throws -> Summary {
        let source = InputFileByteSource(file: file.input)
        defer { source.cancel() }
        let name = file.displayName
        do {
            switch file.content {
            case .json:
                let reader = JSONReader(source: source)
                var resources = FHIRJSONResourceReader()
                resources.keepContained = keepContained
                try resources.read(reader) { record in try deliver(FHIRStreamedResource(record, file: name)) }
                try reader.finish()
                return Summary(container: Self.container(bundleType: resources.bundleType, json: true), resources: resources.resourceCount)
            case .ndjson:
                let lines = NDJSONLineSource(base: source)
                var count = 0
                while try lines.nextLine() {
                    let reader = JSONReader(source: lines, readSize: 64 << 10)
                    var resources = FHIRJSONResourceReader(firstRecordNumber: lines.lineNumber, lineOffset: lines.lineNumber - 1)
                    resources.keepContained = keepContained
                    do {
                        try resources.read(reader) { record in try deliver(FHIRStreamedResource(record, file: name)) }
                        try reader.finish()
                    } catch let error as JSONError {
                        throw error.relocated(toLine: lines.lineNumber, offset: lines.lineOffset)
                    }
                    count += resources.resourceCount
                }
                return Summary(container: "NDJSON", resources: count)
            case .xml:
                let parser = try XMLStreamReader { buffer in try source.read(into: buffer) }
                return try withoutActuallyEscaping(deliver) { deliver in
                    // The handler keeps its closure; it does not outlive `parse`.
                    let handler = FHIRXMLResourceReader(keepContained: keepContained) { record in
                        try deliver(FHIRStreamedResource(record, file: name))
                    }
                    try parser.parse(into: handler)
                    return Summary(container: Self.container(bundleType: handler.bundleType, json: false), resources: handler.resourceCount)
                }
            case .other(let reason):
                throw ImportError.invalidRows(
                    problems: [RowProblem(file: name, line: 0, expected: "FHIR JSON, NDJSON or XML (\(reason))")], total: 1)
            }
        } catch let error as JSONError {
            throw error.importError(file: name)
        } catch let error as XMLStreamError {
            throw ImportError.invalidRows(problems: [error.rowProblem(file: name)], total: 1)
        }
    }

    /// The whole file, for small non-FHIR inputs (a monitoring log, a profile).
    /// - Throws: `ImportError.unreadable` past `maxBytes`, and the read errors of `InputFile`.
    public func data(of file: File, maxBytes: Int) throws -> Data {
        var data = Data()
        if let size = file.byteCount, size > Int64(maxBytes) {
            throw ImportError.unreadable(path: file.displayName, reason: "it is larger than \(maxBytes) bytes")
        }
        _ = try file.input.stream { chunk in
            guard data.count + chunk.count <= maxBytes else {
                throw ImportError.unreadable(path: file.displayName, reason: "it is larger than \(maxBytes) bytes")
            }
            data.append(contentsOf: chunk)
        }
        return data
    }

    private static func container(bundleType: String?, json: Bool) -> String {
        let syntax = json ? "JSON" : "XML"
        guard let bundleType else { return "\(syntax) resource" }
        return "\(syntax) Bundle (\(bundleType))"
    }
}

/// One resource read by `FHIRResourceStream`: its element tree and where it is.
public struct FHIRStreamedResource: Sendable {
    /// The resource; its `name` is the resource type.
    public let element: FHIRElement
    /// The file's display name.
    public let file: String
    /// 1-based position among the file's resources (Bundle entry, NDJSON line, 1 for a lone resource).
    public let recordNumber: Int
    /// The Bundle entry's `fullUrl` (`urn:uuid:…`), which other entries may use as a reference.
    public let fullURL: String?
    /// True for XML.
    public let isXML: Bool
    private let basePath: String

    init(_ record: FHIRResourceRecord, file: String) {
        element = record.element
        self.file = file
        recordNumber = record.recordNumber
        fullURL = record.fullURL
        isXML = record.serialization == .xml
        basePath = record.basePath
    }

    public var resourceType: String { element.name }
    public var id: String? { element.string("id") }
    /// The line the resource starts on.
    public var line: Int { element.line }

    /// `ExplanationOfBenefit/pde-89`, or `ExplanationOfBenefit (record 3)` without an id.
    public var label: String {
        if let id, !id.isEmpty { return "\(resourceType)/\(id)" }
        return "\(resourceType) (record \(recordNumber))"
    }

    /// A path inside the resource (`.item[0].productOrService`) as the file's reader would write it:
    /// a JSON path for JSON, a FHIRPath-style element path for XML.
    public func render(_ relativePath: String) -> String {
        isXML ? (basePath.isEmpty ? "" : basePath + ".") + resourceType + relativePath : basePath + relativePath
    }
}
