import FormularyAnalysis
import FormularyModel
import Foundation

/// Plain words for the machine vocabulary that reaches the analyzer's sentences: adequacy rule
/// ids (`ADQ-TRD`), patient-file flag names (`remsSite: yes`), safety rule ids (`S11`) and tier
/// codes (`NON-PREFERRED-BRAND`, `MB`, `BH`). The coverage report shows people these words and
/// keeps the ids for its "Sources" appendix. Wording only: no verdict, date or count changes.
enum PlainWords {
    // MARK: Tiers

    /// A tier by its meaning, with the plan's number when it has one: "Preferred brand (tier 3)",
    /// "Generic", "Medical benefit", "Tier 2" (a number the plan does not describe). `nil`
    /// without a tier. Never the source's code word (`NON-PREFERRED-BRAND`, `MB`, `BH`).
    static func tier(_ coverage: CoverageSummary) -> String? {
        guard let code = coverage.tierCode else { return nil }
        let number = tierNumber(code)
        var meaning: String?
        if let category = coverage.tierCategory, category != .unknown, category != .other {
            meaning = category.displayName
        } else if coverage.benefit == "behavioral-health" || code.uppercased() == "BH" {
            meaning = "behavioral-health benefit"
        } else if coverage.benefit == "medical" || code.uppercased() == "MB" {
            meaning = "medical benefit"
        }
        switch (meaning, number) {
        case let (meaning?, number?): return "\(capitalized(meaning)) (tier \(number))"
        case let (meaning?, nil): return capitalized(meaning)
        case let (nil, number?): return "Tier \(number)"
        case (nil, nil): return "A tier the plan does not describe"
        }
    }

    /// "3" for `3`, `T3`, `Tier 3`; nil for a word code (`GENERIC`, `MB`).
    static func tierNumber(_ code: String) -> String? {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.drop { !$0.isNumber }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
        let prefix = trimmed.prefix(trimmed.count - digits.count).lowercased().trimmingCharacters(in: .whitespaces)
        return ["", "t", "tier"].contains(prefix) ? String(digits) : nil
    }

    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    // MARK: Rules and flags

    /// How an adequacy rule judges a trial, in words: "for step therapy (30 days' supply)".
    static func adequacyRule(_ id: String) -> String {
        switch id {
        case "ADQ-TRD": "as an adequate antidepressant trial (for treatment resistance)"
        case "ADQ-ST": "for step therapy (a paid supply)"
        case "ADQ-ST28": "for step therapy (28 days' supply)"
        default: "for another of the plan's rules"
        }
    }

    /// Patient-file flags in words.
    static let flags: [String: String] = [
        "remsSite": "REMS-certified treatment site",
        "pdmpAttested": "prescription-monitoring (PDMP) check attested",
        "highSuicideRisk": "high suicide risk documented",
        "priorECTResponse": "earlier response to ECT",
        "prescriberPsychiatrist": "prescriber is a psychiatrist",
        "prescriberSpecialty": "prescriber's specialty",
        "clinicianConfirmed": "clinician confirmed the outcome",
        "medWatchFiled": "FDA MedWatch report filed",
        "documentationAttached": "documentation attached",
        "inanition": "inanition (not eating or drinking)",
    ]

    /// A camelCase word as lowercase words: `priorECTResponse` → "prior ECT response".
    static func words(_ identifier: String) -> String {
        if let known = flags[identifier] { return known }
        var out = ""
        let characters = Array(identifier)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let previous = index > 0 ? characters[index - 1] : nil
            if character.isUppercase, let previous, previous.isLowercase || (next?.isLowercase == true && previous.isUppercase) {
                out.append(" ")
            }
            out.append(character)
        }
        // Keep acronyms (ECT, PDMP); lower the rest.
        return out.split(separator: " ").map { word in
            word.count > 1 && word.allSatisfy(\.isUppercase) ? String(word) : word.lowercased()
        }.joined(separator: " ")
    }

    // MARK: Sentences

    /// An analyzer sentence with its machine words replaced: `3 qualifying ADQ-TRD trials` →
    /// "3 qualifying adequate trials", `remsSite: yes` → "REMS-certified treatment site: yes",
    /// `no S11 contraindication documented` → "no contraindication documented",
    /// `ADQ-ST: 2 of …` → "2 of …", `(tier GENERIC)` → "(generic tier)".
    static func sentence(_ text: String) -> String {
        var out = text
        // Adequacy rule ids.
        out = replace(out, #"\s*\(ADQ-[A-Z0-9]+\)"#, with: "")
        out = replace(out, #"\bADQ-[A-Z0-9]+:\s*"#, with: "")
        out = replace(out, #"\bADQ-TRD (trials?)\b"#, with: "adequate $1")
        out = replace(out, #"\bADQ-ST(28)? (trials?|fills?)\b"#, with: "step-therapy $2")
        out = replace(out, #"\bADQ-[A-Z0-9]+\b"#, with: "adequate-trial rule")
        // Safety rule ids: "(S11)", "(S11: aneurysm, …)", "(S9 QT)", "S11 contraindication", a bare "S5".
        out = replace(out, #"\s*\((?:S\d{1,2})(?:,\s*S\d{1,2})*\)"#, with: "")
        out = replace(out, #"\((S\d{1,2})[:\s]\s*"#, with: "(")
        out = replace(out, #"\bS\d{1,2} (contraindication|washout|warning|interaction)"#, with: "$1")
        out = replace(out, #"(?<![A-Za-z0-9-])(S\d{1,2})(?![A-Za-z0-9-])"#) { SafetyWording.topic($0[1]) }
        out = out.replacingOccurrences(of: "MANUFACTURER_SWITCH", with: "maker switch")
        // Tier codes in summaries.
        out = replace(out, #"\(tier ([A-Z][A-Z-]+)\)"#, with: "(tier)")
        // Flag names as written in evidence: "remsSite: yes", "flag remsSite", a bare "pdmpAttested".
        out = replace(out, #"\bflag ([a-z]+[A-Z][A-Za-z]*)\b"#) { words($0[1]) }
        out = replace(out, #"\b([a-z]+[A-Z][A-Za-z]*)\b"#) { match in flags[match[1]] ?? match[0] }
        out = replace(out, #"^([a-z]+[A-Z][A-Za-z]*)(:|$)"#) { match in words(match[1]) + match[2] }
        out = out.replacingOccurrences(of: "(tier)", with: "").replacingOccurrences(of: "()", with: "")
        out = replace(out, #"\s{2,}"#, with: " ")
        out = replace(out, #"\s+([,.;:)])"#, with: "$1")
        return out.trimmingCharacters(in: .whitespaces)
    }

    private static func replace(_ text: String, _ pattern: String, with template: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }

    private static func replace(_ text: String, _ pattern: String, _ transform: ([String]) -> String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        let source = text as NSString
        var out = ""
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            out += source.substring(with: NSRange(location: last, length: match.range.location - last))
            let groups = (0..<match.numberOfRanges).map { index -> String in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : source.substring(with: range)
            }
            out += transform(groups)
            last = match.range.location + match.range.length
        }
        out += source.substring(from: last)
        return out
    }
}
