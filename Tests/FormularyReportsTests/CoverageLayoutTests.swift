import FormularyAnalysis
import FormularyCriteria
import FormularyModel
@testable import FormularyReports
import Foundation
import Testing

/// Issue 14: the coverage report puts the answer first (page 1: the shortlist; page 2: the steps
/// ahead and the questions; everything else in an appendix), in plain words without internal
/// codes or contradictions, and its HTML is built for phones (stacked table cells, charts drawn
/// twice). Page counts and overflow in a real browser are `Tests/Browser/test_reports.py`'s.
@Suite("Coverage report: answer first, plain words, phones")
struct CoverageLayoutTests {
    /// The bundled S1 and S7 patients as `formulary analyze --json` wrote them (schema 1.1,
    /// against the bundled formularies): a real shortlist, ECT met with four unknowns, a criteria
    /// version pinned outside its dates, and S7's 25 monthly fills with a labeler switch.
    static func s1() throws -> AnalysisResult { try ReportFixtures.analysis("coverage_analysis_s1.json") }
    static func s7() throws -> AnalysisResult { try ReportFixtures.analysis("coverage_analysis_s7.json") }

    static func html(_ analysis: AnalysisResult, plan: String? = nil) throws -> String {
        try CoverageReport(analysis: analysis, plan: plan, metadata: ReportFixtures.metadata(for: analysis)).render(.html)
    }

    /// Every coverage report the tests can build: the fixture's two plans, S1 and S7.
    static func samples() throws -> [(String, AnalysisResult, String?)] {
        let fixture = try ReportFixtures.twoPlans()
        return [("fixture-commercial", fixture, ReportFixtures.commercialPlan), ("fixture-medicare", fixture, ReportFixtures.medicarePlan),
                ("s1", try s1(), nil), ("s7", try s7(), nil)]
    }

    /// The elements before the appendix, and the appendix itself.
    static func split(_ parsed: ParsedHTML) throws -> (body: [ParsedHTML.Element], appendix: ParsedHTML.Element) {
        let main = try #require(parsed.all("main").first)
        let children = main.children.compactMap { node -> ParsedHTML.Element? in
            if case .element(let element) = node { return element }
            return nil
        }
        let appendices = children.filter { $0.attributes["class"] == "appendix" }
        try #require(appendices.count == 1, "exactly one appendix")
        let index = try #require(children.firstIndex { $0.attributes["class"] == "appendix" })
        #expect(index == children.count - 1, "the appendix comes last")
        return (Array(children[..<index]), appendices[0])
    }

    // MARK: Answer first

    @Test("page 1 is the analysis's shortlist; page 2 the steps ahead and the questions; the rest is in one appendix, printed from a new page")
    func answerFirst() throws {
        let analysis = try Self.s1()
        let parsed = try HTMLChecks.requireWellFormed(try Self.html(analysis))
        let (body, appendix) = try Self.split(parsed)
        #expect(body.compactMap { $0.attributes["id"] } == ["next", "steps", "questions"])
        #expect(body.contains { $0.attributes["class"] == "page-break" }, "page 2 starts on a new printed page")
        #expect(appendix.all("section").compactMap { $0.attributes["id"] }.filter { !$0.hasPrefix("option-") }
            == ["all-options", "requirements", "safety", "cost", "history", "appeals", "glossary", "sources"])

        // The shortlist, in the analysis's order, with its six columns.
        let next = try #require(body.first { $0.attributes["id"] == "next" })
        let table = try #require(next.all("table").first)
        #expect(table.all("th").filter { $0.attributes["scope"] == "col" }.map(\.text)
            == ["Option", "Status", "Your cost a month", "What has to happen first", "Earliest start", "Safety"])
        let rows = table.all("tbody").flatMap { $0.all("tr") }
        let shortlist = analysis.plans[0].shortlist
        #expect(rows.count == shortlist.count && rows.count <= 5)
        for (row, item) in zip(rows, shortlist) {
            #expect(row.all("th").first?.text.contains(item.name) == true, "\(item.name) in the analysis's order")
            #expect(row.all("span").contains { $0.attributes["class"]?.hasPrefix("badge") == true }, "a status badge")
        }
        // Spravato: criteria met, $ per session, the TMS warning in words.
        let spravato = try #require(rows.first { $0.text.contains("Spravato") }).text
        #expect(spravato.contains("Approval criteria met"))
        #expect(spravato.contains("20% coinsurance per session"))
        #expect(spravato.contains("Medical benefit"))
        #expect(spravato.contains("Spravato and TMS not in the same course"))
        #expect(spravato.contains("prior-authorization request"))
        // Covered generics: $10 a month, generic tier, now.
        let first = try #require(rows.first).text
        #expect(first.contains("$10 a month") && first.contains("Generic") && first.contains("now"))

        // Page 2: the questions for the doctor and the pharmacist; the plan's are in the appendix.
        let questions = try #require(body.first { $0.attributes["id"] == "questions" })
        #expect(questions.all("h3").map(\.text).first == "Your doctor or prescriber")
        #expect(questions.all("h3").allSatisfy { ["Your doctor or prescriber", "Your pharmacist"].contains($0.text) }, "the plan's questions are in the appendix")
        #expect(questions.text.contains("The report shows every prior-authorization criterion met for Spravato (esketamine) and TMS"), "about the shortlisted options")
        let appeals = try #require(appendix.all("section").first { $0.attributes["id"] == "appeals" })
        #expect(appeals.all("h3").map(\.text).contains("Questions for your plan"))
    }

    @Test("an analysis without a shortlist (schema 1.0) shows its best-ranked open options and says so")
    func shortlistFallback() throws {
        let parsed = try HTMLChecks.requireWellFormed(try Self.html(try ReportFixtures.twoPlans(), plan: ReportFixtures.commercialPlan))
        let next = try #require(parsed.all("section").first { $0.attributes["id"] == "next" })
        #expect(next.text.contains("this analysis has no shortlist of its own"))
        let rows = try #require(next.all("table").first).all("tbody").flatMap { $0.all("tr") }
        #expect(rows.count == 5)
        #expect(rows.first?.all("th").first?.text.hasPrefix("1. duloxetine (Cymbalta)") == true)
        #expect(!rows.contains { $0.text.contains("Exxua") }, "not-covered options are not suggested")
    }

    @Test("S7: monthly fills are collapsed into one span per run, with the labeler switch")
    func fillsCollapsed() throws {
        let parsed = try HTMLChecks.requireWellFormed(try Self.html(try Self.s7()))
        let text = parsed.root.text
        let history = try #require(parsed.all("section").first { $0.attributes["id"] == "history" }).text
        #expect(history.contains("bupropion XL 300 mg, Mar 1, 2023 → today"), "\(history.prefix(400))")
        #expect(history.contains("claims (25 fills)"))
        #expect(history.contains("maker switch Feb 1, 2025"))
        // The analysis lists the 25 claims as evidence for several criteria (81 lines in the
        // report before issue 14); the report lists one run per criterion.
        #expect(!text.contains("bupropion XL 300 mg (300 mg/day, Apr 1, 2023 – Apr 30, 2023)"), "no monthly fill is listed on its own")
        #expect(text.contains("25 fills, Mar 1, 2023 – Mar 30, 2025, maker switch Feb 1, 2025"))
        let mentions = text.components(separatedBy: "bupropion XL 300 mg (").count - 1
        #expect(mentions <= 10, "\(mentions) lines about bupropion fills")
    }

    // MARK: Plain words

    /// Words of the analysis's machine vocabulary: verdict codes, rule ids, adequacy ids, safety
    /// rule ids, file flags, and the tier code words of the plan's data.
    static func codes(in analysis: AnalysisResult, plan: PlanResult) -> [String] {
        var codes = Set(Verdict.allCases.map(\.rawValue))
        for option in plan.options {
            for rule in option.rules { codes.insert(rule.ruleID) }
            if let tier = option.coverage.tierCode, PlainWords.tierNumber(tier) == nil { codes.insert(tier) }
            for finding in option.safety { codes.insert(finding.ruleID) }
        }
        for finding in plan.regimenSafety { codes.insert(finding.ruleID) }
        codes.formUnion(["ADQ-TRD", "ADQ-ST", "ADQ-ST28", "remsSite", "pdmpAttested", "highSuicideRisk", "priorECTResponse", "prescriberPsychiatrist"])
        return codes.sorted()
    }

    @Test("no internal code before the sources appendix: verdict codes, rule ids, safety ids, file flags and tier code words stay in the sources", arguments: 0..<4)
    func noCodesInBody(_ index: Int) throws {
        let (name, analysis, planID) = try Self.samples()[index]
        let plan = try AnalysisLookup.plan(planID, in: analysis)
        let parsed = try HTMLChecks.requireWellFormed(try Self.html(analysis, plan: planID))
        let (body, appendix) = try Self.split(parsed)
        let beforeSources = appendix.children.compactMap { node -> ParsedHTML.Element? in
            if case .element(let element) = node, element.attributes["id"] != "sources" { return element }
            return nil
        }
        let text = (body + beforeSources).map(\.text).joined(separator: " ")
        for code in Self.codes(in: analysis, plan: plan) {
            let pattern = "(?<![A-Za-z0-9-])" + NSRegularExpression.escapedPattern(for: code) + "(?![A-Za-z0-9-])"
            if let found = text.range(of: pattern, options: .regularExpression) {
                let from = text.index(found.lowerBound, offsetBy: -60, limitedBy: text.startIndex) ?? text.startIndex
                Issue.record("\(name): “\(code)” appears before the sources: …\(text[from..<found.upperBound])")
            }
        }
        // The sources keep them.
        let sources = try #require(appendix.all("section").first { $0.attributes["id"] == "sources" }).text
        for rule in plan.options.flatMap(\.rules) { #expect(sources.contains(rule.ruleID), "\(name): \(rule.ruleID) in the sources") }
        for verdict in Set(plan.options.map(\.verdict)) { #expect(sources.contains(verdict.rawValue), "\(name): \(verdict.rawValue) in the sources") }
    }

    @Test("tiers by meaning: “Preferred brand (tier 3)”, “Generic”, “Medical benefit”, never the source's code word", arguments: [
        ("3", TierCategory.preferredBrand, "pharmacy", "Preferred brand (tier 3)"),
        ("PREFERRED-BRAND", .preferredBrand, "pharmacy", "Preferred brand"),
        ("NON-PREFERRED-BRAND", .nonPreferredBrand, "pharmacy", "Non-preferred brand"),
        ("GENERIC", .generic, "pharmacy", "Generic"),
        ("MB", .medicalBenefit, "medical", "Medical benefit"),
        ("BH", .other, "behavioral-health", "Behavioral-health benefit"),
        ("T5", .specialty, "pharmacy", "Specialty (tier 5)"),
        ("2", .unknown, "pharmacy", "Tier 2"),
    ])
    func tierWords(_ code: String, _ category: TierCategory, _ benefit: String, _ expected: String) throws {
        var coverage = try #require(try ReportFixtures.twoPlans().plans[0].options.first).coverage
        coverage.tierCode = code
        coverage.tierCategory = category
        coverage.benefit = benefit
        #expect(PlainWords.tier(coverage) == expected)
    }

    @Test("analyzer sentences in plain words: adequacy ids, flags and safety ids become words")
    func plainSentences() {
        #expect(PlainWords.sentence("3 qualifying ADQ-TRD trials (SNRI, SSRI)") == "3 qualifying adequate trials (SNRI, SSRI)")
        #expect(PlainWords.sentence("remsSite: yes") == "REMS-certified treatment site: yes")
        #expect(PlainWords.sentence("flag remsSite") == "REMS-certified treatment site")
        #expect(PlainWords.sentence("no S11 contraindication documented") == "no contraindication documented")
        #expect(PlainWords.sentence("no contraindication (S11)") == "no contraindication")
        #expect(PlainWords.sentence("ADQ-ST: 2 of venlafaxine, duloxetine") == "2 of venlafaxine, duloxetine")
        #expect(PlainWords.sentence("sertraline 50 mg, since 2024-01-10") == "sertraline 50 mg, since 2024-01-10", "ordinary text is untouched")
    }

    // MARK: No contradictions

    @Test("S1's ECT: criteria met with four unknowns says “met, pending 4 answers”, never “every requirement is met” alone")
    func metPendingAnswers() throws {
        let analysis = try Self.s1()
        let ect = try #require(analysis.plans[0].options.first { $0.optionID == "ect" })
        let unknown = ect.rules.filter(\.applied).flatMap(\.criteria).filter { $0.status == .unknown }.count
        try #require(ect.verdict == .coveredPAMet && unknown == 4, "the fixture's ECT is PA met with 4 unknowns")
        let parsed = try HTMLChecks.requireWellFormed(try Self.html(analysis))
        let card = try #require(parsed.all("section").first { $0.attributes["id"] == "option-ect" }).text
        #expect(card.contains("Approval criteria met, pending 4 answers"))
        #expect(!card.contains("every requirement is met"), "\(card.prefix(300))")
        #expect(card.contains("Still to answer"))
        let row = try #require(parsed.all("tr").first { $0.all("th").first?.text.hasSuffix(". ECT") == true })
        #expect(row.text.contains("pending 4 answers"), "the option table says the same")
    }

    @Test("“not met” beside “no path” says what is missing: information in the records, not a trial")
    func notMetNoPath() throws {
        var analysis = try ReportFixtures.twoPlans()
        let index = try #require(analysis.plans[0].options.firstIndex { $0.optionID == "brexpiprazole" })
        analysis.plans[0].options[index].remaining?.reachable = false
        analysis.plans[0].options[index].remaining?.reachableOn = nil
        analysis.plans[0].options[index].remaining?.steps = []
        analysis.plans[0].options[index].remaining?.blockedReason = "diagnosis F32.2, F33.2: no diagnosis among F32.2, F33.2"
        let parsed = try HTMLChecks.requireWellFormed(try Self.html(analysis, plan: ReportFixtures.commercialPlan))
        let card = try #require(parsed.all("section").first { $0.attributes["id"] == "option-brexpiprazole" }).text
        #expect(card.contains("Not met: information missing"))
        #expect(card.contains("What is missing is information in the records, not another trial: diagnosis F32.2, F33.2"))
        #expect(!card.contains("not met yet"), "no “not met yet” promise beside no path")
        #expect(!parsed.root.text.contains("no path found"))
        let row = try #require(parsed.all("tr").first { $0.all("th").first?.text.contains("Rexulti") == true })
        #expect(row.text.contains("no date: information missing"))
    }

    @Test("a criteria version pinned outside its dates is explained in words on page 1; the analysis's note with the version id is in the sources")
    func pinnedVersion() throws {
        let analysis = try Self.s1()
        try #require(analysis.plans[0].criteria.pinned && analysis.plans[0].criteria.rulesAsOf > analysis.asOf)
        let parsed = try HTMLChecks.requireWellFormed(try Self.html(analysis))
        let next = try #require(parsed.all("section").first { $0.attributes["id"] == "next" }).text
        #expect(next.contains("The plan's rules that take effect on Jul 1, 2025 are used, as the patient file asks, although this report is as of Mar 20, 2025. Before Jul 1, 2025 the plan applies its earlier rules"))
        #expect(!next.contains("A-2025-07"), "no version id on page 1")
        #expect(!next.contains("pinned"))
        let sources = try #require(parsed.all("section").first { $0.attributes["id"] == "sources" }).text
        #expect(sources.contains("A-2025-07 pinned"))
    }

    // MARK: Phones

    @Test("every data cell carries its column name for the stacked-card layout, and tables keep explicit table roles", arguments: 0..<4)
    func stackedCells(_ index: Int) throws {
        let (name, analysis, planID) = try Self.samples()[index]
        let parsed = try HTMLChecks.requireWellFormed(try Self.html(analysis, plan: planID))
        for table in parsed.all("table") {
            #expect(table.attributes["role"] == "table", "\(name)")
            let headers = table.all("thead").flatMap { $0.all("th") }.map(\.text)
            for row in table.all("tbody").flatMap({ $0.all("tr") }) {
                #expect(row.attributes["role"] == "row")
                let cells = row.children.compactMap { node -> ParsedHTML.Element? in
                    if case .element(let element) = node { return element }
                    return nil
                }
                for (column, cell) in cells.enumerated() where cell.name == "td" {
                    #expect(cell.attributes["data-label"] == headers[column], "\(name): column \(column) of “\(table.child("caption")?.text ?? "")”")
                    #expect(cell.attributes["role"] == "cell")
                }
            }
        }
        let style = parsed.all("style").map(\.text).joined()
        #expect(style.contains("td[data-label]::before { content: attr(data-label)"), "cells show their column name on a phone")
        #expect(style.contains("@media screen and (max-width: 40rem)"))
    }

    @Test("every chart is drawn twice, wide and narrow, each an accessible image; the narrow drawing is 360 units wide with labels of 11.5 or more", arguments: 0..<4)
    func chartsForPhones(_ index: Int) throws {
        let (name, analysis, planID) = try Self.samples()[index]
        let parsed = try HTMLChecks.requireWellFormed(try Self.html(analysis, plan: planID))
        for figure in parsed.all("figure") {
            let svgs = figure.all("svg")
            #expect(svgs.map { $0.attributes["class"] } == ["chart chart-wide", "chart chart-narrow"], "\(name)")
            #expect(svgs.map { $0.child("title")?.text } .allSatisfy { $0 != nil && $0 == svgs.first?.child("title")?.text }, "\(name): one title for both")
            let narrow = try #require(svgs.last)
            #expect(narrow.attributes["width"] == "360", "\(name)")
            for svg in svgs {
                let sizes = ([svg] + svg.descendants).compactMap { $0.attributes["font-size"] }.compactMap(Double.init)
                #expect(sizes.allSatisfy { $0 >= 11.5 }, "\(name): font sizes \(sizes.filter { $0 < 11.5 })")
                let ids = ([svg] + svg.descendants).compactMap { $0.attributes["id"] }
                #expect(Set(ids).count == ids.count)
            }
        }
        let ids = parsed.elements.compactMap { $0.attributes["id"] }
        #expect(Set(ids).count == ids.count, "\(name): ids are unique across both drawings")
        let style = parsed.all("style").map(\.text).joined()
        #expect(style.contains("figure svg.chart-narrow { display: none; }"))
        #expect(style.contains("figure svg.chart-wide { display: none; }"))
    }
}
