import FormularyCriteria
import FormularyModel

/// A drug resolved against the drug reference (and the store's NDC → RxCUI map).
struct ResolvedDrug {
    var rxcui: RxCUI?
    var ndc: NDC?
    /// The option the drug is (sertraline, Auvelity, Wellbutrin XL), when the reference knows it.
    var option: DrugOption?
    /// The name written in the profile's `drug` field: one the analysis resolves by name too.
    var name: String
    /// Milligrams per unit (tablet, capsule), or per mL for a solution.
    var strength: Double?
    var perML: Bool

    /// A treatment the analysis counts trials of (not an interaction-only drug or a procedure).
    var isTreatment: Bool {
        guard let option else { return false }
        return option.kind != .interactionAgent && option.kind != .procedure
    }
}

/// Resolves record drugs: the RxCUI from the record or from the NDC map, the option from the
/// RxCUI or the name, the strength from the RxNorm name or the display (`Fluoxetine 25MG`).
struct DrugResolver {
    let reference: DrugReference
    let ndcMap: [String: String]

    func resolve(_ code: DrugCode) -> ResolvedDrug {
        var rxcui = code.rxcui
        if rxcui == nil, let ndc = code.ndc, let mapped = ndcMap[ndc.rawValue], RxCUI.isWellFormed(mapped) { rxcui = RxCUI(mapped) }
        var option = rxcui.flatMap { reference.option(forConcept: $0) }
        let conceptName = rxcui.flatMap { reference.concept($0)?.name }
        let text = code.text.map(Self.clean)
        var name = conceptName ?? text ?? code.ndc.map { "NDC \($0.rawValue)" } ?? rxcui.map { "RxCUI \($0.rawValue)" } ?? "unnamed drug"
        if option == nil, let text {
            option = reference.option(named: text) ?? reference.option(named: Self.words(text))
        }
        if let option, rxcui.flatMap({ reference.option(forConcept: $0) }) == nil, reference.option(named: name) == nil {
            // The analysis finds a claim's drug by RxCUI, else by name: write a name it reads.
            name = "\(option.name) (\(name))"
        }
        let strength = Self.strength(conceptName ?? "") ?? Self.strength(text ?? "")
        return ResolvedDrug(rxcui: rxcui, ndc: code.ndc, option: option, name: name, strength: strength?.mg, perML: strength?.perML ?? false)
    }

    /// The key fills and prescriptions are grouped into trials by: the ingredient a single-
    /// ingredient drug or a brand product counts as; a combination is its own treatment.
    func trialKey(_ option: DrugOption) -> String {
        if option.kind == .combination { return option.id }
        return reference.countingOptions(for: option).first?.id ?? option.id
    }

    /// The name a trial of `key` is written with.
    func trialName(_ key: String) -> String {
        reference.option(id: key)?.name ?? key
    }

    /// Control characters out, runs of spaces folded: a display is shown and resolved, never trusted.
    static func clean(_ text: String) -> String {
        let scalars = text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }
        return String(scalars).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// Letters and digits only (`Prozac, 100 CAPSULE` → `Prozac 100 CAPSULE`), for name lookups.
    static func words(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber ? $0 : " " }).split(separator: " ").joined(separator: " ")
    }

    /// `… 20 MG Oral Capsule` → 20 mg; `15 MG/ML Oral Solution` → 15 mg per mL; `25MG` → 25 mg.
    /// Nil for none, or for several strengths (a combination).
    static func strength(_ text: String) -> (mg: Double, perML: Bool)? {
        let upper = Array(text.uppercased())
        var found: [(Double, Bool)] = []
        var index = 0
        while index < upper.count {
            guard upper[index].isNumber, index == 0 || !(upper[index - 1].isLetter || upper[index - 1].isNumber || upper[index - 1] == ".") else {
                index += 1
                continue
            }
            var end = index
            while end < upper.count, upper[end].isNumber || upper[end] == "." { end += 1 }
            let number = Double(String(upper[index..<end]))
            var cursor = end
            while cursor < upper.count, upper[cursor] == " " { cursor += 1 }
            if let number, cursor + 1 < upper.count, upper[cursor] == "M", upper[cursor + 1] == "G",
               cursor + 2 == upper.count || !upper[cursor + 2].isLetter {
                var after = cursor + 2
                while after < upper.count, upper[after] == " " { after += 1 }
                let perML = after + 2 < upper.count && upper[after] == "/" && String(upper[(after + 1)...].prefix(2)) == "ML"
                let perOther = after < upper.count && upper[after] == "/" && !perML
                if !perOther { found.append((number, perML)) }
            }
            index = end
        }
        guard found.count == 1 else { return nil }
        return (found[0].0, found[0].1)
    }

    /// Milligrams a day from a fill: strength × quantity ÷ days' supply, rounded to a tenth.
    static func mgPerDay(strength: Double?, quantity: Double?, daysSupply: Int?) -> Double? {
        guard let strength, let quantity, let daysSupply, daysSupply > 0, quantity > 0 else { return nil }
        return (strength * quantity / Double(daysSupply) * 10).rounded() / 10
    }
}
