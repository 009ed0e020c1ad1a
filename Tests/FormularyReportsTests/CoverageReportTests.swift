import FormularyAnalysis
import FormularyCriteria
import FormularyReports
import Foundation
import Testing

@Suite("Coverage report")
struct CoverageReportTests {
    let analysis: AnalysisResult
    let metadata: ReportMetadata

    init() throws {
        analysis = try ReportFixtures.twoPlans()
        metadata = ReportFixtures.metadata(for: analysis)
    }

    func report(_ plan: String = ReportFixtures.commercialPlan) throws -> CoverageReport {
        try CoverageReport(analysis: analysis, plan: plan, metadata: metadata)
    }

    @Test("Markdown matches the golden file")
    func markdownGolden() throws {
        try Golden.check(try report().render(.markdown), against: "coverage-commercial.md")
    }

    @Test("JSON is the plan's analysis plus the report metadata, matching the golden file")
    func jsonGolden() throws {
        let json = try report().render(.json)
        try Golden.check(json, against: "coverage-commercial.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let header = try #require(object["report"] as? [String: Any])
        #expect(header["kind"] as? String == "coverage")
        #expect(header["generatedAt"] as? String == "2025-03-20T15:30:00Z")
        #expect(header["asOf"] as? String == "2025-03-20")
        #expect(header["toolVersion"] as? String == "0.9.0-test")
        #expect(header["analysisSchemaVersion"] as? String == "1.0")
        #expect(header["plans"] as? [String] == [ReportFixtures.commercialPlan])
        // The analysis part decodes back into the analyzer's own type, narrowed to the plan.
        struct Envelope: Decodable { var analysis: AnalysisResult }
        let decoded = try JSONDecoder().decode(Envelope.self, from: Data(json.utf8))
        #expect(decoded.analysis.plans.map(\.planID) == [ReportFixtures.commercialPlan])
        #expect(decoded.analysis.plans.first == analysis.plans.first)
    }

    @Test("HTML parses and has every section, in order, with accessible tables and charts")
    func htmlStructure() throws {
        let parsed = try HTMLChecks.requireWellFormed(try report().render(.html))
        #expect(HTMLChecks.sectionIDs(parsed).filter { !$0.hasPrefix("option-") }
            == ["next", "steps", "questions", "all-options", "requirements", "safety", "cost", "history", "appeals", "glossary", "sources"])
        #expect(HTMLChecks.headings(parsed, level: 2) == ["Your best next options", "The steps ahead", "Questions to ask", "A. All options, ranked",
                                                          "B. What each option requires, and the records that show it", "C. Safety notes in plain words",
                                                          "D. Cost by tier", "E. Treatment history as the analysis read it", "F. Exceptions and appeals",
                                                          "G. Glossary", "H. Sources: codes, rules and data behind this report"])
        #expect(parsed.all("svg").map { $0.child("title")?.text } == ["Estimated monthly cost by tier", "Estimated monthly cost by tier", "Treatment so far", "Treatment so far"],
                "the cost chart and the history timeline, each drawn wide and narrow (no shortlisted option has dated steps)")
        // The full table lists every option in the analyzer's order.
        let ranked = try #require(parsed.all("table").first { $0.child("caption")?.text.hasPrefix("Every option under") == true })
        let rowHeaders = ranked.all("tbody").flatMap { $0.all("th") }.map(\.text)
        #expect(rowHeaders.count == analysis.plans[0].options.count)
        #expect(rowHeaders.first == "1. duloxetine (Cymbalta)")
        #expect(rowHeaders.contains("4. Spravato (esketamine)"))
        #expect(ranked.text.contains("Preferred brand (tier 3)") && !ranked.text.contains("NON-PREFERRED"))
    }

    @Test("each option's detail shows the coverage, what is met with evidence and dates, and what remains with the earliest date")
    func optionCard() throws {
        let parsed = try HTMLChecks.requireWellFormed(try report().render(.html))
        let rexulti = try #require(parsed.all("section").first { $0.attributes["id"] == "option-brexpiprazole" })
        let text = rexulti.text
        #expect(text.contains("Preferred brand (tier 3)"))
        #expect(text.contains("$45 a month (estimate)"))
        #expect(text.contains("Prior authorization: adjunctive brand antipsychotic — 2 of 3 requirements met"))
        #expect(!text.contains("PA-SGA"), "the rule id is in the sources")
        #expect(text.contains("MDD diagnosis"), "a met criterion")
        #expect(text.contains("generic aripiprazole or quetiapine"), "the unmet criterion")
        #expect(text.contains("start Mar 20, 2025, counts from Apr 16, 2025"), "the step with its dates")
        #expect(text.contains("Earliest date everything is met: Apr 16, 2025"))
        #expect(text.contains("start at half the usual dose"), "the dose adjustment on the step, in words")

        let trintellix = try #require(parsed.all("section").first { $0.attributes["id"] == "option-vortioxetine" })
        #expect(trintellix.text.contains("sertraline (Jan 10, 2024 – Apr 30, 2024)"), "evidence with its dates")
        #expect(trintellix.text.contains("Apr 30, 2025: the sertraline trial"), "the lookback expiry")
        let sources = try #require(parsed.all("section").first { $0.attributes["id"] == "sources" }).text
        #expect(sources.contains("PA-SGA") && sources.contains("ST-2G") && sources.contains("PA_NOT_MET"))
    }

    @Test("safety in plain words: washout with earliest start, dose change, fiber spacing, manufacturer switch")
    func safety() throws {
        let parsed = try HTMLChecks.requireWellFormed(try report().render(.html))
        let section = try #require(parsed.all("section").first { $0.attributes["id"] == "safety" }).text
        #expect(section.contains("Earliest start: Apr 3, 2025"))
        #expect(section.contains("half the usual dose"))
        #expect(section.contains("at least 1 hour before or 2 hours after"))
        #expect(section.contains("Feb 1, 2025"))
        #expect(section.contains("from maker X (90001) to maker Y (90002)"))
        #expect(section.contains("before PHQ-9 6 on 2024-12-15; after PHQ-9 14 on 2025-03-05"))
    }

    @Test("questions follow from what the analysis contains: the shortlisted options on page 2, the others in the appendix")
    func questions() throws {
        let parsed = try HTMLChecks.requireWellFormed(try report().render(.html))
        let section = try #require(parsed.all("section").first { $0.attributes["id"] == "questions" })
        let lists = section.all("ul").map { $0.all("li").map(\.text) }
        #expect(section.all("h3").map(\.text) == ["Your doctor or prescriber", "Your pharmacist"])
        let doctor = try #require(lists.first), pharmacist = try #require(lists.dropFirst().first)
        #expect(doctor.contains { $0.contains("dose change") && $0.contains("half the usual dose") && !$0.contains("S7") }, "SAFETY_ADJUST → ask about the dose")
        #expect(doctor.contains { $0.contains("MedWatch") }, "manufacturer switch → ask about a MedWatch report")
        #expect(doctor.contains { $0.contains("submit the prior authorization for TMS") }, "PA met → ask to submit")
        #expect(pharmacist.contains { $0.contains("previous maker (X (90001))") }, "manufacturer switch → ask the pharmacy for the previous labeler")
        #expect(pharmacist.contains { $0.contains("space my medicines") }, "fiber → ask about spacing")
        let appeals = try #require(parsed.all("section").first { $0.attributes["id"] == "appeals" })
        let more = appeals.all("li").map(\.text)
        #expect(more.contains { $0.contains("when can I start") && $0.contains("Apr 3, 2025") }, "washout of an option off the shortlist → asked in the appendix")
        #expect(!doctor.contains { $0.contains("when can I start") })
        #expect(more.contains { $0.contains("How long does a prior-authorization decision take") }, "questions for the plan")
    }

    @Test("exceptions and appeals: the Arizona step-therapy law's clocks and deemed approval")
    func arizonaAppeals() throws {
        let parsed = try HTMLChecks.requireWellFormed(try report().render(.html))
        let section = try #require(parsed.all("section").first { $0.attributes["id"] == "appeals" }).text
        #expect(section.contains("State step-therapy exception law"))
        #expect(section.contains("The plan must decide within 72 hours (3 days), or 24 hours when the case is urgent (exigent)."))
        #expect(section.contains("deemed approved"))
        #expect(section.contains("A.R.S. §§ 20-3651"))
        #expect(section.contains("Non-formulary exception request"))
        #expect(!section.contains("Medicare Part D"), "a commercial plan gets no Part D process")
    }

    @Test("exceptions and appeals: Medicare Part D coverage determination and the redetermination deadline")
    func medicareAppeals() throws {
        let parsed = try HTMLChecks.requireWellFormed(try report(ReportFixtures.medicarePlan).render(.html))
        let section = try #require(parsed.all("section").first { $0.attributes["id"] == "appeals" }).text
        #expect(section.contains("Medicare Part D coverage determination"))
        #expect(section.contains("within 72 hours (3 days) after it receives the prescriber's supporting statement"))
        #expect(section.contains("within 24 hours when waiting could seriously harm"))
        // The number of days is the appeals guide's (AppealGuideTests); here: the report shows it.
        #expect(section.contains("redetermination (the first appeal) within"))
    }

    @Test("the glossary explains the plan words")
    func glossary() throws {
        let parsed = try HTMLChecks.requireWellFormed(try report().render(.html))
        let terms = parsed.all("dt").map(\.text)
        for term in ["Formulary", "Tier", "Prior authorization (PA)", "Step therapy (ST)", "Quantity limit (QL)", "Medical benefit", "REMS", "Washout", "Exception", "Appeal"] {
            #expect(terms.contains(term), "glossary has \(term)")
        }
    }

    @Test("a verdict on typical criteria says so")
    func typicalCriteriaWarning() throws {
        var changed = analysis
        changed.plans[0].criteria.basis = .typical
        changed.plans[0].options[3].basis = .typical
        let html = try CoverageReport(analysis: changed, plan: ReportFixtures.commercialPlan, metadata: metadata).render(.html)
        let parsed = try HTMLChecks.requireWellFormed(html)
        #expect(parsed.all("aside").contains { $0.text.contains("typical criteria, not this plan's own") })
    }

    @Test("no plan id picks the first plan; an unknown one lists what there is")
    func planSelection() throws {
        #expect(try CoverageReport(analysis: analysis, metadata: metadata).plan.planID == ReportFixtures.commercialPlan)
        #expect(throws: ReportError.planNotFound("H0000-000-000", available: [ReportFixtures.commercialPlan, ReportFixtures.medicarePlan])) {
            try CoverageReport(analysis: analysis, plan: "H0000-000-000", metadata: metadata)
        }
    }

    @Test("an analysis of another major schema version is refused")
    func schema() throws {
        var future = analysis
        future.schemaVersion = "2.0"
        #expect(throws: ReportError.unsupportedSchema(found: "2.0", supported: "1")) {
            try CoverageReport(analysis: future, metadata: metadata)
        }
        future.schemaVersion = "1.7"
        _ = try CoverageReport(analysis: future, metadata: metadata)
    }
}
