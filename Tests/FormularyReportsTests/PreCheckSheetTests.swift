import FormularyAnalysis
import FormularyReports
import Foundation
import Testing

@Suite("PA pre-check sheet")
struct PreCheckSheetTests {
    let analysis: AnalysisResult
    let metadata: ReportMetadata

    init() throws {
        analysis = try ReportFixtures.twoPlans()
        metadata = ReportFixtures.metadata(for: analysis)
    }

    @Test("Markdown and JSON match the golden files (Spravato, Medicare: criteria met)")
    func goldensMet() throws {
        let sheet = try PreCheckSheet(analysis: analysis, plan: ReportFixtures.medicarePlan, option: "Spravato", metadata: metadata)
        try Golden.check(try sheet.render(.markdown), against: "precheck-spravato-medicare.md")
        try Golden.check(try sheet.render(.json), against: "precheck-spravato-medicare.json")
    }

    @Test("Markdown matches the golden file (Rexulti, commercial: a step remains)")
    func goldenUnmet() throws {
        let sheet = try PreCheckSheet(analysis: analysis, plan: ReportFixtures.commercialPlan, option: "brexpiprazole", metadata: metadata)
        try Golden.check(try sheet.render(.markdown), against: "precheck-rexulti-commercial.md")
    }

    @Test("the checklist has every criterion with its status, evidence, dates and criteria-file line")
    func checklist() throws {
        let sheet = try PreCheckSheet(analysis: analysis, plan: ReportFixtures.commercialPlan, option: "esketamine", metadata: metadata)
        let parsed = try HTMLChecks.requireWellFormed(try sheet.render(.html))
        let table = try #require(parsed.all("table").first { $0.child("caption")?.text == "PA-ESK criteria, version A-2025-01" })
        #expect(table.all("thead").flatMap { $0.all("th") }.map(\.text) == ["Criterion", "Status", "Evidence and dates", "Still to document", "Line"])
        let rows = table.all("tbody").flatMap { $0.all("tr") }
        #expect(rows.count == 8)
        let trials = try #require(rows.first { $0.text.contains("≥2 adequate antidepressant trials") }).text
        #expect(trials.contains("✓ Met"))
        #expect(trials.contains("sertraline (150 mg/day, Jan 10, 2024 – Apr 30, 2024)"))
        #expect(trials.contains("history[0]"), "the patient-file reference, so staff can find the record")
        #expect(trials.contains("(not counted)"), "venlafaxine is listed to explain, not counted")
        let pdmp = try #require(rows.first { $0.text.contains("PDMP") }).text
        #expect(pdmp.contains("? Unknown"))
        #expect(pdmp.contains("prescriber attestation that the state PDMP was checked"))

        let source = try #require(parsed.all("section").first { $0.attributes["id"] == "source" }).text
        #expect(source.contains("Reference Formulary A"))
        #expect(source.contains("version A-2025-01"))
        #expect(source.contains("DOMAIN.md §5.0 PA-ESK"))
        let missing = try #require(parsed.all("section").first { $0.attributes["id"] == "missing" }).text
        #expect(missing.contains("prescriber attestation that the state PDMP was checked"))
    }

    @Test("the letter of medical necessity is a marked draft filled from the evidence, with blanks for what the analysis does not hold")
    func letter() throws {
        let sheet = try PreCheckSheet(analysis: analysis, plan: ReportFixtures.medicarePlan, option: "Spravato", metadata: metadata)
        let parsed = try HTMLChecks.requireWellFormed(try sheet.render(.html))
        let letter = try #require(parsed.all("aside").first { $0.attributes["class"] == "callout draft" })
        let text = letter.text
        #expect(text.hasPrefix("DRAFT: for the prescriber to review, edit and sign."))
        #expect(text.contains("Request for coverage of Spravato (esketamine) (billing codes G2082, G2083)"))
        #expect(text.contains("major depressive disorder, recurrent, severe without psychotic features (F33.2)"), "the diagnosis in words, from the evidence")
        #expect(text.contains("sertraline 150 mg/day, January 10, 2024 to April 30, 2024 (16 weeks): inadequate response."), "the treatment history from the evidence")
        #expect(!text.contains("venlafaxine"), "a trial that does not count is not argued")
        let blanks = letter.all("mark").map(\.text)
        #expect(blanks.contains("[Patient name]") && blanks.contains("[Member ID]") && blanks.contains("[NPI]"))
    }

    /// The letter's text in Markdown, for one plan and option of a fixture.
    static func letterText(_ fixture: String, plan: String, option: String) throws -> String {
        let analysis = try ReportFixtures.analysis(fixture)
        let sheet = try PreCheckSheet(analysis: analysis, plan: plan, option: option, metadata: ReportFixtures.metadata(for: analysis))
        let markdown = try sheet.render(.markdown)
        let start = try #require(markdown.range(of: "## Draft letter of medical necessity"))
        let end = markdown.range(of: "\n## ", range: start.upperBound..<markdown.endIndex)?.lowerBound ?? markdown.endIndex
        return String(markdown[start.upperBound..<end])
    }

    @Test("S2's letter names citalopram, the one trial that counts, with dose, dates and outcome")
    func letterNamesCountingTrial() throws {
        let text = try Self.letterText("analysis_s2_seizure.json", plan: "99990AZ0010001", option: "Spravato")
        #expect(text.contains("**citalopram** 20 mg/day, February 14, 2025 to April 27, 2025 (10 weeks): inadequate response."), "\(text)")
        let history = try #require(text.components(separatedBy: "as your criteria count it:").last?.components(separatedBy: "In addition:").first)
        #expect(!history.contains("escitalopram"), "39 days does not count")
        #expect(!history.contains("trazodone"), "a hypnotic dose does not count")
        #expect(text.contains("not yet documented"), "the missing second trial is a visible blank")
    }

    @Test("the severity sentence is filled from the latest scores in the evidence")
    func letterSeverity() throws {
        let text = try Self.letterText("analysis_s1_baseline.json", plan: "99990AZ0010001", option: "Spravato")
        #expect(text.contains("Current severity: the most recent scores are MADRS 32 on March 10, 2025 (moderate); PHQ-9 19 on March 10, 2025 (moderately severe)."), "\(text)")
        #expect(!text.contains("MADRS or other clinician-rated score"), "no blank for a scale the analysis carries")
        // An analysis saved before `PlanResult.scores` quotes scores only in criteria evidence.
        var older = try ReportFixtures.analysis("analysis_s1_baseline.json")
        for index in older.plans.indices { older.plans[index].scores = nil }
        let sheet = try PreCheckSheet(analysis: older, plan: "99990AZ0010001", option: "Spravato", metadata: ReportFixtures.metadata(for: older))
        let markdown = try sheet.render(.markdown)
        #expect(markdown.contains("Current severity: the most recent score is PHQ-9 19 on March 10, 2025 (moderately severe)."))
        #expect(markdown.contains("\\[MADRS or other clinician-rated score and date, if measured\\]"), "a blank, not a guess")
    }

    @Test("no internal code reaches the letter: rule ids, adequacy rules, safety-rule numbers, patient-file fields", arguments: [
        ("analysis_s1_baseline.json", "99990AZ0010001"), ("analysis_s2_seizure.json", "99990AZ0010001"),
        ("analysis_medicare_continuing.json", "H9990-001-000"), ("analysis_two_plans.json", "99990AZ0010001"),
    ])
    func letterPlainWords(_ fixture: String, _ plan: String) throws {
        let analysis = try ReportFixtures.analysis(fixture)
        let result = try #require(analysis.plans.first { $0.planID == plan })
        for option in result.options where option.verdict != .coveredNoUM || !option.rules.isEmpty {
            let text = try Self.letterText(fixture, plan: plan, option: option.optionID)
            let patterns: [Regex<Substring>] = [#/ADQ-/#, #/\b(?:PA|ST)-[A-Z0-9]/#, #/\bS\d{1,2}\b/#, #/remsSite|pdmpAttested|prescriberSpecialty|medwatchFiled/#,
                                                #/\b(?:flags|trials|claims|history|current|scores)(?:\.|\\?\[)/#, #/DOMAIN\.md/#, #/[A-Z]{2,}_[A-Z_]{2,}/#]
            for pattern in patterns {
                #expect(text.firstMatch(of: pattern) == nil, "\(fixture) \(option.optionID): \(text)")
            }
        }
    }

    @Test("a pinned version that starts after the as-of date is not ready to submit, and says when it starts")
    func futureVersion() throws {
        let s1 = try ReportFixtures.analysis("analysis_s1_baseline.json")
        let sheet = try PreCheckSheet(analysis: s1, plan: "99990AZ0010001", option: "Spravato", metadata: ReportFixtures.metadata(for: s1))
        let parsed = try HTMLChecks.requireWellFormed(try sheet.render(.html))
        let result = try #require(parsed.all("section").first { $0.attributes["id"] == "result" }).text
        #expect(result.contains("Not ready to submit before Jul 1, 2025"), "\(result)")
        #expect(!result.contains("Ready to submit:"))
        let warning = try #require(parsed.all("aside").first { $0.text.contains("Criteria version:") }).text
        #expect(warning.contains("version A-2025-07, which takes effect on Jul 1, 2025"))
        #expect(warning.contains("Until then, the version in force on Mar 20, 2025 applies"))
        // Criteria in force on the as-of date (not pinned): ready.
        let tms = try PreCheckSheet(analysis: analysis, plan: ReportFixtures.commercialPlan, option: "TMS", metadata: metadata)
        #expect(try tms.render(.markdown).contains("**Ready to submit: every criterion is met on the evidence below.**"))
    }

    @Test("the option is found by id, name or brand; an unknown one lists the plan's options")
    func optionLookup() throws {
        for name in ["esketamine", "Spravato", "spravato", "Spravato (esketamine)"] {
            #expect(try PreCheckSheet(analysis: analysis, plan: ReportFixtures.commercialPlan, option: name, metadata: metadata).option.optionID == "esketamine")
        }
        #expect(throws: ReportError.self) {
            try PreCheckSheet(analysis: analysis, plan: ReportFixtures.commercialPlan, option: "ketamine lozenge", metadata: metadata)
        }
        do {
            _ = try PreCheckSheet(analysis: analysis, plan: ReportFixtures.commercialPlan, option: "ketamine lozenge", metadata: metadata)
        } catch let error as ReportError {
            #expect(error.localizedDescription.contains("duloxetine, bupropion, aripiprazole, esketamine"))
        }
    }

    @Test("the JSON holds just the plan and option the sheet is about")
    func jsonScope() throws {
        let sheet = try PreCheckSheet(analysis: analysis, plan: ReportFixtures.commercialPlan, option: "TMS", metadata: metadata)
        struct Envelope: Decodable {
            struct Header: Decodable { var kind: String; var plans: [String]; var option: String? }
            var report: Header
            var analysis: AnalysisResult
        }
        let envelope = try JSONDecoder().decode(Envelope.self, from: Data(try sheet.render(.json).utf8))
        #expect(envelope.report.kind == "precheck")
        #expect(envelope.report.option == "tms")
        #expect(envelope.analysis.plans.count == 1)
        #expect(envelope.analysis.plans.first?.options.map(\.optionID) == ["tms"])
    }
}
