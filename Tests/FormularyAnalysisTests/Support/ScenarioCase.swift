import Foundation
import FormularyAnalysis
import FormularyCriteria

/// One acceptance scenario read from the scenario file itself: the profile (through the same
/// `PatientLoader` the CLI uses) and the `expected` entries as written.
struct ScenarioCase: Sendable {
    let id: String
    let profile: PatientProfile
    let expected: [(key: String, text: String)]
    let safety: [String]

    static let all: [ScenarioCase] = {
        do { return try load() } catch { fatalError("cannot read \(Fixtures.scenariosFile): \(error)") }
    }()

    static func named(_ id: String) -> ScenarioCase {
        guard let found = all.first(where: { $0.id == id }) else { fatalError("no scenario \(id)") }
        return found
    }

    static func load() throws -> [ScenarioCase] {
        let text = try String(contentsOfFile: Fixtures.scenariosFile, encoding: .utf8)
        let profiles = try PatientLoader.loadAll(text: text, file: Fixtures.scenariosFile, reference: Fixtures.shared.reference)
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let scenarios = json?["scenarios"] as? [[String: Any]] ?? []
        return scenarios.compactMap { scenario in
            guard let id = scenario["id"] as? String, let profile = profiles.first(where: { $0.id == id }) else { return nil }
            let expected = scenario["expected"] as? [String: Any] ?? [:]
            let pairs = expected.compactMap { key, value in (value as? String).map { (key: key, text: $0) } }.sorted { $0.key < $1.key }
            return ScenarioCase(id: id, profile: profile, expected: pairs, safety: expected["safety"] as? [String] ?? [])
        }
    }

    /// The option an `expected` key names (`bupropionXLGeneric` → bupropion), or nil for
    /// entries that are not options (`event`, `trialOutcome`, …).
    static func optionName(forKey key: String) -> String? {
        switch key {
        case "bupropionXLGeneric": "bupropion"
        case "WellbutrinXLBrand": "Wellbutrin XL"
        case "safety", "event", "trialOutcome", "fluoxetineResidual": nil
        default: key
        }
    }

    /// Runs the scenario through the public API: plan and version from the scenario (`A-2025-07`
    /// pins that version even when the as-of date precedes it), the options its expectations name.
    func run(options extra: [String] = ["TMS", "Spravato"]) throws -> PlanResult {
        let names = expected.compactMap { Self.optionName(forKey: $0.key) }
        let request = AnalysisRequest(patient: profile, asOf: profile.asOf ?? Fixtures.day("2025-01-01"),
                                      options: Array(Set(names + extra)).sorted())
        let result = try Fixtures.shared.analyzer.analyze(request, coverage: Fixtures.shared.formularyA)
        guard let plan = result.plans.first else { throw ScenarioFailure.noPlan }
        return plan
    }

    enum ScenarioFailure: Error { case noPlan }
}

extension PlanResult {
    func option(_ name: String) -> OptionResult? {
        let key = name.lowercased()
        return options.first { $0.optionID == key || $0.name.lowercased() == key || $0.brands.map { $0.lowercased() }.contains(key) || $0.name.lowercased().hasPrefix(key + " ") }
            ?? options.first { $0.optionID == Fixtures.shared.reference.option(named: name)?.id }
    }
}

extension OptionResult {
    var trialSteps: [PathStep] { remaining?.steps.filter { $0.kind == .trial } ?? [] }
}
