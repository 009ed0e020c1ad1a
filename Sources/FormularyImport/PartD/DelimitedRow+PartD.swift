import Foundation
import FormularyModel

/// Parsers for the identifiers and codes the Part D tables share. Ids stay text: leading zeros
/// matter (`00026408`, NDC `00002143380`, plan `007`, segment `000`), and a value that lost them
/// (a file round-tripped through a spreadsheet) is reported rather than guessed at.
extension DelimitedRow {
    /// A contract id: five letters or digits (`H0028`, `S5601`, `R5941`).
    func contractID(_ column: Int) throws -> String {
        let field = bytes(column)
        guard field.count == 5, field.allSatisfy({ Self.isASCIIAlphanumeric($0) }) else {
            throw problem(column, expected: "a 5-character contract id such as H0028")
        }
        return String(decoding: field, as: UTF8.self)
    }

    /// A plan or segment number: three digits with leading zeros (`007`, `000`).
    func threeDigitID(_ column: Int) throws -> String {
        try digits(column, count: 3, expected: "3 digits with leading zeros, such as 007")
    }

    /// The Part D plan key `CONTRACT-PLAN-SEGMENT`.
    func planKey(contract: Int, plan: Int, segment: Int) throws -> PlanID {
        PlanID.partD(contract: try contractID(contract), plan: try threeDigitID(plan), segment: try threeDigitID(segment))
    }

    /// The contract-plan key `CONTRACT-PLAN` of the excluded-drugs and indication tables.
    func contractPlanKey(contract: Int, plan: Int) throws -> String {
        "\(try contractID(contract))-\(try threeDigitID(plan))"
    }

    /// A formulary id: exactly eight digits.
    func formularyID(_ column: Int) throws -> FormularyID {
        FormularyID(try digits(column, count: 8, expected: "an 8-digit formulary id with leading zeros, such as 00026408"))
    }

    /// An RxCUI: one to eight digits.
    func rxcui(_ column: Int) throws -> RxCUI {
        let field = bytes(column)
        guard field.count <= 8, FieldBytes.isDigits(field) else {
            throw problem(column, expected: "an RxCUI of 1 to 8 digits")
        }
        return RxCUI(String(decoding: field, as: UTF8.self))
    }

    /// An NDC: exactly 11 digits, or `nil` when null.
    func optionalNDC(_ column: Int) throws -> NDC? {
        if isNull(column) { return nil }
        return NDC(try digits(column, count: 11, expected: "an 11-digit NDC without dashes"))
    }

    /// A days-supply code in days: the cost tables write 1 = 30, 2 = 90, 4 = 60 and 3 = other
    /// (`nil`). Literal 30, 60 and 90 are accepted too.
    func daysSupply(_ column: Int) throws -> Int? {
        switch FieldBytes.wholeNumber(FieldBytes.trimmed(bytes(column))) {
        case 1, 30: return 30
        case 2, 90: return 90
        case 4, 60: return 60
        case 3: return nil
        default: throw problem(column, expected: "a days-supply code 1 (30 days), 2 (90), 3 (other) or 4 (60)")
        }
    }

    /// A quantity limit from its flag, amount and days columns.
    func quantityLimit(flag: Int, amount: Int, days: Int, flagAcceptsDigits: Bool = false) throws -> QuantityLimit {
        let required = try self.flag(flag, acceptsDigits: flagAcceptsDigits)
        let amountValue = try optionalDouble(amount, expected: "a quantity (a number) or blank")
        if let amountValue, amountValue < 0 {
            throw problem(amount, expected: "a quantity of zero or more")
        }
        let daysValue = try optionalWholeNumber(days, expected: "a number of days (a whole number) or blank")
        return QuantityLimit(required: required, amount: amountValue, days: daysValue)
    }

    /// A cost-share dollar amount that passes `CostShareRules`; `what` names it (`a copay`).
    func costAmount(_ amount: Decimal, _ column: Int, _ what: String) throws -> Decimal {
        do {
            return try CostShareRules.checkedAmount(amount, what)
        } catch {
            throw problem(column, expected: error.expected)
        }
    }

    /// A coinsurance as a fraction, normalized and checked by `CostShareRules` (0–1 a fraction,
    /// above 1 up to 100 a percent).
    func coinsuranceFraction(_ value: Decimal, _ column: Int) throws -> Decimal {
        do {
            return try CostShareRules.coinsuranceFraction(value, scale: .fractionOrPercent)
        } catch {
            throw problem(column, expected: error.expected)
        }
    }

    /// A name people read (`PLAN_NAME`), or nil when null; a control character in it is a problem
    /// that shows the value with escapes (`NameRules`).
    func optionalName(_ column: Int) throws -> String? {
        guard let text = optionalText(column) else { return nil }
        if let violation = NameRules.violation(in: text) {
            throw FieldProblem(column: column, value: NameRules.escaped(text), expected: violation)
        }
        return text
    }

    @inline(__always)
    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
