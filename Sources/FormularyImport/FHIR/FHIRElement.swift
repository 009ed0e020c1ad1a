/// One FHIR element as both serializations carry it, so one decoder reads JSON and XML alike.
///
/// FHIR JSON and FHIR XML are two spellings of one element model: a JSON key with an array is a run
/// of repeated XML elements, a JSON primitive is an XML `value` attribute, and `url` and `id` are
/// JSON keys but XML attributes. The readers turn both into this tree, one resource at a time:
/// a primitive is an element with `value`; `url` and `id` are child elements with a value; repeated
/// elements are repeated children in order. What neither decoder needs is dropped on the way in: the
/// narrative (`text`), contained resources (unless a reader is asked to keep them: see
/// `FHIRResourceStream`), JSON `_element` primitive extensions (and their XML counterpart,
/// extensions inside a primitive element).
///
/// Public so that other importers (patient records) can read resources through the same streaming
/// readers and safety policy; the formulary importer's own decoding stays internal.
public struct FHIRElement: Sendable {
    public var name: String
    /// The primitive value as written (`"20"`, `"true"`, `"2021-01-01"`); nil for complex elements.
    public var value: String?
    public var children: [FHIRElement]
    /// 1-based line where the element is in its file, for problem reports.
    public var line: Int

    public init(name: String, value: String? = nil, children: [FHIRElement] = [], line: Int) {
        self.name = name
        self.value = value
        self.children = children
        self.line = line
    }

    /// The first child named `name`.
    public func first(_ name: String) -> FHIRElement? {
        for child in children where child.name == name { return child }
        return nil
    }

    /// Every child named `name`, in order.
    public func all(_ name: String) -> [FHIRElement] {
        children.filter { $0.name == name }
    }

    /// The value of the first child named `name`.
    public func string(_ name: String) -> String? {
        first(name)?.value
    }
}
