/// One resource read from a file, with what a problem report needs to point at it.
struct FHIRResourceRecord: Sendable {
    /// Which serialization it came from: paths are rendered the way its readers look things up.
    enum Serialization: Hashable, Sendable {
        case json
        case xml
    }

    /// The resource; its `name` is the resource type (`Basic`, `InsurancePlan`).
    var element: FHIRElement
    /// 1-based position among the file's resources (Bundle entry, NDJSON line, 1 for a lone resource).
    var recordNumber: Int
    /// The Bundle entry's `fullUrl`, which other entries may use as a reference (`urn:uuid:…`).
    var fullURL: String?
    var serialization: Serialization
    /// Where the resource sits in its file: `$.entry[3].resource` (JSON) or `Bundle.entry[3].resource` (XML).
    var basePath: String

    var resourceType: String { element.name }
    var id: String? { element.string("id") }

    /// A path inside the resource (`.extension[5].valueBoolean`) as its file's reader would write it:
    /// a JSON path for JSON, a FHIRPath-style element path (0-based indexes) for XML.
    func render(_ relativePath: String) -> String {
        switch serialization {
        case .json: basePath + relativePath
        case .xml: (basePath.isEmpty ? "" : basePath + ".") + resourceType + relativePath
        }
    }

    /// How a reject names the resource: `Basic/FormularyItem-D1002-1049640 (record 3)`.
    var label: String {
        "\(resourceType)/\(id ?? "(no id)") (record \(recordNumber))"
    }
}
