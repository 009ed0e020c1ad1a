import FormularyCriteria
@testable import FormularyReports
import Foundation
import Testing

/// `cost_model.yaml` and `appeals.yaml`: valid as shipped, and every problem named by file, line and key.
@Suite("Cost model and appeal routes (reference data)")
struct CostModelTests {
    static let reference = ReportFixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Formularies/reference")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: reference.appendingPathComponent(name), encoding: .utf8)
    }

    /// The issues of an invalid document, or a recorded failure when it loads.
    static func issues(_ load: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> [DocumentIssue] {
        do {
            try load()
            Issue.record("expected the document to be refused", sourceLocation: sourceLocation)
        } catch DocumentError.invalid(_, let issues) {
            return issues
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        return []
    }

    @Test("the shipped files load")
    func shipped() throws {
        let model = try CostModel.load(directory: Self.reference.path)
        let appeals = try AppealReference.load(directory: Self.reference.path)
        #expect(!model.partD.isEmpty && !appeals.routes.isEmpty)
    }

    @Test("the figures of the 2025 Part D redesign and the yearly limits")
    func figures() throws {
        let model = ShippedReference.costModel
        #expect(model.partD(year: 2025)?.entry.outOfPocketCap == 2000)
        #expect(model.partD(year: 2026)?.entry.outOfPocketCap == 2100)
        #expect(model.partD(year: 2026)?.entry.maximumDeductible == 615)
        #expect(model.aca(year: 2025)?.entry.selfOnly == 9200)
        let later = try #require(model.partD(year: 2027))
        #expect(later.entry.year == 2026 && !later.exact, "a year the file lacks uses the nearest earlier one, and says so")
        #expect(model.fees(year: 2026)?.entry.fee("G2082")?.amount == Decimal(string: "952.59"))
        #expect(model.fees(year: 2026)?.entry.approximate == true)
        #expect(model.courses(option: "tms").first?.items.map(\.count) == [1, 35])
    }

    @Test("a bad cost model is refused with every problem's file, line and key")
    func costModelErrors() throws {
        var text = try Self.text("cost_model.yaml")
        text = text.replacingOccurrences(of: "    outOfPocketCap: 2100\n", with: "    outOfPocketCap: lots\n")
        text = text.replacingOccurrences(of: "    deductible: 283\n    coinsurance: 0.20\n", with: "    deductible: 283\n    coinsurance: 1.5\n")
        text = text.replacingOccurrences(of: "      - {code: G2083, count: 1}", with: "      - {code: G9999, count: 1}")
        text = text.replacingOccurrences(of: "  - year: 2025\n    inNetworkOutOfPocketMaximum: 9350\n", with: "  - year: 2025\n    inNetworkOutOfPocketMaximum: 9350\n    colour: red\n")
        let issues = Self.issues { _ = try CostModel.load(text: text, file: "cost_model.yaml") }
        func issue(_ path: String) -> DocumentIssue? { issues.first { $0.fieldPath == path } }
        let cap = try #require(issue("partD[1].outOfPocketCap"), "\(issues)")
        #expect(cap.file == "cost_model.yaml" && cap.line != nil && cap.value == "lots")
        #expect(issue("partB[1].coinsurance")?.problem.contains("0…1") == true)
        #expect(issue("courses[1].items[0].code")?.value == "G9999")
        #expect(issue("medicareAdvantage[0].colour")?.kind == .unknownKey)
        let message = DocumentError.invalid(file: "cost_model.yaml", issues: issues).localizedDescription
        #expect(message.contains("cost_model.yaml:") && message.contains("partD[1].outOfPocketCap"))
    }

    @Test("a number without its source is refused")
    func missingCitation() throws {
        let text = try Self.text("cost_model.yaml").replacingOccurrences(
            of: "    citation: \"CMS, Announcement of CY 2026 Medicare Advantage Capitation Rates and Part C and Part D Payment Policies (Apr 7, 2025)\"\n",
            with: "")
        let issues = Self.issues { _ = try CostModel.load(text: text, file: "cost_model.yaml") }
        #expect(issues.contains { $0.kind == .missingCitation && $0.fieldPath == "partD[1].citation" }, "\(issues)")
    }

    @Test("bad appeal routes are refused with file, line and key")
    func appealErrors() throws {
        var text = try Self.text("appeals.yaml")
        text = text.replacingOccurrences(of: "    planKinds: [medicaid]\n", with: "    planKinds: [medicayd]\n")
        text = text.replacingOccurrences(of: "{role: appeal, what: \"If the answer is no, ask the plan for a redetermination (the first appeal)\", days: 65,",
                                         with: "{role: appeal, what: \"If the answer is no, ask the plan for a redetermination (the first appeal)\", days: 65, hours: 3,")
        text = text.replacingOccurrences(of: "  - state: NE\n", with: "  - state: Nebraska\n")
        let issues = Self.issues { _ = try AppealReference.load(text: text, file: "appeals.yaml") }
        #expect(issues.contains { $0.fieldPath == "routes[6].planKinds[0]" && $0.value == "medicayd" && $0.line != nil }, "\(issues)")
        #expect(issues.contains { $0.fieldPath == "routes[0].deadlines[2]" && $0.problem.contains("not both") })
        #expect(issues.contains { $0.fieldPath == "stepTherapyLaws[1].state" })
        #expect(issues.contains { $0.problem.contains("no route for plan kind medicaid") }, "a plan kind left without a route")
    }

    @Test("a YAML syntax error names the line")
    func syntax() {
        let issues = Self.issues { _ = try CostModel.load(text: "schema: formulary-cost-model/1\npartD: [\n", file: "cost_model.yaml") }
        #expect(issues.first?.kind == .syntax && issues.first?.line != nil)
    }
}
