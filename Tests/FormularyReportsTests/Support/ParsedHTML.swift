import CLibXML2
import Foundation

/// An HTML document parsed by libxml2's HTML parser (no network, errors and warnings quiet) and
/// copied into Swift values, so the tests check structure the way a browser-like parser sees
/// it rather than by searching strings. The C document is freed as soon as it is copied.
struct ParsedHTML {
    /// An element with its attributes, children and text.
    struct Element {
        var name: String
        var attributes: [String: String]
        var children: [Node]

        /// Every descendant element, depth first, in document order.
        var descendants: [Element] {
            children.flatMap { child -> [Element] in
                guard case .element(let element) = child else { return [] }
                return [element] + element.descendants
            }
        }

        func all(_ name: String) -> [Element] { descendants.filter { $0.name == name } }

        func child(_ name: String) -> Element? {
            for case .element(let element) in children where element.name == name { return element }
            return nil
        }

        /// The text of the element and its descendants, whitespace collapsed.
        var text: String {
            rawText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }

        private var rawText: String {
            children.map { child in
                switch child {
                case .text(let text): text
                case .element(let element): element.rawText
                }
            }.joined()
        }
    }

    indirect enum Node {
        case element(Element)
        case text(String)
    }

    let root: Element

    /// Parses with `HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING`; `nil` when
    /// libxml2 cannot make a document at all.
    init?(_ html: String) {
        let options = Int32(bitPattern: HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)
        let bytes = Array(html.utf8)
        let parsed: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { htmlReadMemory($0, Int32(buffer.count), "report.html", "UTF-8", options) }
            }
        }
        guard let document = parsed else { return nil }
        defer { xmlFreeDoc(document) }
        guard let top = xmlDocGetRootElement(document), let element = Self.copy(top, document) else { return nil }
        root = element
    }

    private static func copy(_ node: xmlNodePtr, _ document: xmlDocPtr) -> Element? {
        guard node.pointee.type == XML_ELEMENT_NODE, let namePointer = node.pointee.name else { return nil }
        var attributes: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name {
                let value = xmlNodeListGetString(document, current.pointee.children, 1)
                attributes[String(cString: name)] = value.map { String(cString: $0) } ?? ""
                if let value { formulary_xmlFree(value) }
            }
            attribute = current.pointee.next
        }
        var children: [Node] = []
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                if let element = copy(current, document) { children.append(.element(element)) }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = xmlNodeGetContent(current) {
                    children.append(.text(String(cString: content)))
                    formulary_xmlFree(content)
                }
            default:
                break
            }
            child = current.pointee.next
        }
        return Element(name: String(cString: namePointer), attributes: attributes, children: children)
    }

    var elements: [Element] { [root] + root.descendants }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// `h1`…`h6` levels in document order.
    var headingLevels: [Int] {
        elements.compactMap { element in
            guard element.name.count == 2, element.name.first == "h", let level = Int(String(element.name.dropFirst())) else { return nil }
            return level
        }
    }
}
