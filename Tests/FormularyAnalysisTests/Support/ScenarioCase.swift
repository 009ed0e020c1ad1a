import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// One acceptance scenario read from the scenario file: the profile (written out by
/// `ScenarioProfiles` in the documented YAML format and read by the product's `PatientLoader`,
/// as a user's file would be) and the `expected` entries as written.
struct ScenarioCase: Sendable {
    let id: String
    /// The generated profile text (what `formulary analyze --patient` would read).
    let yaml: String
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

    /// `LOOKUP` in a fill pattern resolves through the product's drug reference.
    static func lookup(_ name: String) -> String? { Fixtures.shared.reference.product(named: name)?.rxcui.rawValue }

    static func load() throws -> [ScenarioCase] {
        try ScenarioProfiles.scenarios(file: Fixtures.scenariosFile).map { scenario in
            let id = scenario["id"]?.string ?? "?"
            let yaml = try ScenarioProfiles.yaml(scenario, lookup: lookup)
            let profile = try PatientLoader.load(text: yaml, file: "scenario-\(id).yaml", reference: Fixtures.shared.reference)
            let safety = scenario["expected"]?.object?["safety"]?.array?.compactMap(\.string) ?? []
            return ScenarioCase(id: id, yaml: yaml, profile: profile, expected: ScenarioProfiles.expected(scenario), safety: safety)
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
