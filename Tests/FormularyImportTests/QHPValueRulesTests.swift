import Foundation
import FormularyImport
import FormularyModel
import Testing

/// Small plans.json and drugs.json documents written by the tests, one key per line, so every value
/// has a line of its own to be found at.
enum QHPDocuments {
    static let planID = "12345XX9876543"

    /// One `cost_sharing` entry; `copay` and `coinsurance` are JSON number text.
    static func cost(_ pharmacyType: String = "1-MONTH-IN-RETAIL", copay: String = "20.0", copayOption: String = "AFTER-DEDUCTIBLE",
                     coinsurance: String = "0.10", coinsuranceOption: String = "BEFORE-DEDUCTIBLE") -> String {
        """
                {
                    "pharmacy_type": "\(pharmacyType)",
                    "copay_amount": \(copay),
                    "copay_opt": "\(copayOption)",
                    "coinsurance_rate": \(coinsurance),
                    "coinsurance_opt": "\(coinsuranceOption)"
                }
        """
    }

    /// One tier with its cost entries.
    static func tier(_ code: String, _ costs: [String]) -> String {
        """
          {
            "drug_tier": "\(code)",
            "mail_order": true,
            "cost_sharing": [
        \(costs.joined(separator: ",\n"))
            ]
          }
        """
    }

    /// A plans.json with one plan; `name` is JSON string content (escapes allowed).
    static func plans(name: String = "Gold Plan", _ tiers: [String]) -> String {
        """
        [
          {
            "plan_id_type": "HIOS-PLAN-ID",
            "plan_id": "\(planID)",
            "marketing_name": "\(name)",
            "years": [2025],
            "formulary": [
        \(tiers.joined(separator: ",\n"))
            ]
          }
        ]
        """
    }

    /// A drugs.json of drugs on the plan, each `(rxnorm_id, drug_name as JSON string content)`.
    static func drugs(_ drugs: [(rxcui: String, name: String)], tier: String = "GENERIC") -> String {
        let elements = drugs.map { drug in
            """
              {
                "rxnorm_id": "\(drug.rxcui)",
                "drug_name": "\(drug.name)",
                "plans": [
                  {
                    "plan_id_type": "HIOS-PLAN-ID",
                    "plan_id": "\(planID)",
                    "drug_tier": "\(tier)",
                    "years": [2025]
                  }
                ]
              }
            """
        }
        return "[\n" + elements.joined(separator: ",\n") + "\n]\n"
    }

    /// The 1-based line of the first line of `text` containing `needle` (after `skipping` earlier ones).
    static func line(of needle: String, in text: String, skipping: Int = 0) -> Int {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(needle) {
            if seen == skipping { return index + 1 }
            seen += 1
        }
        return -1
    }

    /// Writes both documents to a scratch folder and returns their URLs.
    static func write(plans: String, drugs: String, in scratch: ScratchFolder) throws -> [URL] {
        [try scratch.write(Data(plans.utf8), as: "plans.json"), try scratch.write(Data(drugs.utf8), as: "drugs.json")]
    }
}

@Suite("QHP importer: values that cannot be right")
struct QHPValueRulesTests {
    static let plain = QHPDocuments.drugs([("209459", "Acetaminophen 325 MG Oral Tablet")])

    @Test(arguments: [
        ("-25", "copay_amount", "a copay_amount of $0 or more: a negative amount cannot be right"),
        ("12345678901234567890123456789012345678", "copay_amount",
         "a copay_amount of at most $100,000 per fill (the ceiling for any cost-share amount)"),
        ("150", "coinsurance_rate", "a coinsurance from 0 to 1 (a fraction) or up to 100 (a percent): 0–100%"),
        ("-0.2", "coinsurance_rate", "a coinsurance from 0 to 1 (a fraction) or up to 100 (a percent): 0–100%"),
    ])
    func aRefusedAmountFailsTheImportNamingItsPlace(value: String, field: String, expected: String) throws {
        let cost = field == "copay_amount" ? QHPDocuments.cost(copay: value) : QHPDocuments.cost(coinsurance: value)
        let plans = QHPDocuments.plans([QHPDocuments.tier("GENERIC", [QHPDocuments.cost("1-MONTH-IN-MAIL"), cost])])
        let scratch = try ScratchFolder()
        let (problems, _) = try QHPFixtures.problems(QHPDocuments.write(plans: plans, drugs: Self.plain, in: scratch))
        #expect(problems == [RowProblem(
            file: "plans.json", line: QHPDocuments.line(of: "\"\(field)\": \(value)", in: plans),
            field: "$[0].formulary[0].cost_sharing[1].\(field)", value: value, expected: expected)])
    }

    @Test func withinTheAllowanceOnlyThatCostRowIsRejected() throws {
        let plans = QHPDocuments.plans([
            QHPDocuments.tier("GENERIC", [QHPDocuments.cost(copay: "-25"), QHPDocuments.cost("1-MONTH-IN-MAIL", copay: "5")]),
        ])
        let scratch = try ScratchFolder()
        let (sink, outcome) = try QHPFixtures.run(QHPDocuments.write(plans: plans, drugs: Self.plain, in: scratch), maxRejects: 1)
        #expect(outcome.rejects == [RejectedRow(
            file: "plans.json", line: QHPDocuments.line(of: "\"copay_amount\": -25", in: plans),
            reason: "$[0].formulary[0].cost_sharing[0].copay_amount = \"-25\": expected a copay_amount of $0 or more: a negative amount cannot be right",
            raw: "cost sharing at $[0].formulary[0].cost_sharing[0]")])
        #expect(sink.costShares.map(\.copay) == [5], "the plan keeps its good row, and shows no negative copay")
        #expect(sink.plans.map(\.id) == [PlanID(QHPDocuments.planID)])
        #expect(sink.entries.count == 1)
    }

    @Test func percentCoinsuranceIsStillNormalized() throws {
        let plans = QHPDocuments.plans([QHPDocuments.tier("GENERIC", [QHPDocuments.cost(coinsurance: "40")])])
        let scratch = try ScratchFolder()
        let (sink, outcome) = try QHPFixtures.run(QHPDocuments.write(plans: plans, drugs: Self.plain, in: scratch))
        #expect(sink.costShares.first?.coinsurance == Decimal(string: "0.4"))
        #expect(sink.costShares.first?.coinsuranceRaw == "40")
        #expect(outcome.warnings.contains { $0.hasPrefix("coinsurance_rate above 1 was read as a percent") })
    }

    @Test func aDrugNameWithANulIsARejectedDrug() throws {
        let drugs = QHPDocuments.drugs([("209459", "Acet\\u0000aminophen"), ("1049640", "Oxycodone")])
        let plans = QHPDocuments.plans([QHPDocuments.tier("GENERIC", [QHPDocuments.cost()])])
        let scratch = try ScratchFolder()
        let inputs = try QHPDocuments.write(plans: plans, drugs: drugs, in: scratch)
        let expected = RowProblem(
            file: "drugs.json", line: QHPDocuments.line(of: "Acet\\u0000", in: drugs), field: "$[0].drug_name",
            value: "Acet\\0aminophen",
            expected: "a name without control characters (U+0000–U+001F, U+007F); character 5 is U+0000")
        #expect(try QHPFixtures.problems(inputs).problems == [expected])

        let (sink, outcome) = try QHPFixtures.run(inputs, maxRejects: 1)
        #expect(outcome.rejects.map(\.raw) == ["drug at $[0]"])
        #expect(sink.entries.map(\.drug.name) == ["Oxycodone"])
    }

    @Test func aMarketingNameWithATabIsARejectedPlan() throws {
        let plans = QHPDocuments.plans(name: "Gold\\tPlan", [QHPDocuments.tier("GENERIC", [QHPDocuments.cost()])])
        let scratch = try ScratchFolder()
        let (problems, _) = try QHPFixtures.problems(QHPDocuments.write(plans: plans, drugs: Self.plain, in: scratch))
        #expect(problems == [RowProblem(
            file: "plans.json", line: QHPDocuments.line(of: "marketing_name", in: plans), field: "$[0].marketing_name",
            value: "Gold\\tPlan", expected: "a name without control characters (U+0000–U+001F, U+007F); character 5 is U+0009")])
    }

    @Test func aPharmacyTypeStatedTwiceWithDifferentCostsWarnsWithBoth() throws {
        let plans = QHPDocuments.plans([
            QHPDocuments.tier("GENERIC", [QHPDocuments.cost(copay: "10"), QHPDocuments.cost(copay: "35")]),
        ])
        let scratch = try ScratchFolder()
        let (sink, outcome) = try QHPFixtures.run(QHPDocuments.write(plans: plans, drugs: Self.plain, in: scratch))
        #expect(sink.costShares.map(\.copay) == [10])
        let first = QHPDocuments.line(of: "{", in: plans, skipping: 2)
        let second = QHPDocuments.line(of: "{", in: plans, skipping: 3)
        #expect(outcome.warnings.contains(
            "plan 12345XX9876543 drug_tier \"GENERIC\" pharmacy_type \"1-MONTH-IN-RETAIL\" is stated twice with different cost sharing: "
                + "the first, which was kept, says copay $10, coinsurance 10%, after deductible "
                + "(at plans.json:\(first) $[0].formulary[0].cost_sharing[0]); "
                + "another says copay $35, coinsurance 10%, after deductible (at plans.json:\(second) $[0].formulary[0].cost_sharing[1])"),
            "\(outcome.warnings)")
    }

    @Test func identicalStatementsStayQuiet() throws {
        // The same pharmacy type twice in a tier, and the tier itself twice, all saying the same
        // (20.0 and 20 are one amount).
        let plans = QHPDocuments.plans([
            QHPDocuments.tier("GENERIC", [QHPDocuments.cost(), QHPDocuments.cost(copay: "20")]),
            QHPDocuments.tier("GENERIC", [QHPDocuments.cost()]),
        ])
        let scratch = try ScratchFolder()
        let (sink, outcome) = try QHPFixtures.run(QHPDocuments.write(plans: plans, drugs: Self.plain, in: scratch))
        #expect(sink.costShares.count == 1)
        #expect(sink.tiers.count == 1)
        #expect(!outcome.warnings.contains { $0.contains("twice") }, "\(outcome.warnings)")
    }

    @Test func aDuplicateKeyInADrugIsARejectedDrugAtThatKey() throws {
        var drugs = QHPDocuments.drugs([("209459", "Acetaminophen"), ("1049640", "Oxycodone")])
        drugs = drugs.replacingOccurrences(
            of: "\"drug_name\": \"Acetaminophen\",", with: "\"drug_name\": \"Acetaminophen\",\n    \"rxnorm_id\": \"1049640\",")
        let plans = QHPDocuments.plans([QHPDocuments.tier("GENERIC", [QHPDocuments.cost()])])
        let scratch = try ScratchFolder()
        let inputs = try QHPDocuments.write(plans: plans, drugs: drugs, in: scratch)
        let problem = try #require(try QHPFixtures.problems(inputs).problems.first)
        #expect(problem.file == "drugs.json")
        #expect(problem.line == 5)
        #expect(problem.field == "$[0].rxnorm_id")
        #expect(problem.expected == "an object that names each key once, found the key \"rxnorm_id\" a second time, which leaves its value ambiguous")

        let (sink, outcome) = try QHPFixtures.run(inputs, maxRejects: 1)
        #expect(outcome.rejects.map(\.raw) == ["drug at $[0]"])
        #expect(sink.entries.map(\.drug.rxcui?.rawValue) == ["1049640"])
    }
}
