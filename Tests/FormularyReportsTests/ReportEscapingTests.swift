import FormularyAnalysis
@testable import FormularyReports
import Foundation
import Testing

/// Every string from a formulary, criteria or patient file is untrusted. These tests push
/// script and attribute-breaking payloads through a drug name, a plan name, the profile label
/// and patient notes, and prove no report carries them as markup.
@Suite("Report escaping")
struct ReportEscapingTests {
    static let script = "<script>alert(1)</script>"
    static let attribute = "\"onload=alert(1)"
    static let single = "' onmouseover='alert(2)"
    static let pipe = "a | b"

    /// The fixture with the payloads in a drug name, its brand, a plan name, the patient label,
    /// trial and evidence notes, an unrecognized drug, a labeler and a criterion label.
    static func hostileAnalysis() throws -> AnalysisResult {
        var analysis = try ReportFixtures.twoPlans()
        analysis.patient = "patient \(attribute) \(script)"
        for planIndex in analysis.plans.indices {
            analysis.plans[planIndex].planName = "Plan \(script) \(attribute) \(single) \(pipe)"
            analysis.plans[planIndex].notes.append("note \(script)")
            let unrecognized = try JSONSerialization.data(withJSONObject: ["ref": "medications[9]", "text": "herbal \(script)"])
            analysis.plans[planIndex].unrecognizedDrugs.append(try JSONDecoder().decode(UnrecognizedDrug.self, from: unrecognized))
            for optionIndex in analysis.plans[planIndex].options.indices where analysis.plans[planIndex].options[optionIndex].optionID == "esketamine" {
                analysis.plans[planIndex].options[optionIndex].name = "Spravato \(script)"
                analysis.plans[planIndex].options[optionIndex].brands = ["Brand \(attribute)"]
                analysis.plans[planIndex].options[optionIndex].summary = "summary \(single) \(script)"
                if !analysis.plans[planIndex].options[optionIndex].rules.isEmpty {
                    analysis.plans[planIndex].options[optionIndex].rules[0].criteria[0].label = "age \(script)"
                    analysis.plans[planIndex].options[optionIndex].rules[0].criteria[2].evidence[0].value = "patient note: \(attribute) \(script)"
                }
            }
            for trialIndex in analysis.plans[planIndex].trials.indices {
                analysis.plans[planIndex].trials[trialIndex].drug += " \(script)"
            }
            for eventIndex in analysis.plans[planIndex].events.indices {
                analysis.plans[planIndex].events[eventIndex].fromLabeler = "X \(attribute)"
            }
        }
        return analysis
    }

    static func reports() throws -> [(String, any RenderableReport)] {
        let analysis = try hostileAnalysis()
        let metadata = ReportFixtures.metadata(for: analysis)
        return [
            ("coverage", try CoverageReport(analysis: analysis, plan: ReportFixtures.commercialPlan, metadata: metadata)),
            ("coverage-medicare", try CoverageReport(analysis: analysis, plan: ReportFixtures.medicarePlan, metadata: metadata)),
            ("precheck", try PreCheckSheet(analysis: analysis, plan: ReportFixtures.commercialPlan, option: "esketamine", metadata: metadata)),
            ("compare", try PlanComparison(analysis: analysis, metadata: metadata)),
        ]
    }

    @Test("HTML never carries the payload as markup, and shows it as text", arguments: 0..<4)
    func html(_ index: Int) throws {
        let (name, report) = try Self.reports()[index]
        let html = try report.render(.html)
        #expect(!html.lowercased().contains("<script"), "\(name): no script tag")
        #expect(!html.contains(Self.attribute), "\(name): the attribute payload's quote is escaped")
        #expect(!html.contains(Self.single), "\(name): the single-quote payload is escaped")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(name): escaped, not dropped")
        #expect(html.contains("&quot;onload=alert(1)"), "\(name)")

        let parsed = try HTMLChecks.requireWellFormed(html)
        #expect(parsed.all("script").isEmpty)
        #expect(parsed.root.text.contains(Self.script), "\(name): the browser shows the payload as text")
        for element in parsed.elements {
            #expect(!element.attributes.keys.contains { $0.lowercased().hasPrefix("on") }, "\(name): no handler attribute on <\(element.name)>")
        }
    }

    @Test("Markdown shows the payload as text: no HTML, no link, no table break", arguments: 0..<4)
    func markdown(_ index: Int) throws {
        let (name, report) = try Self.reports()[index]
        let markdown = try report.render(.markdown)
        #expect(!markdown.contains("<"), "\(name): no raw '<' reaches the Markdown, so nothing renders as HTML")
        #expect(markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(name)")
        // Every table row has as many cell boundaries as its header: a value never splits a cell.
        var expected: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { expected = nil; continue }
            let boundaries = line.indices.filter { line[$0] == "|" && ($0 == line.startIndex || line[line.index(before: $0)] != "\\") }.count
            if let expected {
                #expect(boundaries == expected, "\(name): \(line)")
            } else {
                expected = boundaries
            }
        }
    }

    @Test("JSON keeps the payload exactly, as data", arguments: 0..<4)
    func json(_ index: Int) throws {
        let (name, report) = try Self.reports()[index]
        struct Envelope: Decodable { var analysis: AnalysisResult }
        let decoded = try JSONDecoder().decode(Envelope.self, from: Data(try report.render(.json).utf8))
        #expect(decoded.analysis.patient == "patient \(Self.attribute) \(Self.script)", "\(name)")
    }

    @Test("the HTML escaper escapes & < > \" ' and nothing else")
    func htmlEscaper() throws {
        let analysis = try ReportFixtures.twoPlans()
        var changed = analysis
        changed.patient = "a&b<c>d\"e'f ü ✓"
        let html = try CoverageReport(analysis: changed, metadata: ReportFixtures.metadata(for: changed)).render(.html)
        #expect(html.contains("a&amp;b&lt;c&gt;d&quot;e&#39;f ü ✓"))
    }

    @Test("Markdown escaping neutralizes inline syntax, and block markers at a line start", arguments: [
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
        ("a | b", "a \\| b"),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. item", "1\\. item"),
        ("12.5 mg", "12.5 mg"),
        ("two\nlines", "two lines"),
        ("<b>x</b> & y", "&lt;b&gt;x&lt;/b&gt; &amp; y"),
        ("$45 ST-BUP+SSRI 2025-03-20", "$45 ST-BUP+SSRI 2025-03-20"),
    ])
    func markdownEscaper(_ input: String, _ expected: String) throws {
        #expect(MarkdownEscaping.escape(input) == expected)
        // Mid-line (a heading, a table cell) a block marker cannot start a block and stays as
        // written; through a report, a plan named like one never starts a line of its own.
        if ["# heading", "- item", "+ item", "1. item"].contains(input) {
            #expect(MarkdownEscaping.escape(input, atLineStart: false) == input)
            var analysis = try ReportFixtures.twoPlans()
            analysis.plans[0].planName = input
            let markdown = try CoverageReport(analysis: analysis, metadata: ReportFixtures.metadata(for: analysis)).render(.markdown)
            #expect(!markdown.split(separator: "\n").contains { $0.hasPrefix(input) })
        }
    }
}
