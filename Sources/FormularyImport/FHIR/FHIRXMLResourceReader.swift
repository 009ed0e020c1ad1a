/// Turns the element events of a FHIR XML document into `FHIRElement` resources, one at a time:
/// a lone resource, or each `Bundle.entry.resource` of a Bundle, so a Bundle of any size costs the
/// memory of its largest resource.
///
/// FHIR XML rules applied here: the root must be in the `http://hl7.org/fhir` namespace; a primitive
/// is its `value` attribute (its children, primitive extensions, are skipped to match JSON, whose
/// `_element` keys are skipped too); `url` and `id` attributes become children; a Bundle entry's
/// resource is wrapped in an element named for its type; the XHTML narrative, `text` and `contained`
/// are skipped, as is any element outside the FHIR namespace.
///
/// The state lives in one struct changed through one access per event: class properties touched
/// one by one paid a dynamic exclusivity check each, which showed in profiles of a 1 GB Bundle.
final class FHIRXMLResourceReader: XMLEventHandler {
    private let deliver: (FHIRResourceRecord) throws -> Void
    private var state = State()

    var bundleType: String? { state.bundleType }
    var resourceCount: Int { state.resourceCount }

    /// - Parameter keepContained: keep a resource's `contained` resources as `contained` children
    ///   shaped as the JSON reader shapes them (the inner resource's elements, plus a
    ///   `resourceType` child naming it), for readers that resolve `#id` references. Off for the
    ///   formulary importer, which skips them.
    init(keepContained: Bool = false, deliver: @escaping (FHIRResourceRecord) throws -> Void) {
        self.deliver = deliver
        state.keepContained = keepContained
    }

    func startElement(_ tag: XMLStartTag) throws {
        try state.start(tag)
    }

    func endElement() throws {
        guard let record = state.end() else { return }
        try deliver(record)
    }

    private struct State {
        var depth = 0
        /// Nesting inside a subtree being skipped (0 = not skipping).
        var skipping = 0
        var isBundle = false
        /// The element depth of the resource being built (0 for a lone resource, 3 inside a Bundle).
        var resourceDepth = 0
        /// The resource being built: `stack[0]` is its root.
        var stack: [FHIRElement] = []
        var entryCount = 0
        var fullURL: String?
        var bundleType: String?
        var resourceCount = 0
        var keepContained = false

        mutating func start(_ tag: XMLStartTag) throws {
            let level = depth
            depth += 1
            if skipping > 0 {
                skipping += 1
                return
            }
            if !stack.isEmpty {
                addContent(tag)
                return
            }
            if level == 0 {
                guard tag.namespace == .fhir else {
                    throw XMLStreamError.unexpected(
                        expected: "a FHIR resource in the FHIR namespace (\(XMLStartTag.Namespace.fhirURI))",
                        found: "<\(tag.localName)> in \(tag.namespace.displayName)", line: tag.line, column: tag.column)
                }
                if tag.localName == "Bundle" {
                    isBundle = true
                } else {
                    beginResource(tag, depth: 0)
                }
                return
            }
            // Inside a Bundle, outside any resource.
            guard tag.namespace == .fhir else {
                skipping = 1
                return
            }
            switch (level, tag.localName) {
            case (1, "entry"):
                entryCount += 1
                fullURL = nil
            case (1, "type"):
                bundleType = tag.attribute("value")
                skipping = 1
            case (2, "fullUrl"):
                fullURL = tag.attribute("value")
                skipping = 1
            case (2, "resource"):
                break
            case (3, _):
                beginResource(tag, depth: 3)
            default:
                skipping = 1
            }
        }

        /// Ends an element; returns the resource it completed, if it completed one.
        mutating func end() -> FHIRResourceRecord? {
            depth -= 1
            if skipping > 0 {
                skipping -= 1
                return nil
            }
            guard depth >= resourceDepth, !stack.isEmpty else { return nil }
            let element = stack.removeLast()
            guard stack.isEmpty else {
                // A kept contained resource: `<contained><Medication>…</Medication></contained>` reads
                // as JSON writes it, `contained {resourceType: Medication, …}`.
                if keepContained, stack.count == 2, stack[1].name == "contained", stack[1].value == nil,
                   element.name.first?.isUppercase == true, !stack[1].children.contains(where: { $0.name == "resourceType" }) {
                    stack[1].children.append(FHIRElement(name: "resourceType", value: element.name, line: element.line))
                    stack[1].children.append(contentsOf: element.children)
                    return nil
                }
                stack[stack.count - 1].children.append(element)
                return nil
            }
            resourceCount += 1
            return FHIRResourceRecord(
                element: element, recordNumber: isBundle ? entryCount : 1, fullURL: isBundle ? fullURL : nil,
                serialization: .xml, basePath: isBundle ? "Bundle.entry[\(entryCount - 1)].resource" : "")
        }

        private mutating func beginResource(_ tag: XMLStartTag, depth: Int) {
            resourceDepth = depth
            var root = FHIRElement(name: tag.localName, line: tag.line)
            root.children.reserveCapacity(24)
            stack.append(root)
        }

        private mutating func addContent(_ tag: XMLStartTag) {
            guard tag.namespace == .fhir else {
                skipping = 1  // the XHTML narrative, or a foreign element
                return
            }
            let parent = stack.count - 1
            if parent == 0, tag.localName == "text" || (tag.localName == "contained" && !keepContained) {
                skipping = 1
                return
            }
            if stack[parent].value != nil {
                skipping = 1  // an extension on a primitive, which JSON keeps apart as `_name`
                return
            }
            let (value, url, id) = tag.attributes("value", "url", "id")
            var element = FHIRElement(name: tag.localName, value: value, line: tag.line)
            if value == nil { element.children.reserveCapacity(4) }
            if let url {
                element.children.append(FHIRElement(name: "url", value: url, line: tag.line))
            }
            if let id {
                element.children.append(FHIRElement(name: "id", value: id, line: tag.line))
            }
            stack.append(element)
        }
    }
}
