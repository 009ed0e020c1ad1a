import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// Every validation error names file, line and rule id.
@Suite("Criteria validation")
struct CriteriaValidationTests {
    let loader = CriteriaLoader(reference: Fixtures.shared.reference)

    static let header = """
    schema: formulary-criteria/1
    id: bad
    appliesTo: {plans: ["11111AZ0000001"]}
    versions:
      - {id: V1, from: 2025-01-01}
    adequacy:
      ADQ-ST: {purpose: step, minDays: 30, lookbackDays: 365}
    rules:

    """

    func issues(_ rules: String) -> [DocumentIssue] {
        do {
            _ = try loader.load(yaml: Self.header + rules, file: "bad.yaml")
            return []
        } catch DocumentError.invalid(_, let issues) {
            return issues
        } catch {
            return []
        }
    }

    /// (what, rule text, expected kind, expected line, expected rule id)
    static let cases: [(String, String, DocumentIssue.Kind, Int, String)] = [
        ("unknown key", """
          - id: R1
            kind: step-therapy
            version: V1
            effective: {from: 2025-01-01}
            citation: test
            options: [Trintellix]
            colour: blue
            requires:
              - step: {adequacy: ADQ-ST, from: [sertraline]}
        """, .unknownKey, 15, "R1"),
        ("wrong type", """
          - id: R2
            kind: step-therapy
            version: V1
            effective: {from: 2025-01-01}
            citation: test
            options: [Trintellix]
            requires:
              - step: {count: two, adequacy: ADQ-ST, from: [sertraline]}
        """, .wrongType, 16, "R2"),
        ("unknown drug", """
          - id: R3
            kind: step-therapy
            version: V1
            effective: {from: 2025-01-01}
            citation: test
            options: [Trintellix]
            requires:
              - step: {adequacy: ADQ-ST, from: [sertralene]}
        """, .unknownDrug, 16, "R3"),
        ("unknown class", """
          - id: R4
            kind: step-therapy
            version: V1
            effective: {from: 2025-01-01}
            citation: test
            options: [Trintellix]
            requires:
              - step:
                  adequacy: ADQ-ST
                  from: {classes: [SSRIs]}
        """, .unknownClass, 18, "R4"),
        ("unknown adequacy rule", """
          - id: R5
            kind: step-therapy
            version: V1
            effective: {from: 2025-01-01}
            citation: test
            options: [Trintellix]
            requires:
              - step:
                  adequacy: ADQ-TS
                  from: [sertraline]
        """, .unknownAdequacyRule, 17, "R5"),
        ("missing citation", """
          - id: R6
            kind: step-therapy
            version: V1
            effective: {from: 2025-01-01}
            options: [Trintellix]
            requires:
              - step: {adequacy: ADQ-ST, from: [sertraline]}
        """, .missingCitation, 9, "R6"),
        ("unknown safety rule", """
          - id: R7
            kind: prior-authorization
            version: V1
            effective: {from: 2025-01-01}
            citation: test
            options: [Spravato]
            requires:
              - noContraindication: {safetyRules: [S42]}
        """, .unknownSafetyRule, 16, "R7"),
        ("overlapping dates", """
          - id: R8
            kind: step-therapy
            version: V1
            effective: {from: 2025-01-01}
            citation: test
            options: [Trintellix]
            requires:
              - step: {adequacy: ADQ-ST, from: [sertraline]}
          - id: R8
            kind: step-therapy
            version: V1
            effective: {from: 2025-06-01, through: 2025-12-31}
            citation: test
            options: [Trintellix]
            requires:
              - step: {adequacy: ADQ-ST, from: [escitalopram]}
        """, .overlappingDates, 17, "R8"),
    ]

    @Test("each error names file, line and rule", arguments: cases.indices)
    func namesFileLineRule(index: Int) {
        let (what, text, kind, line, rule) = Self.cases[index]
        let found = issues(text)
        let match = found.first { $0.kind == kind }
        #expect(match != nil, "\(what): got \(found.map(\.description))")
        #expect(match?.file == "bad.yaml", "\(what)")
        #expect(match?.line == line, "\(what): line \(match?.line.map(String.init) ?? "nil"), expected \(line)")
        #expect(match?.ruleID == rule, "\(what)")
        #expect(match?.description.contains("bad.yaml:\(line)") == true && match?.description.contains("rule \(rule)") == true)
    }

    @Test("the shipped criteria files validate and load together")
    func shippedFilesValidate() throws {
        let set = try loader.loadDirectory(Fixtures.criteriaFolder)
        #expect(Set(set.documents.map(\.id)) == ["default-trd", "reference-a", "reference-m"])
        let a = try #require(set.documents.first { $0.id == "reference-a" })
        #expect(a.versions.map(\.id) == ["A-2025-01", "A-2025-07"])
        #expect(a.rules.filter { $0.id == "PA-ESK" }.count == 2)
        #expect(set.resolvePlanReference("A-2025-07").pinnedVersion == "A-2025-07")
        #expect(set.resolvePlanReference("A-2025-07").plans.map(\.rawValue) == ["99990AZ0010001"])
    }

    @Test("a pinned version that does not exist is an error")
    func unknownVersion() throws {
        let set = Fixtures.shared.criteria
        #expect(throws: DocumentError.self) {
            _ = try set.policy(plan: .init("99990AZ0010001"), formulary: nil, asOf: Fixtures.day("2025-03-01"), pinnedVersion: "A-2099-01")
        }
    }

    @Test("a YAML syntax error names the line")
    func syntax() {
        do {
            _ = try loader.load(yaml: "schema: formulary-criteria/1\nrules: [\n  - id: x\n", file: "broken.yaml")
            Issue.record("expected an error")
        } catch DocumentError.invalid(let file, let issues) {
            #expect(file == "broken.yaml")
            #expect(issues.first?.kind == .syntax)
            #expect(issues.first?.line != nil)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
