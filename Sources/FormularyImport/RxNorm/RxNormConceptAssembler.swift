import Foundation
import FormularyModel

/// Builds each emitted `DrugConcept` from the concept table and the relation graph: its
/// ingredients (always IN concepts, never PIN or MIN) and, for branded products, its brand.
///
/// RxNorm gives no drug a direct link to its ingredients, so they are reached by the paths NLM
/// documents: SCD → consists_of → SCDC → has_ingredient → IN (through has_precise_ingredient →
/// PIN → form_of → IN when the IN link is missing), plus SCD → has_ingredients → MIN → has_part →
/// IN for combinations; SBD → tradename_of → SCD; GPCK → contains → SCD; BPCK → tradename_of →
/// GPCK (or its contained drugs). The term-type checks on every edge make the walk a DAG, so it
/// always ends.
struct RxNormConceptAssembler {
    let table: RxNormConceptTable
    let graph: RxNormRelationGraph

    /// The concept at `slot` as the model knows it, or `nil` for a term type that is not emitted.
    func concept(at slot: Int32) -> DrugConcept? {
        let record = table[slot]
        guard record.termType.isEmitted else { return nil }
        let ingredients = ingredientsInOrder(of: slot)
        return DrugConcept(
            rxcui: RxNormConceptTable.rxcui(record.key),
            termType: record.termType.code,
            name: record.name,
            ingredients: ingredients.map { RxNormConceptTable.rxcui(table[$0].key) },
            ingredientNames: ingredients.map { table[$0].name },
            brandName: brandName(of: slot)
        )
    }

    /// The ingredients sorted by name, as RxNorm orders them in combination names
    /// ("fluoxetine / olanzapine"), then by RXCUI.
    func ingredientsInOrder(of slot: Int32) -> [Int32] {
        ingredients(of: slot).sorted { lhs, rhs in
            let left = table[lhs].name.lowercased(), right = table[rhs].name.lowercased()
            return left != right ? left < right : table[lhs].key < table[rhs].key
        }
    }

    /// The IN slots a concept resolves to; empty when the relations do not reach one.
    func ingredients(of slot: Int32) -> Set<Int32> {
        switch table[slot].termType {
        case .ingredient:
            return [slot]
        case .preciseIngredient:
            return Set(graph.targets(of: slot, .formOf))
        case .multipleIngredients:
            return Set(graph.targets(of: slot, .hasPart))
        case .brandName:
            return Set(graph.targets(of: slot, .tradenameOf))
        case .clinicalDrugComponent:
            let direct = Set(graph.targets(of: slot, .hasIngredient))
            if !direct.isEmpty { return direct }
            return union(graph.targets(of: slot, .hasPreciseIngredient))
        case .clinicalDrug:
            return union(graph.targets(of: slot, .consistsOf) + graph.targets(of: slot, .hasIngredients))
        case .brandedDrug:
            let generic = union(graph.targets(of: slot, .tradenameOf))
            if !generic.isEmpty { return generic }
            // An SBD without its SCD (an obsolete one, say): its brand's ingredients.
            return union(graph.targets(of: slot, .hasIngredient))
        case .genericPack:
            return union(graph.targets(of: slot, .contains))
        case .brandedPack:
            let generic = union(graph.targets(of: slot, .tradenameOf))
            if !generic.isEmpty { return generic }
            return union(graph.targets(of: slot, .contains))
        }
    }

    private func union(_ slots: [Int32]) -> Set<Int32> {
        slots.reduce(into: Set<Int32>()) { $0.formUnion(ingredients(of: $1)) }
    }

    /// The brand of an SBD or BPCK: its BN concept's name (`has_ingredient` BN), preferring the
    /// one the name's `[Brand]` suffix spells when there are several, else the suffix itself.
    func brandName(of slot: Int32) -> String? {
        let record = table[slot]
        guard record.termType == .brandedDrug || record.termType == .brandedPack else { return nil }
        let suffix = Self.bracketSuffix(of: record.name)
        let brands = graph.targets(of: slot, .hasIngredient).map { table[$0].name }.filter { !$0.isEmpty }
        if let suffix, let match = brands.first(where: { $0.caseInsensitiveCompare(suffix) == .orderedSame }) {
            return match
        }
        return brands.first ?? suffix
    }

    /// The text inside a trailing `[…]`: "sertraline 50 MG Oral Tablet [Zoloft]" → "Zoloft".
    static func bracketSuffix(of name: String) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("]"), let open = trimmed.lastIndex(of: "[") else { return nil }
        let inner = trimmed[trimmed.index(after: open) ..< trimmed.index(before: trimmed.endIndex)]
            .trimmingCharacters(in: .whitespaces)
        return inner.isEmpty ? nil : inner
    }
}
