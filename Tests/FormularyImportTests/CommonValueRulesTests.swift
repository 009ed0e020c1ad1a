import Foundation
@testable import FormularyImport
import FormularyModel
import Testing

/// The one rule for cost-share amounts and rates, and the one for names, that every importer applies.
@Suite("Common: value rules")
struct CommonValueRulesTests {
    @Test(arguments: ["0", "0.01", "25", "99999.99", "100000"])
    func amountsFromZeroToTheCeilingPass(_ text: String) throws {
        let amount = try #require(Decimal(string: text))
        #expect(try CostShareRules.checkedAmount(amount, "a copay") == amount)
    }

    @Test func negativeAmountsAreRefused() {
        #expect(throws: CostShareRules.Violation(expected: "a copay of $0 or more: a negative amount cannot be right")) {
            try CostShareRules.checkedAmount(-25, "a copay")
        }
    }

    @Test(arguments: ["100000.01", "12345678901234567890123456789012345678"])
    func amountsAboveTheCeilingAreRefused(_ text: String) throws {
        let amount = try #require(Decimal(string: text))
        #expect(throws: CostShareRules.Violation(
            expected: "a minimum of at most $100,000 per fill (the ceiling for any cost-share amount)")) {
            try CostShareRules.checkedAmount(amount, "a minimum")
        }
    }

    @Test(arguments: [("0", "0"), ("0.25", "0.25"), ("1", "1"), ("25", "0.25"), ("100", "1")])
    func fractionOrPercentNormalizes(_ value: String, _ fraction: String) throws {
        let rate = try #require(Decimal(string: value))
        #expect(try CostShareRules.coinsuranceFraction(rate, scale: .fractionOrPercent) == Decimal(string: fraction))
    }

    @Test(arguments: [("0", "0"), ("0.5", "0.005"), ("20", "0.2"), ("100", "1")])
    func percentNormalizes(_ value: String, _ fraction: String) throws {
        let rate = try #require(Decimal(string: value))
        #expect(try CostShareRules.coinsuranceFraction(rate, scale: .percent) == Decimal(string: fraction))
    }

    @Test(arguments: ["-0.2", "150", "100.5"])
    func coinsuranceOutsideZeroToHundredPercentIsRefused(_ value: String) throws {
        let rate = try #require(Decimal(string: value))
        #expect(throws: CostShareRules.Violation(expected: "a coinsurance from 0 to 1 (a fraction) or up to 100 (a percent): 0–100%")) {
            try CostShareRules.coinsuranceFraction(rate, scale: .fractionOrPercent)
        }
        #expect(throws: CostShareRules.Violation(expected: "a coinsurance from 0 to 100 percent")) {
            try CostShareRules.coinsuranceFraction(rate, scale: .percent)
        }
    }

    @Test func namesWithoutControlCharactersPass() {
        #expect(NameRules.violation(in: "Humana Gold Plus (HMO) – Óptimo") == nil)
    }

    @Test(arguments: [
        ("Gold\u{0}Plan", "character 5 is U+0000", "Gold\\0Plan"),
        ("Gold\tPlan", "character 5 is U+0009", "Gold\\tPlan"),
        ("Gold\nPlan\r", "character 5 is U+000A", "Gold\\nPlan\\r"),
        ("\u{1B}[31mRed", "character 1 is U+001B", "\\u{1B}[31mRed"),
        ("Del\u{7F}", "character 4 is U+007F", "Del\\u{7F}"),
    ])
    func controlCharactersAreNamedAndEscaped(_ name: String, _ position: String, _ escaped: String) {
        #expect(NameRules.violation(in: name) == "a name without control characters (U+0000–U+001F, U+007F); " + position)
        #expect(NameRules.escaped(name) == escaped)
    }

    @Test func c1CharactersAreNotC0Controls() {
        // U+0085 (NEL) is a C1 control, which the rule does not cover; U+00A0 is a no-break space.
        #expect(NameRules.violation(in: "A\u{85}B\u{A0}C") == nil)
    }
}
