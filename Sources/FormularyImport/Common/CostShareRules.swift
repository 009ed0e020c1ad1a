import Foundation
import FormularyModel

/// The one rule every importer (Part D, QHP, FHIR) applies to the money and rates of a cost share,
/// so a value that cannot be right is a rejected row in every format instead of a number shown to
/// a person ("-$25.00 copay", a 38-digit copay, "150% coinsurance").
///
/// - A dollar amount (a copay, a minimum or a maximum per fill) must be from $0 to
///   `amountCeiling`, **$100,000 per fill**. Why that ceiling: a member's cost share for one fill
///   is bounded by the plan's out-of-pocket limit, and the highest of those in the markets this
///   tool reads is far lower (ACA marketplace 2025: $9,200 self-only, $18,400 family; Part D 2025:
///   $2,000 a year). $100,000 is more than five times the family limit, so a real per-fill amount
///   never reaches it, while it still stops the values that are plainly broken: a 38-digit number,
///   an amount in the wrong unit or a field shifted into the amount column. A list price can be
///   higher (a gene therapy costs millions), but a list price is not a member's cost share.
/// - A coinsurance, after the format's normalization, must be a fraction from 0 to 1, that is
///   0–100%. `.fractionOrPercent` reads 0–1 as a fraction and values above 1 up to 100 as percent
///   (Part D, QHP, FHIR STU1: `CostShare.normalizedCoinsurance`); `.percent` reads 0–100 as
///   percent (FHIR 2.x). So 150, 150% and -0.2 are rejected under either scale.
///
/// A value the rule rejects is a rejected row: it counts against `--max-rejects`, is listed among
/// the rejects with its file, place, field and value, and without an allowance fails the import.
enum CostShareRules {
    /// The largest dollar amount a cost share may state per fill.
    static let amountCeiling: Decimal = 100_000

    /// How a format writes coinsurance.
    enum CoinsuranceScale: Sendable {
        /// 0–1 is a fraction; above 1 and up to 100 is percent.
        case fractionOrPercent
        /// 0–100 is percent.
        case percent
    }

    /// Why a value was refused, in the words the problem's "expected" text uses.
    struct Violation: Error, Hashable, Sendable {
        var expected: String
    }

    /// `amount` when it is a plausible dollar amount per fill; `what` names it in the message
    /// (`a copay`, `COST_MIN_AMT`).
    static func checkedAmount(_ amount: Decimal, _ what: String) throws(Violation) -> Decimal {
        if amount < 0 {
            throw Violation(expected: "\(what) of $0 or more: a negative amount cannot be right")
        }
        if amount > amountCeiling {
            throw Violation(expected: "\(what) of at most $100,000 per fill (the ceiling for any cost-share amount)")
        }
        return amount
    }

    /// The coinsurance as a fraction 0…1, normalized from `scale`.
    static func coinsuranceFraction(_ value: Decimal, scale: CoinsuranceScale) throws(Violation) -> Decimal {
        switch scale {
        case .fractionOrPercent:
            guard let fraction = CostShare.normalizedCoinsurance(value) else {
                throw Violation(expected: "a coinsurance from 0 to 1 (a fraction) or up to 100 (a percent): 0–100%")
            }
            return fraction
        case .percent:
            guard value >= 0 && value <= 100 else {
                throw Violation(expected: "a coinsurance from 0 to 100 percent")
            }
            return value / 100
        }
    }
}
