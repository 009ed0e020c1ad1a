import Foundation
import FormularyModel

/// The drug knowledge the analysis stands on: the TRD options (classes, antidepressant
/// counting, safety properties, minimum doses, codes) and the RxNorm concepts that connect a
/// formulary's SCD/SBD RxCUIs and a claim's drug to those options.
///
/// Built once, then only read: lookups are dictionary hits, which keeps one analysis well
/// under a millisecond.
public struct DrugReference: Hashable, Sendable {
    public let options: [DrugOption]
    private let concepts: [RxCUI: DrugConcept]
    private let indexByID: [String: Int]
    private let indexByName: [String: Int]
    /// Single-ingredient RxCUI → ingredient option.
    private let ingredientOption: [RxCUI: Int]
    /// Lower-cased ingredient name → ingredient option (for subset rows without an IN code).
    private let ingredientOptionByName: [String: Int]
    /// Sorted ingredient set → combination option.
    private let combinationOption: [[RxCUI]: Int]
    /// Option id → its formulary-level RxCUIs, in subset order.
    private let productIndex: [String: [RxCUI]]
    /// The safety rules (`safety_rules.yaml`) the analysis applies to these options.
    public let safety: SafetyRules

    /// Builds the indexes. Throws when option ids or names collide, or a reference names an
    /// option that does not exist.
    public init(options: [DrugOption], concepts: [DrugConcept], safety: SafetyRules, file: String = "trd_drugs.yaml") throws {
        var issues: [DocumentIssue] = []
        func issue(_ kind: DocumentIssue.Kind, _ path: String, _ value: String, _ problem: String) {
            issues.append(DocumentIssue(kind: kind, file: file, line: nil, fieldPath: path, value: value, problem: problem))
        }
        var byID: [String: Int] = [:]
        var byName: [String: Int] = [:]
        for (index, option) in options.enumerated() {
            if byID[option.id] != nil { issue(.duplicate, "options[\(index)].id", option.id, "duplicate option id") }
            byID[option.id] = index
        }
        // Names: ids, generic names, aliases, brands. Ingredient options win over products on brands
        // they share ("Wellbutrin" is bupropion; "Wellbutrin XL" is the brand product).
        for (index, option) in options.enumerated() {
            for name in [option.id, option.name] + option.aliases + option.brands {
                let key = DrugReference.nameKey(name)
                if let existing = byName[key], existing != index {
                    let other = options[existing]
                    if other.kind == .brandProduct && option.kind != .brandProduct { byName[key] = index }
                    continue
                }
                byName[key] = index
            }
        }
        var ingredientOption: [RxCUI: Int] = [:]
        var ingredientByName: [String: Int] = [:]
        var combination: [[RxCUI]: Int] = [:]
        for (index, option) in options.enumerated() {
            switch option.kind {
            case .ingredient, .interactionAgent:
                for code in option.ingredients {
                    if let rxcui = code.rxcui { ingredientOption[rxcui] = ingredientOption[rxcui] ?? index }
                    ingredientByName[code.name.lowercased()] = ingredientByName[code.name.lowercased()] ?? index
                }
                ingredientByName[option.name.lowercased()] = ingredientByName[option.name.lowercased()] ?? index
            case .combination:
                let codes = option.ingredients.compactMap(\.rxcui).sorted()
                if codes.count == option.ingredients.count, !codes.isEmpty { combination[codes] = index }
                for component in option.components where byID[component] == nil {
                    issue(.unknownDrug, "options[\(index)].components", component, "unknown component option")
                }
            case .brandProduct:
                if let parent = option.productOf, byID[parent] == nil {
                    issue(.unknownDrug, "options[\(index)].productOf", parent, "unknown option")
                }
            case .procedure:
                break
            }
        }
        var conceptIndex: [RxCUI: DrugConcept] = [:]
        for concept in concepts { conceptIndex[concept.rxcui] = concept }
        if !issues.isEmpty { throw DocumentError.invalid(file: file, issues: issues) }
        // The safety rules may name options only this reference defines.
        var safetyIssues: [DocumentIssue] = []
        for name in safety.uses.addOnOptions.sorted() where byID[name] == nil {
            safetyIssues.append(DocumentIssue(kind: .unknownDrug, file: safety.file, line: nil, fieldPath: "uses.addOn.options", value: name,
                                              problem: "no option with this id in \(file)"))
        }
        for interaction in safety.interactions {
            for name in interaction.option.options.union(interaction.with.options).sorted() where byID[name] == nil {
                safetyIssues.append(DocumentIssue(kind: .unknownDrug, file: safety.file, line: interaction.line, ruleID: interaction.id,
                                                  fieldPath: "interactions", value: name, problem: "no option with this id in \(file)"))
            }
        }
        if !safetyIssues.isEmpty { throw DocumentError.invalid(file: safety.file, issues: safetyIssues) }
        self.safety = safety

        self.options = options
        self.concepts = conceptIndex
        self.indexByID = byID
        self.indexByName = byName
        self.ingredientOption = ingredientOption
        self.ingredientOptionByName = ingredientByName
        self.combinationOption = combination

        // Products: every dispensable concept whose ingredients resolve to the option.
        var products: [String: [RxCUI]] = [:]
        let dispensable: Set<String> = ["SCD", "SBD", "GPCK", "BPCK"]
        for concept in concepts where dispensable.contains(concept.termType) {
            let owners = DrugReference.owners(of: concept, options: options, ingredientOption: ingredientOption,
                                              ingredientByName: ingredientByName, combination: combination)
            for index in owners {
                let option = options[index]
                if option.products.matches(concept) { products[option.id, default: []].append(concept.rxcui) }
            }
            // Brand products select by brand and name among their parent ingredient's concepts.
            for option in options where option.kind == .brandProduct {
                guard let parent = option.productOf, let parentIndex = byID[parent], owners.contains(parentIndex),
                      option.products.matches(concept) else { continue }
                products[option.id, default: []].append(concept.rxcui)
            }
        }
        for option in options {
            for code in option.products.rxcuis where !(products[option.id]?.contains(code) ?? false) {
                products[option.id, default: []].append(code)
            }
        }
        self.productIndex = products
    }

    /// The options (ingredient or combination) a concept belongs to, by its ingredient set.
    private static func owners(of concept: DrugConcept, options: [DrugOption], ingredientOption: [RxCUI: Int],
                               ingredientByName: [String: Int], combination: [[RxCUI]: Int]) -> [Int] {
        if concept.ingredients.count > 1 {
            return combination[concept.ingredients.sorted()].map { [$0] } ?? []
        }
        if let code = concept.ingredients.first, let index = ingredientOption[code] { return [index] }
        if concept.ingredientNames.count == 1, let index = ingredientByName[concept.ingredientNames[0].lowercased()] { return [index] }
        return []
    }

    // MARK: Lookups

    public func option(id: String) -> DrugOption? { indexByID[id].map { options[$0] } }

    /// The option a person means by `text`: a generic, brand, alias or id, case-insensitive.
    /// Trailing strength and form words are ignored ("bupropion XL 300 mg" → bupropion).
    public func option(named text: String) -> DrugOption? {
        let key = DrugReference.nameKey(text)
        if let index = indexByName[key] { return options[index] }
        var words = key.split(separator: " ").map(String.init)
        while words.count > 1 {
            words.removeLast()
            if let index = indexByName[words.joined(separator: " ")] { return options[index] }
        }
        // A name that carries its form first ("24 HR bupropion …"): any word that is an option.
        for word in key.split(separator: " ") where word.count > 3 {
            if let index = indexByName[String(word)], options[index].kind != .procedure { return options[index] }
        }
        return nil
    }

    public func concept(_ rxcui: RxCUI) -> DrugConcept? { concepts[rxcui] }

    /// The ingredient RxCUIs of any concept (SCD, SBD, pack, or an IN itself).
    public func ingredients(of rxcui: RxCUI) -> [RxCUI] {
        guard let concept = concepts[rxcui] else { return ingredientOption[rxcui] != nil ? [rxcui] : [] }
        return concept.ingredients.isEmpty && concept.termType == "IN" ? [rxcui] : concept.ingredients
    }

    /// The option a formulary concept or claim RxCUI belongs to: the combination for a
    /// multi-ingredient product, else the ingredient. `nil` when the reference does not know it.
    public func option(forConcept rxcui: RxCUI) -> DrugOption? {
        if let index = ingredientOption[rxcui] { return options[index] }
        guard let concept = concepts[rxcui] else { return nil }
        return DrugReference.owners(of: concept, options: options, ingredientOption: ingredientOption,
                                    ingredientByName: ingredientOptionByName, combination: combinationOption).first.map { options[$0] }
    }

    /// The single-ingredient options a treatment counts as trials of: a combination counts as
    /// each component (Symbyax → fluoxetine and olanzapine; Auvelity → bupropion and
    /// dextromethorphan), a brand product as its ingredient, anything else as itself.
    public func countingOptions(for option: DrugOption) -> [DrugOption] {
        switch option.kind {
        case .combination: return option.components.compactMap { self.option(id: $0) }
        case .brandProduct: return option.productOf.flatMap { self.option(id: $0) }.map { [$0] } ?? [option]
        default: return [option]
        }
    }

    /// The class of an ingredient RxCUI, when the reference knows it.
    public func drugClass(ofIngredient rxcui: RxCUI) -> DrugClass? {
        ingredientOption[rxcui].map { options[$0].drugClass }
    }

    /// The formulary-level RxCUIs (SCD/SBD/packs) that represent the option on a formulary.
    public func products(of option: DrugOption) -> [RxCUI] { productIndex[option.id] ?? [] }

    /// The options the analyzer considers when none are named: DOMAIN.md §1's TRD options.
    public var defaultOptions: [DrugOption] { options.filter(\.trdOption) }

    /// The dispensable concept a product description names, e.g. "bupropion XL 300 mg" →
    /// SCD 993557 (24 HR bupropion hydrochloride 300 MG). Prefers SCDs; `XL`/`SR`/`XR`/`ER` map
    /// to RxNorm's `24 HR` / `12 HR` / `Extended Release` wording.
    public func product(named text: String) -> DrugConcept? {
        guard let option = option(named: text) else { return nil }
        let lower = text.lowercased()
        var needles: [String] = []
        if lower.contains(" xl") { needles.append("24 hr") }
        if lower.contains(" sr") { needles.append("12 hr") }
        if lower.contains(" xr") || lower.contains(" er") { needles.append("extended release") }
        let words = lower.split(separator: " ").map(String.init)
        for (index, word) in words.enumerated() {
            let number = word.trimmingCharacters(in: CharacterSet(charactersIn: "0123456789.").inverted)
            guard !number.isEmpty, Double(number) != nil else { continue }
            let unit = word.hasSuffix("mg") ? "mg" : (index + 1 < words.count ? words[index + 1] : "")
            if unit == "mg" || unit == "mcg" { needles.append("\(number) \(unit)") }
        }
        let candidates = products(of: option).compactMap { concepts[$0] }.filter { concept in
            let name = concept.name.lowercased()
            return needles.allSatisfy { name.contains($0) }
        }
        return candidates.first { $0.termType == "SCD" } ?? candidates.first
    }

    /// Lowercased, without ® and ™, words separated by single spaces (space, tab and `_` separate).
    /// One pass over the characters: patient files name drugs in every claim and trial.
    static func nameKey(_ text: String) -> String {
        var key = ""
        var pendingSpace = false
        for character in text.lowercased() {
            switch character {
            case "®", "™":
                continue
            case " ", "\t", "_":
                pendingSpace = !key.isEmpty
            default:
                if pendingSpace { key.append(" ") }
                pendingSpace = false
                key.append(character)
            }
        }
        return key
    }
}

extension ProductFilter {
    /// True when the concept passes the term-type, brand and name filters.
    func matches(_ concept: DrugConcept) -> Bool {
        if !termTypes.isEmpty, !termTypes.contains(concept.termType) { return false }
        if !brands.isEmpty {
            guard let brand = concept.brandName?.lowercased(), brands.contains(where: { $0.lowercased() == brand }) else { return false }
        }
        if let nameContains, !concept.name.lowercased().contains(nameContains.lowercased()) { return false }
        return true
    }
}
