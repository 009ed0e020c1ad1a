import Foundation

/// One element's start tag as `XMLStreamReader` reports it to its handler: name, namespace,
/// attributes and position, read straight from the parser's buffers.
///
/// Valid only during the `startElement` call that receives it: the attribute bytes belong to
/// libxml2 and are reused afterwards. Copy what you need (`attribute(_:)` returns a `String`).
struct XMLStartTag {
    /// The namespaces a FHIR reader tells apart.
    enum Namespace: Hashable, Sendable {
        /// `http://hl7.org/fhir`
        case fhir
        /// `http://www.w3.org/1999/xhtml`, the narrative.
        case xhtml
        /// No namespace at all.
        case none
        case other(String)

        static let fhirURI = "http://hl7.org/fhir"
        static let xhtmlURI = "http://www.w3.org/1999/xhtml"

        init(uri: String?) {
            switch uri {
            case nil: self = .none
            case Self.fhirURI?: self = .fhir
            case Self.xhtmlURI?: self = .xhtml
            case let other?: self = .other(other)
            }
        }

        /// How a message names it.
        var displayName: String {
            switch self {
            case .fhir: "the FHIR namespace (\(Self.fhirURI))"
            case .xhtml: "the XHTML namespace"
            case .none: "no namespace"
            case .other(let uri): "the namespace \(uri)"
            }
        }
    }

    let localName: String
    let namespace: Namespace
    /// 1-based line and column where the start tag ends (libxml2's position after reading it).
    let line: Int
    let column: Int
    /// libxml2's SAX2 layout: five pointers per attribute (local name, prefix, URI, value start, value end).
    private let attributes: UnsafePointer<UnsafePointer<UInt8>?>?
    private let attributeCount: Int

    init(localName: String, namespace: Namespace, line: Int, column: Int,
         attributes: UnsafePointer<UnsafePointer<UInt8>?>?, attributeCount: Int) {
        self.localName = localName
        self.namespace = namespace
        self.line = line
        self.column = column
        self.attributes = attributes
        self.attributeCount = attributeCount
    }

    /// The value of the un-namespaced attribute `name` (`value`, `url`, `id`), entities resolved.
    func attribute(_ name: StaticString) -> String? {
        guard let attributes else { return nil }
        let wanted = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        for index in 0..<attributeCount {
            let base = index * 5
            guard attributes[base + 2] == nil, let local = attributes[base],
                  let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
            guard Self.matches(local, wanted) else { continue }
            return Self.decodeValue(start, end)
        }
        return nil
    }

    /// The values of three un-namespaced attributes in one pass over the tag (FHIR reads `value`,
    /// `url` and `id` of every element; three separate lookups showed in profiles).
    func attributes(_ first: StaticString, _ second: StaticString, _ third: StaticString) -> (String?, String?, String?) {
        var found: (String?, String?, String?) = (nil, nil, nil)
        guard let attributes else { return found }
        let name0 = UnsafeRawBufferPointer(start: first.utf8Start, count: first.utf8CodeUnitCount)
        let name1 = UnsafeRawBufferPointer(start: second.utf8Start, count: second.utf8CodeUnitCount)
        let name2 = UnsafeRawBufferPointer(start: third.utf8Start, count: third.utf8CodeUnitCount)
        for index in 0..<attributeCount {
            let base = index * 5
            guard attributes[base + 2] == nil, let local = attributes[base],
                  let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
            let value = { Self.decodeValue(start, end) }
            if found.0 == nil, Self.matches(local, name0) {
                found.0 = value()
            } else if found.1 == nil, Self.matches(local, name1) {
                found.1 = value()
            } else if found.2 == nil, Self.matches(local, name2) {
                found.2 = value()
            }
        }
        return found
    }

    /// An attribute value as text. Without entity substitution (which the policy never turns on)
    /// libxml2 hands every `&` of an attribute value over as `&#38;`, for a tree builder to
    /// re-parse; nothing else in the value can start with `&`, so that is all there is to undo.
    private static func decodeValue(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> String {
        let bytes = UnsafeBufferPointer(start: start, count: end - start)
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        let escape = Array("&#38;".utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "&"), index + escape.count <= bytes.count,
               bytes[index..<index + escape.count].elementsEqual(escape) {
                decoded.append(UInt8(ascii: "&"))
                index += escape.count
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Whether the NUL-terminated `name` equals `wanted`.
    private static func matches(_ name: UnsafePointer<UInt8>, _ wanted: UnsafeRawBufferPointer) -> Bool {
        for (offset, byte) in wanted.enumerated() where name[offset] != byte { return false }
        return name[wanted.count] == 0
    }
}

/// Receives the element events of one document from `XMLStreamReader`, in document order.
///
/// Text, comments and processing instructions are not reported: FHIR XML carries every value in
/// attributes, and the narrative (the only text) is skipped. A thrown error stops the parse and
/// comes out of `XMLStreamReader.parse` unchanged.
protocol XMLEventHandler: AnyObject {
    func startElement(_ tag: XMLStartTag) throws
    func endElement() throws
}
