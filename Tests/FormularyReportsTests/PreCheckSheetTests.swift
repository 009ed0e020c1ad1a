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
        #expect(text.contains("Request for coverage of Spravato (esketamine) (G2082, G2083)"))
        #expect(text.contains("F33.2"), "the diagnosis from the evidence")
        #expect(text.contains("sertraline 150 mg/day, Jan 10, 2024 – Apr 30, 2024"), "the treatment history from the evidence")
        #expect(!text.contains("venlafaxine"), "a trial that does not count is not argued")
        let blanks = letter.all("mark").map(\.text)
        #expect(blanks.contains("[Patient name]") && blanks.contains("[Member ID]") && blanks.contains("[NPI]"))
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
