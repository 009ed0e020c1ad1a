/// One FHIR element as both serializations carry it, so one decoder reads JSON and XML alike.
///
/// FHIR JSON and FHIR XML are two spellings of one element model: a JSON key with an array is a run
/// of repeated XML elements, a JSON primitive is an XML `value` attribute, and `url` and `id` are
/// JSON keys but XML attributes. The readers turn both into this tree, one resource at a time:
/// a primitive is an element with `value`; `url` and `id` are child elements with a value; repeated
/// elements are repeated children in order. What neither decoder needs is dropped on the way in: the
/// narrative (`text`), contained resources, JSON `_element` primitive extensions (and their XML
/// counterpart, extensions inside a primitive element).
struct FHIRElement: Sendable {
    var name: String
    /// The primitive value as written (`"20"`, `"true"`, `"2021-01-01"`); nil for complex elements.
    var value: String?
    var children: [FHIRElement]
    /// 1-based line where the element is in its file, for problem reports.
    var line: Int

    init(name: String, value: String? = nil, children: [FHIRElement] = [], line: Int) {
        self.name = name
        self.value = value
        self.children = children
        self.line = line
    }

    /// The first child named `name`.
    func first(_ name: String) -> FHIRElement? {
        for child in children where child.name == name { return child }
        return nil
    }

    /// Every child named `name`, in order.
    func all(_ name: String) -> [FHIRElement] {
        children.filter { $0.name == name }
    }

    /// The value of the first child named `name`.
    func string(_ name: String) -> String? {
        first(name)?.value
    }
}
