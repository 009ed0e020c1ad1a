import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// Add-on or switch (issue 13 §1), the clinical corrections (§5) and the safety rules as data (§6).
@Suite("safety: add-on or switch, and rules as data")
struct SafetyUseTests {
    static let asOf = Fixtures.day("2025-03-20")

    /// A Formulary A patient with two adequate trials, on `current` since 2025-01-06, plus `others`.
    static func profile(current: String, mg: Double = 60, others: [ChartTrial] = [], requests: [OptionRequest] = [],
                        conditions: [ClinicalCondition] = [], age: Int = 42) -> PatientProfile {
        var profile = PatientProfile(
            id: "T", demographics: Demographics(age: age, sex: .female, state: "AZ"), plans: ["99990AZ0010001"],
            diagnoses: [Diagnosis(code: "F33.2", episodeStart: Fixtures.day("2023-12-01"))],
            trials: [
                ChartTrial(drug: "sertraline", mgPerDay: 150, start: Fixtures.day("2024-01-10"), end: Fixtures.day("2024-04-30"), outcome: .inadequate, ref: "history[0]"),
                ChartTrial(drug: "venlafaxine", mgPerDay: 225, start: Fixtures.day("2024-05-10"), end: Fixtures.day("2024-08-31"), outcome: .inadequate, ref: "history[1]"),
                ChartTrial(drug: current, mgPerDay: mg, start: Fixtures.day("2025-01-06"), outcome: .partial, ref: "current[0]"),
            ] + others,
            conditions: conditions)
        profile.requests = requests
        return profile
    }

    static func analyze(_ profile: PatientProfile, options: [String]) throws -> [String: OptionResult] {
        let result = try Fixtures.shared.analyzer.analyze(AnalysisRequest(patient: profile, asOf: asOf, options: options), coverage: Fixtures.shared.formularyA)
        let plan = try #require(result.plans.first)
        return Dictionary(uniqueKeysWithValues: plan.options.map { ($0.optionID, $0) })
    }

    @Test("adding sertraline to phenelzine is CONTRAINDICATED citing S1; switching to it waits 14 days and is not reachable now")
    func maoiAddOnOrSwitch() throws {
        let addOn = try Self.analyze(Self.profile(current: "phenelzine", requests: [OptionRequest(option: "sertraline", use: .addOn)]), options: ["sertraline"])
        let added = try #require(addOn["sertraline"])
        #expect(added.use == .addOn)
        #expect(added.verdict == .contraindicated)
        #expect(!added.reachableNow)
        let block = try #require(added.safety.first { $0.ruleID == "S1" && $0.verdict == .contraindicated })
        #expect(block.message.contains("adding sertraline to the MAOI phenelzine"))
        #expect(block.citation.contains("DOMAIN.md §3 S1"))

        let switched = try #require(try Self.analyze(Self.profile(current: "phenelzine"), options: ["sertraline"])["sertraline"])
        #expect(switched.use == .switch)
        #expect(switched.verdict != .contraindicated)
        let washout = try #require(switched.safety.first { $0.ruleID == "S1" && $0.verdict == .washout })
        #expect(washout.earliestStart == Self.asOf + 14)
        #expect(!switched.reachableNow, "a washout is still running")
        #expect(switched.earliestStart == Self.asOf + 14)
    }

    @Test("switching from fluoxetine to an MAOI waits fluoxetine's own 5 weeks (S2); adding the MAOI is contraindicated")
    func fluoxetineToMAOI() throws {
        let switched = try #require(try Self.analyze(Self.profile(current: "fluoxetine", mg: 40), options: ["phenelzine"])["phenelzine"])
        let washout = try #require(switched.safety.first { $0.verdict == .washout })
        #expect(washout.ruleID == "S2")
        #expect(washout.earliestStart == Self.asOf + 35)
        #expect(switched.earliestStart.map { $0 >= Self.asOf + 35 } == true)
        let added = try #require(try Self.analyze(Self.profile(current: "fluoxetine", mg: 40, requests: [OptionRequest(option: "phenelzine", use: .addOn)]),
                                                  options: ["phenelzine"])["phenelzine"])
        #expect(added.verdict == .contraindicated)
    }

    @Test("S4, S7, S8: aripiprazole and brexpiprazole added to paroxetine as MDD adjuncts get no SAFETY_ADJUST; a CYP3A4 inhibitor still adjusts")
    func mddAdjunctExemption() throws {
        let results = try Self.analyze(Self.profile(current: "paroxetine", mg: 40), options: ["aripiprazole", "Rexulti"])
        for id in ["aripiprazole", "brexpiprazole"] {
            let option = try #require(results[id])
            #expect(option.use == .addOn)
            #expect(!option.safety.contains { $0.verdict == .adjust }, "\(id): \(option.safety.map(\.message))")
        }
        let clarithromycin = ChartTrial(drug: "clarithromycin", start: Fixtures.day("2025-03-15"), ref: "medications[0]")
        let withCYP3A4 = try Self.analyze(Self.profile(current: "paroxetine", mg: 40, others: [clarithromycin]), options: ["aripiprazole"])
        let adjust = try #require(withCYP3A4["aripiprazole"]?.safety.first { $0.ruleID == "S7" })
        #expect(adjust.verdict == .adjust)
        #expect(adjust.message.contains("clarithromycin (a strong CYP3A4 inhibitor)"))
        #expect(!adjust.message.contains("paroxetine"), "paroxetine is exempt and is a CYP2D6, not a CYP3A4, inhibitor")
        // Forced to be used as a switch, the exemption does not hold (the inhibitor is not the antidepressant it is added to).
        let quinidine = ChartTrial(drug: "quinidine", start: Fixtures.day("2025-03-15"), ref: "medications[0]")
        let nonAntidepressant = try Self.analyze(Self.profile(current: "duloxetine", others: [quinidine]), options: ["aripiprazole"])
        #expect(nonAntidepressant["aripiprazole"]?.safety.contains { $0.ruleID == "S7" && $0.message.contains("quinidine (a strong CYP2D6 inhibitor)") } == true)
    }

    @Test("S20: an SSRI or SNRI with an NSAID, aspirin or an anticoagulant warns of bleeding, both ways")
    func bleedingRisk() throws {
        let aspirin = ChartTrial(drug: "aspirin", start: Fixtures.day("2024-01-01"), ref: "medications[0]")
        let warfarin = ChartTrial(drug: "Eliquis", start: Fixtures.day("2024-01-01"), ref: "medications[1]")
        let results = try Self.analyze(Self.profile(current: "bupropion", mg: 300, others: [aspirin, warfarin]), options: ["sertraline", "vortioxetine", "mirtazapine"])
        let sertraline = try #require(results["sertraline"]?.safety.first { $0.ruleID == "S20" })
        #expect(sertraline.verdict == .warn)
        #expect(sertraline.involves == ["apixaban", "aspirin"])
        #expect(sertraline.message.contains("bleeding"))
        #expect(results["vortioxetine"]?.safety.contains { $0.ruleID == "S20" } == true)
        #expect(results["mirtazapine"]?.safety.contains { $0.ruleID == "S20" } == false)
    }

    @Test("S13 only when esketamine and TMS are both in play: not on every evaluation")
    func s13OnlyWhenBoth() throws {
        // TMS contraindicated (an implant): not a next option, so no S13 on Spravato.
        let plain = try Self.analyze(Self.profile(current: "duloxetine", conditions: [.headImplant]), options: ["Spravato", "TMS"])
        #expect(plain["tms"]?.verdict == .contraindicated)
        #expect(plain["esketamine"]?.safety.contains { $0.ruleID == "S13" } == false)
        // Both on the shortlist (S1: both PA criteria met): each carries S13.
        let s1 = try PatientLoader.load(path: Fixtures.patientsFolder + "/s1-baseline.yaml", reference: Fixtures.shared.reference)
        let both = try Fixtures.shared.analyzer.analyze(AnalysisRequest(patient: s1, asOf: Self.asOf), coverage: Fixtures.shared.formularyA)
        let plan = try #require(both.plans.first)
        #expect(Set(plan.shortlist.map(\.optionID)).isSuperset(of: ["esketamine", "tms"]), "\(plan.shortlist.map(\.optionID))")
        #expect(plan.options.first { $0.optionID == "tms" }?.safety.contains { $0.ruleID == "S13" } == true)
        let requested = try Self.analyze(Self.profile(current: "duloxetine", requests: [OptionRequest(option: "tms"), OptionRequest(option: "esketamine")]),
                                         options: ["Spravato", "TMS"])
        #expect(requested["esketamine"]?.safety.contains { $0.ruleID == "S13" } == true)
    }

    @Test("identical findings appear once")
    func noRepeats() throws {
        let fiber = ChartTrial(drug: "psyllium", start: Fixtures.day("2024-01-01"), ref: "medications[0]")
        let results = try Self.analyze(Self.profile(current: "duloxetine", others: [fiber, fiber]), options: ["lithium"])
        let lithium = try #require(results["lithium"])
        #expect(lithium.safety.count == Set(lithium.safety).count)
    }

    @Test("every number comes from safety_rules.yaml: a changed washout changes the answer")
    func rulesAreData() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: Fixtures.referenceFolder, toPath: folder.path)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("safety_rules.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "    washoutDays: 14\n", with: "    washoutDays: 21\n").write(to: file, atomically: true, encoding: .utf8)
        let reference = try DrugReferenceLoader.load(directory: folder.path)
        #expect(reference.safety.number("S1", "washoutDays") == 21)
        let analyzer = TRDAnalyzer(reference: reference, criteria: try CriteriaLoader(reference: reference).loadDirectory(Fixtures.criteriaFolder))
        let result = try analyzer.analyze(AnalysisRequest(patient: Self.profile(current: "phenelzine"), asOf: Self.asOf, options: ["sertraline"]),
                                          coverage: Fixtures.shared.formularyA)
        #expect(result.plans.first?.options.first?.earliestStart == Self.asOf + 21)
    }

    @Test("a broken rules file names the file, the line and the rule", arguments: [
        ("    washoutDays: 14\n", "    washoutDays: soon\n", "S1", "expected a number"),
        ("    maxMgPerDay: 450\n", "", "S6", "rule S6 needs \"maxMgPerDay\""),
        ("  - id: S19\n", "  - id: S99\n", "S99", "no analysis rule has this id"),
        ("    with: {properties: [bleeding-risk]}\n", "    with: {properties: [bleeding]}\n", "S20", "unknown drug property"),
        ("    citation: \"AGS Beers Criteria — DOMAIN.md §3 S19\"\n", "", "S19", "every safety rule needs a citation"),
    ])
    func invalidRules(old: String, new: String, rule: String, problem: String) throws {
        let text = try String(contentsOfFile: Fixtures.referenceFolder + "/safety_rules.yaml", encoding: .utf8)
        #expect(text.contains(old))
        do {
            _ = try SafetyRulesLoader.load(text: text.replacingOccurrences(of: old, with: new), file: "safety_rules.yaml")
            Issue.record("accepted a broken file")
        } catch let DocumentError.invalid(file, issues) {
            #expect(file == "safety_rules.yaml")
            let issue = try #require(issues.first { $0.problem.contains(problem) }, "\(issues)")
            #expect(issue.ruleID == rule || issue.value == rule)
            #expect(issue.line != nil)
        }
    }

    @Test("fiber spacing gives concrete times from the profile's times of day")
    func fiberTimes() throws {
        let yaml = """
            schema: formulary-patient/1
            id: F
            asOf: 2025-03-20
            patient: {age: 50, sex: F, state: AZ}
            plans: [99990AZ0010001]
            diagnoses: [{code: F33.2, episodeStart: 2024-01-01}]
            medications:
              - {drug: psyllium, otc: true, frequency: twice daily, timeOfDay: ["07:00", "19:00"]}
            """
        let profile = try PatientLoader.load(text: yaml, file: "f.yaml", reference: Fixtures.shared.reference)
        let results = try Self.analyze(profile, options: ["lithium"])
        let spacing = try #require(results["lithium"]?.safety.first { $0.ruleID == "S16" })
        #expect(spacing.message.contains("with psyllium at 07:00 and 19:00, take it between 09:00 and 18:00 or between 21:00 and 06:00"), "\(spacing.message)")
    }

    @Test("the Budeprion/Watson note belongs to bupropion XL switches only")
    func labelerContext() throws {
        func profile(_ drug: String, rxcui: String) -> String {
            """
            schema: formulary-patient/1
            id: L
            asOf: 2025-03-10
            patient: {age: 47, sex: M, state: AZ}
            plans: [99990AZ0010001]
            diagnoses: [{code: F33.1, episodeStart: 2024-10-01}]
            claims:
              - {fillDate: 2024-11-01, rxcui: "\(rxcui)", ndc: "90001-0300-30", drug: \(drug), daysSupply: 30}
              - {fillDate: 2024-12-01, rxcui: "\(rxcui)", ndc: "90001-0300-30", drug: \(drug), daysSupply: 30}
              - {fillDate: 2025-01-01, rxcui: "\(rxcui)", ndc: "90002-0300-30", drug: \(drug), daysSupply: 30}
            """
        }
        for (drug, rxcui, budeprion) in [("bupropion XL 300 mg", "993557", true), ("sertraline 50 mg", "312941", false)] {
            let patient = try PatientLoader.load(text: profile(drug, rxcui: rxcui), file: "l.yaml", reference: Fixtures.shared.reference)
            let result = try Fixtures.shared.analyzer.analyze(AnalysisRequest(patient: patient, asOf: Fixtures.day("2025-03-10"), options: ["sertraline"]),
                                                              coverage: Fixtures.shared.formularyA)
            let event = try #require(result.plans.first?.events.first)
            #expect(event.context?.contains("Budeprion") == budeprion, "\(drug): \(event.context ?? "")")
        }
    }
}
