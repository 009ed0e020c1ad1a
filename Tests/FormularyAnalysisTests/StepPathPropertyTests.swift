import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// The remaining path is a promise: do these steps on these dates and the option's criteria are
/// met on the path's date. For generated histories against Reference Formulary A, every
/// reachable option's steps are simulated as the path says (a `fill-date` step is a paid claim
/// of `durationDays` days' supply on `start`; a `days-on-drug` step is a chart trial of
/// `durationDays` days at `minimumMgPerDay`, inadequate response; a continued trial simply goes
/// on), the patient is analyzed again as of the claimed day, and the option's trial and step
/// criteria must be met then and not on the day before.
///
/// Criteria a person acts on (attest the PDMP, be on an antidepressant, finish sessions) are the
/// path's action steps, not trials, so only trial and step criteria are checked; everything else
/// counts as done, exactly as the path search assumes.
@Suite("Step path property")
struct StepPathPropertyTests {
    /// Fixed: a failure names its case, and the same case fails again.
    static let seed: UInt64 = 0x13_5EED_0003
    static let caseCount = 320
    static let planA = "99990AZ0010001"
    static let options = ["Spravato", "TMS", "ECT", "Emsam", "Trintellix", "vilazodone", "Fetzima", "Auvelity", "Rexulti", "Vraylar"]

    let loaded = Fixtures.shared

    @Test("simulated path steps meet the criteria on the claimed day and not the day before", arguments: 0..<caseCount)
    func pathsKeepTheirDates(index: Int) throws {
        var random = SplitMix64(seed: Self.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let (profile, asOf) = generate(&random)
        let plan = try analyze(profile, asOf: asOf, options: Self.options)
        for option in plan.options {
            guard let path = option.remaining, path.reachable, let reachableOn = path.reachableOn else { continue }
            try check(option, path: path, reachableOn: reachableOn, profile: profile, asOf: asOf, case: index)
        }
    }

    @Test("the generator reaches the interesting paths: fills, trials, continued trials, several steps")
    func generatorCoverage() throws {
        var kinds: [String: Int] = [:]
        for index in 0..<60 {
            var random = SplitMix64(seed: Self.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
            let (profile, asOf) = generate(&random)
            let plan = try analyze(profile, asOf: asOf, options: Self.options)
            for option in plan.options {
                for step in option.remaining?.steps ?? [] {
                    kinds[step.kind == .continueTrial ? "continue" : step.counting.map(\.rawValue) ?? step.kind.rawValue, default: 0] += 1
                }
                if (option.remaining?.steps.filter { $0.kind == .trial }.count ?? 0) >= 2 { kinds["two-trials", default: 0] += 1 }
                if !option.lookbackExpiries.isEmpty { kinds["expiry", default: 0] += 1 }
            }
        }
        for kind in ["fill-date", "days-on-drug", "continue", "two-trials", "expiry", "action"] {
            #expect(kinds[kind, default: 0] > 0, "no \(kind) in the first 60 cases: \(kinds)")
        }
    }

    // MARK: The check

    func check(_ option: OptionResult, path: RemainingPath, reachableOn: Day, profile: PatientProfile, asOf: Day, case index: Int) throws {
        let label = "case \(index), \(option.name), as of \(asOf): \(path.steps.map { "\($0.kind.rawValue) \($0.option ?? "") \($0.start.map(\.description) ?? "") \($0.durationDays.map(String.init) ?? "") → \($0.earliestMet.map(\.description) ?? "")" })"
        var simulated = profile
        var claimed: Day?
        for (position, step) in path.steps.enumerated() {
            switch step.kind {
            case .continueTrial:
                let met = try #require(step.earliestMet, "\(label): continue step without a date")
                claimed = max(claimed ?? met, met)
            case .trial, .prerequisite:
                guard let counting = step.counting else { continue }   // a prerequisite action (attest, document)
                let id = try #require(step.optionID, "\(label): trial without a drug")
                let drug = try #require(loaded.reference.option(id: id)).name
                let start = try #require(step.start), days = try #require(step.durationDays), met = try #require(step.earliestMet)
                switch counting {
                case .fillDate:
                    #expect(met == start, "\(label): a fill counts on its fill date")
                    simulated.claims.append(PharmacyClaim(fillDate: start, drug: drug, daysSupply: days, ref: "simulated[\(position)]"))
                case .daysOnDrug:
                    // An ADQ-TRD trial counts on day N exactly; a step judged on days held may count sooner with earlier days.
                    if step.minimumMgPerDay != nil {
                        #expect(met == start + (days - 1), "\(label): a trial counts on day \(days)")
                    } else {
                        #expect(met >= start && met <= start + (days - 1), "\(label): counts within its \(days) days")
                    }
                    simulated.trials.append(ChartTrial(drug: drug, mgPerDay: step.minimumMgPerDay ?? 10_000, start: start, end: start + (days - 1),
                                                       outcome: .inadequate, ref: "simulated[\(position)]"))
                }
                claimed = max(claimed ?? met, met)
            case .action, .wait:
                break
            }
        }
        let day = claimed ?? asOf
        // The path's date is the claimed day, or later for a washout or an action that takes time.
        let later = path.steps.filter { $0.kind == .wait || $0.kind == .action }.compactMap(\.earliestMet).max()
        #expect(reachableOn == max(day, later ?? day), "\(label): reachable on \(reachableOn), criteria on \(day)")

        let documentation = path.steps.contains { $0.kind == .action && $0.description.hasPrefix("attach documentation") }
        let onDay = try #require(try analyze(simulated, asOf: day, options: [option.optionID]).options.first)
        let metOnDay = goalReached(onDay, allowDocumentation: documentation)
        #expect(metOnDay, "\(label): not met on \(day): \(trialCriteria(onDay))")
        if day > asOf {
            let before = try #require(try analyze(simulated, asOf: day - 1, options: [option.optionID]).options.first)
            let metBefore = goalReached(before, allowDocumentation: documentation)
            #expect(!metBefore, "\(label): already met on \(day - 1): \(trialCriteria(before))")
        }
    }

    /// Every applied rule's trial and step criteria met (or met with documentation where the path
    /// says to attach it), combined through the rule's all-of / any-of tree; other criteria are
    /// the path's actions and count as done.
    func goalReached(_ option: OptionResult, allowDocumentation: Bool) -> Bool {
        option.rules.filter(\.applied).allSatisfy { result in
            guard let rule = rule(for: result) else { return false }
            func reached(_ requirement: Requirement) -> Bool {
                switch requirement {
                case .allOf(let items): return items.allSatisfy(reached)
                case .anyOf(let items): return items.contains(where: reached)
                case .criterion(let labeled):
                    switch labeled.criterion {
                    case .trials, .step:
                        guard let status = result.criteria.first(where: { $0.id == labeled.id && $0.line == labeled.line })?.status else { return false }
                        return status == .met || (allowDocumentation && status == .needsDocumentation)
                    default:
                        return true
                    }
                }
            }
            return reached(rule.requirement)
        }
    }

    /// The trial and step criteria as a short text, for failure messages.
    func trialCriteria(_ option: OptionResult) -> [String] {
        option.rules.filter(\.applied).flatMap { rule in
            rule.criteria.filter { $0.label.hasPrefix("ADQ") || $0.id.contains("trial") || !$0.evidence.filter { [.claim, .trial].contains($0.kind) }.isEmpty }
                .map { "\(rule.ruleID).\($0.id) \($0.status.rawValue): \($0.detail)" }
        }
    }

    func rule(for result: RuleResult) -> CriteriaRule? {
        loaded.criteria.documents.lazy.flatMap(\.rules).first { $0.id == result.ruleID && $0.line == result.line && $0.file == result.file }
    }

    func analyze(_ profile: PatientProfile, asOf: Day, options: [String]) throws -> PlanResult {
        let request = AnalysisRequest(patient: profile, plans: [Self.planA], asOf: asOf, options: options, pinnedVersion: "A-2025-07")
        return try #require(try loaded.analyzer.analyze(request, coverage: loaded.formularyA).plans.first)
    }

    // MARK: The generator

    /// Drugs a history is made of, with a usual dose (mg/day).
    static let drugs: [(name: String, mg: Double)] = [
        ("sertraline", 100), ("escitalopram", 10), ("citalopram", 20), ("fluoxetine", 20), ("paroxetine", 20), ("venlafaxine", 150),
        ("desvenlafaxine", 50), ("duloxetine", 60), ("bupropion", 300), ("mirtazapine", 30), ("trazodone", 150), ("nortriptyline", 75),
        ("vortioxetine", 10), ("aripiprazole", 5), ("quetiapine", 150), ("lithium", 600), ("phenelzine", 45),
    ]
    static let outcomes: [[TrialOutcome]] = [
        [.inadequate], [.inadequate], [.partial], [.partial], [.response], [.intolerance], [.inadequate, .intolerance], [.partial, .contraindication],
        [.contraindication], [.unknown],
    ]

    /// A history of chart trials and claims over the last two years, some ongoing, some cash or
    /// under a previous plan, some below the minimum dose, often a drug taken now, with every
    /// non-trial criterion met.
    func generate(_ random: inout SplitMix64) -> (PatientProfile, Day) {
        let asOf = Fixtures.day("2025-07-01") + Int.random(in: 0..<365, using: &random)
        let episode = asOf - Int.random(in: 90..<800, using: &random)
        var trials: [ChartTrial] = []
        for index in 0..<Int.random(in: 0...4, using: &random) {
            let drug = Self.drugs.randomElement(using: &random)!
            let start = asOf - Int.random(in: 0..<700, using: &random)
            var end: Day? = start + (Int.random(in: 5..<160, using: &random) - 1)
            if let last = end, last >= asOf { end = Bool.random(using: &random) || start >= asOf ? nil : asOf - 1 }
            let outcomes = Self.outcomes.randomElement(using: &random)!
            let dose = drug.mg * [0.5, 1, 1, 1.5].randomElement(using: &random)!
            trials.append(ChartTrial(drug: drug.name, mgPerDay: dose, start: start, end: end, outcome: outcomes[0], outcomes: outcomes,
                                     previousPlan: Int.random(in: 0..<12, using: &random) == 0, cashPaid: Int.random(in: 0..<12, using: &random) == 0,
                                     ref: "trials[\(index)]"))
        }
        // Half the patients take something now, often started recently (a trial to continue).
        if Bool.random(using: &random) {
            let drug = Self.drugs.randomElement(using: &random)!
            let outcomes = [[TrialOutcome.partial], [.inadequate], [.response], [.inadequate, .intolerance]].randomElement(using: &random)!
            trials.append(ChartTrial(drug: drug.name, mgPerDay: drug.mg, start: asOf - Int.random(in: 0..<60, using: &random), outcome: outcomes[0],
                                     outcomes: outcomes, ref: "current[0]"))
        }
        var claims: [PharmacyClaim] = []
        for index in 0..<Int.random(in: 0...4, using: &random) {
            let drug = Self.drugs.randomElement(using: &random)!
            claims.append(PharmacyClaim(fillDate: asOf - Int.random(in: 0..<500, using: &random), drug: drug.name,
                                        daysSupply: [7, 15, 30, 30, 60, 90].randomElement(using: &random)!, mgPerDay: drug.mg,
                                        payer: Int.random(in: 0..<12, using: &random) == 0 ? .cash : .insurance,
                                        previousPlan: Int.random(in: 0..<16, using: &random) == 0, ref: "claims[\(index)]"))
        }
        let conditions: [ClinicalCondition] = Int.random(in: 0..<10, using: &random) == 0 ? [.seizureDisorder] : []
        let profile = PatientProfile(
            id: "generated", demographics: Demographics(age: 40, sex: .female, state: "AZ"), plans: [Self.planA],
            diagnoses: [Diagnosis(code: "F33.2", episodeStart: episode)], claims: claims, trials: trials,
            procedures: [ProcedureRecord(type: "CBT", sessions: 14, start: episode + 1, end: episode + 80, outcome: .noRemission)],
            scores: [ScoreRecord(scale: "PHQ-9", value: 19, date: asOf - 5)], conditions: conditions,
            flags: PatientFlags(prescriberSpecialty: "psychiatry", remsSite: true, pdmpAttested: true, medWatchFiled: false,
                                highSuicideRisk: false, catatonia: false, inanition: false, priorECTResponse: false))
        return (profile, asOf)
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same histories everywhere.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
