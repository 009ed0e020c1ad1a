import Foundation
import FormularyImport
import FormularyModel
import Testing

/// One Part D row whose value `CostShareRules` or `NameRules` refuses, and the problem it must give.
struct PartDValueCase: Sendable, CustomTestStringConvertible {
    var table: String
    var header: String
    var row: String
    var field: String
    var value: String
    var expected: String

    var testDescription: String { "\(field) = \(value)" }

    static let all: [PartDValueCase] = [
        PartDValueCase(
            table: PartDTableRowCase.cost, header: PartDTableRowCase.costHeader,
            row: "H0028|007|000|1|1|1|1|-25|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N",
            field: "COST_AMT_PREF", value: "-25", expected: "a copay of $0 or more: a negative amount cannot be right"),
        PartDValueCase(
            table: PartDTableRowCase.cost, header: PartDTableRowCase.costHeader,
            row: "H0028|007|000|1|1|1|1|100000.01|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N",
            field: "COST_AMT_PREF", value: "100000.01",
            expected: "a copay of at most $100,000 per fill (the ceiling for any cost-share amount)"),
        PartDValueCase(
            table: PartDTableRowCase.cost, header: PartDTableRowCase.costHeader,
            row: "H0028|007|000|1|1|1|2|150|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N",
            field: "COST_AMT_PREF", value: "150",
            expected: "a coinsurance from 0 to 1 (a fraction) or up to 100 (a percent): 0–100%"),
        PartDValueCase(
            table: PartDTableRowCase.cost, header: PartDTableRowCase.costHeader,
            row: "H0028|007|000|1|1|1|2|0.25|-1|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N",
            field: "COST_MIN_AMT_PREF", value: "-1", expected: "a minimum of $0 or more: a negative amount cannot be right"),
        PartDValueCase(
            table: PartDTableRowCase.cost, header: PartDTableRowCase.costHeader,
            row: "H0028|007|000|1|1|1|2|0.25|0|250000|1|5|0|0|1|0|0|0|0|0|0|0|N|N",
            field: "COST_MAX_AMT_PREF", value: "250000",
            expected: "a maximum of at most $100,000 per fill (the ceiling for any cost-share amount)"),
        PartDValueCase(
            table: PartDTableRowCase.insulin, header: PartDTableRowCase.insulinHeader,
            row: "H0028|007|000|.|1|35|-35|35|35| | | | ",
            field: "copay_amt_nonpref_insln", value: "-35", expected: "a copay of $0 or more: a negative amount cannot be right"),
        PartDValueCase(
            table: PartDTableRowCase.insulin, header: PartDTableRowCase.insulinHeader,
            row: "H0028|007|000|.|1| | | | |-0.2| | | ",
            field: "coin_amt_pref_insln", value: "-0.2",
            expected: "a coinsurance from 0 to 1 (a fraction) or up to 100 (a percent): 0–100%"),
        PartDValueCase(
            table: PartDTableRowCase.plan, header: PartDTableRowCase.planHeader,
            row: "H0028|007|000|HUMANA|Humana Gold\u{1B}[2JPlus|00026408|0|0| | |FL|10050|0|N",
            field: "PLAN_NAME", value: "Humana Gold\\u{1B}[2JPlus",
            expected: "a name without control characters (U+0000–U+001F, U+007F); character 12 is U+001B"),
        PartDValueCase(
            table: PartDTableRowCase.plan, header: PartDTableRowCase.planHeader,
            row: "H0028|007|000|HUMANA|Humana\tGold|00026408|0|0| | |FL|10050|0|N",
            field: "PLAN_NAME", value: "Humana\\tGold",
            expected: "a name without control characters (U+0000–U+001F, U+007F); character 7 is U+0009"),
    ]
}

@Suite("Part D importer: values that cannot be right")
struct PartDValueRulesTests {
    /// A release folder with the good basic table and `table` holding `header` and `rows`.
    static func release(_ table: String, _ header: String, _ rows: [String], in scratch: ScratchFolder) throws -> URL {
        try scratch.stage(releaseFile: PartDFixtures.basicName, as: "r/\(PartDFixtures.basicName)")
        try scratch.write(lines: [header] + rows, as: "r/\(table)")
        return scratch.url.appendingPathComponent("r")
    }

    @Test("Without an allowance the import fails naming file, line, field, value and the rule", arguments: PartDValueCase.all)
    func refusedValueFails(_ valueCase: PartDValueCase) throws {
        let scratch = try ScratchFolder()
        let input = try Self.release(valueCase.table, valueCase.header, [valueCase.row], in: scratch)
        let (problems, total) = try invalidRows { _ = try importPartD([input]) }
        #expect(total == 1)
        #expect(problems == [RowProblem(
            file: "r/\(valueCase.table)", line: 2, field: valueCase.field, value: valueCase.value, expected: valueCase.expected)])
    }

    @Test("Within the allowance the row is a listed reject and the good rows import")
    func refusedValueIsAReject() throws {
        let scratch = try ScratchFolder()
        let input = try Self.release(PartDTableRowCase.cost, PartDTableRowCase.costHeader, [
            "H0028|007|000|1|1|1|1|-25|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N",
            "H0028|007|000|1|2|1|1|10|0|0|1|15|0|0|1|0|0|0|0|0|0|0|N|N",
        ], in: scratch)
        let (outcome, sink) = try importPartD([input], maxRejects: 1)
        #expect(outcome.rejects == [RejectedRow(
            file: "r/\(PartDTableRowCase.cost)", line: 2,
            reason: "COST_AMT_PREF = \"-25\": expected a copay of $0 or more: a negative amount cannot be right",
            raw: "H0028|007|000|1|1|1|1|-25|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N")])
        #expect(sink.costShares.allSatisfy { $0.tierCode == "2" })
        #expect(sink.costShares.count == 4)
    }

    @Test("A plan name with a control character is rejected, never stored")
    func controlCharacterInPlanNameIsRejected() throws {
        let scratch = try ScratchFolder()
        let input = try Self.release(PartDTableRowCase.plan, PartDTableRowCase.planHeader, [
            "H0028|007|000|HUMANA|Humana Gold\u{7F}Plus|00026408|0|0| | |FL|10050|0|N",
            "H0028|008|000|HUMANA|Humana Gold Plus|00026408|0|0| | |FL|10050|0|N",
        ], in: scratch)
        let (outcome, sink) = try importPartD([input], maxRejects: 1)
        #expect(outcome.rejects.map(\.reason) == [
            "PLAN_NAME = \"Humana Gold\\u{7F}Plus\": expected a name without control characters (U+0000–U+001F, U+007F); character 12 is U+007F",
        ])
        #expect(sink.plans.map(\.name) == ["Humana Gold Plus"])
    }

    @Test("The largest amount the ceiling allows, $100,000, imports")
    func theCeilingItselfImports() throws {
        let scratch = try ScratchFolder()
        let input = try Self.release(PartDTableRowCase.cost, PartDTableRowCase.costHeader, [
            "H0028|007|000|1|1|1|1|100000|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N",
        ], in: scratch)
        let (_, sink) = try importPartD([input])
        #expect(sink.costShares.first { $0.channel == .retailPreferred }?.copay == 100_000)
    }
}
