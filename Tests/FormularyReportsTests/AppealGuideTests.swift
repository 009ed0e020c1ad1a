import FormularyAnalysis
@testable import FormularyReports
import Foundation
import Testing

/// Exceptions and appeals for every kind of plan: each option whose verdict needs a route gets
/// one, with who files, the form, the deadlines and the sources from `appeals.yaml`.
@Suite("Exceptions and appeals")
struct AppealGuideTests {
    static func plan(_ fixture: String, _ id: String) throws -> PlanResult {
        try #require(try ReportFixtures.analysis(fixture).plans.first { $0.planID == id })
    }

    static func process(_ guide: AppealGuide, _ title: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> AppealGuide.Process {
        try #require(guide.processes.first { $0.title.hasPrefix(title) }, "routes: \(guide.processes.map(\.title))", sourceLocation: sourceLocation)
    }

    @Test("Medicare Part D: a coverage determination, 72 hours or 24 expedited, and 65 days to ask for a redetermination")
    func partD() throws {
        let guide = AppealGuide(plan: try Self.plan("analysis_medicare_continuing.json", "H9990-001-000"))
        let route = try Self.process(guide, "Medicare Part D coverage determination")
        let deadlines = route.deadlines.joined(separator: " ")
        #expect(deadlines.contains("within 72 hours (3 days) after it receives the prescriber's supporting statement"))
        #expect(deadlines.contains("within 24 hours when waiting could seriously harm your life"))
        #expect(deadlines.contains("redetermination (the first appeal) within 65 days from the date on the denial notice"))
        #expect(route.steps.first?.hasPrefix("Who files: The prescriber, you, or someone you name") == true)
        #expect(route.steps[1].contains("Request for Medicare Prescription Drug Coverage Determination"))
        #expect(route.citation?.contains("42 CFR 423.580–423.590") == true)
        let brexpiprazole = try #require(guide.grounds.first { $0.option.contains("brexpiprazole") })
        #expect(brexpiprazole.route.hasPrefix("Medicare Part D coverage determination"))
        #expect(brexpiprazole.decision == "decision in 72 hours (3 days); 24 hours if urgent; appeal within 65 days of a denial")
    }

    @Test("Medicare Advantage medical benefit: an organization determination for Spravato and TMS")
    func advantageMedical() throws {
        let guide = AppealGuide(plan: try Self.plan("analysis_medicare_continuing.json", "H9990-001-000"))
        let spravato = try #require(guide.grounds.first { $0.option.contains("Spravato") })
        #expect(spravato.ground == "Prior authorization not met yet")
        #expect(spravato.description.contains("earliest Oct 26, 2025, after 3 steps"), "\(spravato.description)")
        #expect(spravato.route.hasPrefix("Medicare Advantage organization determination"))
        #expect(spravato.decision.contains("decision in 7 days") && spravato.decision.contains("appeal within 65 days"))
        let route = try Self.process(guide, "Medicare Advantage organization determination")
        #expect(route.deadlines.joined().contains("Part B drug"))
        #expect(route.citation?.contains("CMS-0057-F") == true)
    }

    @Test("a stand-alone drug plan: clinic treatments go to Original Medicare Part B and its 120-day appeal")
    func standAlone() throws {
        let guide = AppealGuide(plan: try Self.plan("analysis_medicare_continuing.json", "S5990-002-000"))
        let tms = try #require(guide.grounds.first { $0.option.components(separatedBy: ", ").contains("TMS") })
        #expect(tms.route.hasPrefix("Original Medicare (Part B)"))
        let route = try Self.process(guide, "Original Medicare (Part B)")
        #expect(route.steps.joined().contains("CMS-20027"))
        #expect(route.deadlines.joined().contains("within 120 days"))
    }

    @Test("S2 (marketplace, Arizona): the unsafe bupropion step gets a route and a deadline, and so does every open verdict")
    func marketplace() throws {
        let plan = try Self.plan("analysis_s2_seizure.json", "99990AZ0010001")
        let guide = AppealGuide(plan: plan)
        let unsafe = guide.grounds.filter { $0.ground == "A step the plan may ask for is unsafe for this patient" }
        #expect(!unsafe.isEmpty)
        for row in unsafe {
            #expect(row.description.contains("bupropion: ruled out for safety (seizure risk with bupropion)"), "\(row.description)")
            #expect(row.route.contains("internal appeal"), "\(row.route)")
            #expect(row.decision.contains("appeal within 180 days"), "\(row.decision)")
        }
        let spravato = try #require(guide.grounds.first { $0.option.contains("Spravato") && $0.ground == "Prior authorization not met yet" })
        #expect(spravato.decision.contains("72 hours"))
        let appeal = try Self.process(guide, "The plan's internal appeal, then an independent external review")
        let deadlines = appeal.deadlines.joined(separator: " ")
        #expect(deadlines.contains("file an internal appeal within 180 days"))
        #expect(deadlines.contains("72 hours"))
        #expect(deadlines.contains("external review within 120 days (4 months)"))
        #expect(appeal.citation?.contains("45 CFR 147.136") == true)
        // A step therapy not met: Arizona's law, the state read from the HIOS plan id.
        let arizona = try Self.process(guide, "Arizona step-therapy exception law")
        #expect(arizona.deadlines.first == "The plan must decide within 72 hours (3 days), or 24 hours when the case is urgent (exigent).")
        #expect(arizona.deadlines.contains { $0.contains("deemed approved") })
        #expect(arizona.citation?.hasPrefix("A.R.S. §§ 20-3651 to 20-3654") == true)
        // A drug off the formulary: the ACA non-formulary exception.
        let gepirone = try #require(guide.grounds.first { $0.option.lowercased().contains("gepirone") || $0.option.contains("Exxua") })
        #expect(gepirone.route.hasPrefix("Non-formulary exception request (ACA)"))
        // Every option that needs a route has one.
        let needing = plan.options.filter { [.paNotMet, .stNotMet, .needsDocumentation, .notCovered].contains($0.verdict) }
        for option in needing {
            #expect(guide.grounds.contains { $0.option.components(separatedBy: ", ").contains(VerdictWording.optionName(option)) },
                    "\(option.optionID) has no route")
        }
    }

    @Test("an employer plan: the analysis's Arizona overlay clock, and the internal appeal")
    func employer() throws {
        let guide = AppealGuide(plan: try Self.plan("analysis_two_plans.json", "99990AZ0010001"))
        let fetzima = try #require(guide.grounds.first { $0.option.contains("levomilnacipran") || $0.option.contains("Fetzima") })
        #expect(fetzima.route.hasPrefix("Arizona step-therapy exception law"))
        #expect(fetzima.decision.contains("72 hours") && fetzima.decision.contains("deemed approved if late"))
        #expect(guide.processes.contains { $0.title.hasPrefix("The plan's internal appeal") })
        let route = try Self.process(guide, "Arizona step-therapy exception law")
        #expect(route.notes.contains { $0.contains("not self-funded employer plans (ERISA)") })
    }

    @Test("Medicaid: the plan's appeal, then a state fair hearing")
    func medicaid() throws {
        var plan = try Self.plan("analysis_s2_seizure.json", "99990AZ0010001")
        plan.market = "medicaid"
        let guide = AppealGuide(plan: plan)
        let route = try Self.process(guide, "Medicaid: the plan's appeal, then a state fair hearing")
        let deadlines = route.deadlines.joined(separator: " ")
        #expect(deadlines.contains("within 60 days") && deadlines.contains("fair hearing within 120 days"))
        #expect(route.citation?.contains("42 CFR 431.220") == true)
        #expect(!guide.processes.contains { $0.title.contains("Arizona") }, "state step-therapy laws cover insured plans, not Medicaid")
    }

    @Test("a plan of unknown kind gets the plan's own process, with no invented deadline")
    func unknownKind() throws {
        var plan = try Self.plan("analysis_s2_seizure.json", "99990AZ0010001")
        plan.market = nil
        let guide = AppealGuide(plan: plan)
        #expect(guide.processes.first?.title == "The plan's own exception and appeal process")
        #expect(guide.processes.first?.deadlines.first?.hasPrefix("No legal deadline is known for this plan") == true)
    }
}
