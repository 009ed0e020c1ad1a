import FormularyCriteria

/// One drug option boxed once per analysis. `DrugOption` is a large value (names, codes,
/// arrays); therapy items and candidate lists are copied constantly during the path search, so
/// they hold this handle — one reference count instead of dozens.
final class OptionHandle: Sendable {
    let option: DrugOption
    let id: String

    init(_ option: DrugOption) {
        self.option = option
        self.id = option.id
    }

    var name: String { option.name }
    var displayName: String { option.displayName }
    var drugClass: DrugClass { option.drugClass }
}

/// The reference's options as handles, with the lookups the evaluator needs in its hot loop.
final class OptionTable: Sendable {
    let byID: [String: OptionHandle]
    /// Single-ingredient options in reference order (pool membership, path candidates).
    let ingredients: [OptionHandle]
    let all: [OptionHandle]

    init(reference: DrugReference) {
        let handles = reference.options.map(OptionHandle.init)
        all = handles
        byID = Dictionary(handles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        ingredients = handles.filter { $0.option.kind == .ingredient }
    }

    func handle(_ id: String) -> OptionHandle? { byID[id] }
}
