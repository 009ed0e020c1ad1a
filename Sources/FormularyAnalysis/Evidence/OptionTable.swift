import FormularyCriteria
import FormularyModel

/// One drug option boxed once per analysis. `DrugOption` is a large value (names, codes,
/// arrays); therapy items and candidate lists are copied constantly during the path search, so
/// they hold this handle — one reference count instead of dozens.
final class OptionHandle: Sendable {
    let option: DrugOption
    let id: String
    /// Its place in `OptionTable.all`.
    let position: Int

    init(_ option: DrugOption, position: Int) {
        self.option = option
        self.id = option.id
        self.position = position
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
    /// A formulary RxCUI → each option it is a product of (position in `all`) and its place in
    /// that option's `DrugReference.products(of:)`: a plan's lines are grouped by option once,
    /// instead of each option looking up each of its products.
    let productOwners: [RxCUI: [(option: Int, rank: Int)]]

    init(reference: DrugReference) {
        let handles = reference.options.enumerated().map { OptionHandle($1, position: $0) }
        all = handles
        byID = Dictionary(handles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        ingredients = handles.filter { $0.option.kind == .ingredient }
        var owners: [RxCUI: [(option: Int, rank: Int)]] = [:]
        for (index, handle) in handles.enumerated() {
            for (rank, rxcui) in reference.products(of: handle.option).enumerated() { owners[rxcui, default: []].append((index, rank)) }
        }
        productOwners = owners
    }

    func handle(_ id: String) -> OptionHandle? { byID[id] }
}
