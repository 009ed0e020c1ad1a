import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria

/// Every `expected` entry of every shared acceptance scenario, through the public API.
@Suite("Acceptance scenarios")
struct ScenarioTests {
    static let ids = ScenarioCase.all.map(\.id)

    @Test("scenario file has the five shared scenarios")
    func scenarioFileLoads() {
        #expect(Self.ids == ["S1", "S2", "S4", "S6", "S7"])
    }

    /// The verdict word each expectation starts with, plus every detail the text states that
    /// can be checked generically: `>=N days` steps, `(S14)`-style rule ids, tiers, QL, approval.
    @Test("expected verdicts and details", arguments: ids)
    func expectations(id: String) throws {
        let scenario = ScenarioCase.named(id)
        let plan = try scenario.run()
        let asOf = try #require(scenario.profile.asOf)
        for (key, text) in scenario.expected {
            guard let name = ScenarioCase.optionName(forKey: key) else { continue }
            let option = try #require(plan.option(name), "\(id): no result for \(key)")
            let word = String(text.prefix { $0 != " " })
            #expect(option.verdict.rawValue == word, "\(id) \(key): expected \(word), got \(option.verdict.rawValue) — \(option.summary)")

            if let days = Self.minimumDays(in: text) {
                let step = try #require(option.trialSteps.first { $0.durationDays == days }, "\(id) \(key): no ≥\(days)-day step in \(option.remaining?.steps.map(\.description) ?? [])")
                let start = try #require(step.start)
                #expect(start == asOf, "\(id) \(key): a first step starts on the as-of date")
                // ADQ-TRD trials count on day N, start + N − 1 (§5.0 rule 1); a step-therapy fill
                // (ADQ-ST, ≥30 or ≥28 days' supply) counts on its fill date (§5.0 rule 3).
                let expected = step.counting == .fillDate ? start : start + (days - 1)
                #expect(step.counting == (days == 42 ? .daysOnDrug : .fillDate), "\(id) \(key): how a ≥\(days)-day step counts")
                #expect(step.earliestMet == expected, "\(id) \(key): a ≥\(days)-day step met on \(expected)")
                #expect(option.trialSteps.count == 1, "\(id) \(key): one remaining trial")
            }
            for rule in Self.ruleIDs(in: text) {
                let verdict: SafetyVerdict = text.contains("SAFETY_ADJUST \(rule)") ? .adjust : text.contains("SAFETY_WARN \(rule)") ? .warn : .contraindicated
                let findings = option.safety + option.trialSteps.flatMap(\.safety)
                #expect(findings.contains { $0.ruleID == rule && $0.verdict == verdict }, "\(id) \(key): expected \(verdict.rawValue) \(rule)")
            }
            if let tier = Self.tier(in: text) {
                #expect(option.coverage.tierCode == tier, "\(id) \(key): tier \(option.coverage.tierCode ?? "none"), expected \(tier)")
            }
            if text.contains("QL 28 caps per 14 days") { #expect(option.quantityLimit?.contains("28 × 25 mg capsules per 14 days") == true) }
            if text.contains("approval 14 days") { #expect(option.approval == "14 days") }
            if text.contains("1 ADQ-TRD trial") {
                let trials = option.rules.flatMap(\.criteria).first { $0.id == "trd-trials" }
                #expect(trials?.detail.hasPrefix("1 qualifying ADQ-TRD trial") == true, "\(id) \(key): \(trials?.detail ?? "no trd-trials criterion")")
            }
        }
        for line in scenario.safety {
            for rule in Self.ruleIDs(in: line) {
                let verdict: SafetyVerdict = line.contains("WARN") ? .warn : line.contains("ADJUST") ? .adjust : .contraindicated
                let carriers = plan.options.filter { $0.safety.contains { $0.ruleID == rule && $0.verdict == verdict } }
                #expect(!carriers.isEmpty, "\(id): expected safety \(rule) \(verdict.rawValue)")
            }
        }
    }

    /// `remaining: bupropion >=30 days` → 30.
    static func minimumDays(in text: String) -> Int? {
        guard let range = text.range(of: ">=") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// Safety rule ids written as `S7`, `(S14)` in an expectation (scenario ids are not in these texts).
    static func ruleIDs(in text: String) -> [String] {
        var ids: [String] = []
        var scanner = text[...]
        while let index = scanner.firstIndex(of: "S") {
            let digits = scanner[scanner.index(after: index)...].prefix { $0.isNumber }
            let before = index == text.startIndex ? " " : text[text.index(before: index)]
            if !digits.isEmpty, before == " " || before == "(", let number = Int(digits), (1...19).contains(number) { ids.append("S\(number)") }
            scanner = scanner[scanner.index(after: index)...]
        }
        return ids
    }

    static func tier(in text: String) -> String? {
        for (label, code) in [("T1", "GENERIC"), ("T2", "NON-PREFERRED-GENERIC"), ("T3", "PREFERRED-BRAND"), ("T4", "NON-PREFERRED-BRAND"), ("T5", "T5")]
        where text.contains("(\(label)") || text.contains(" \(label)") || text.contains("(\(label);") {
            return code
        }
        return nil
    }
}
