import Foundation
import FormularyModel

/// Compares the cost shares a source states more than once for one plan, tier, pharmacy channel and
/// days' supply, so the import keeps the first without hiding that a later one said otherwise.
///
/// Only the first statement becomes a row (the store has one per key). A later one that says the
/// same (the amounts, rates, qualifier and deductible equal, however the source spelled them, so
/// `0` and `0.0` agree) is quiet; one that differs gets a message naming both values and the first
/// one's place, once per distinct value, for the caller to note at the later one's place. It keeps
/// one entry per key: plans × tiers × channels, a few thousand at most.
struct CostShareDuplicates {
    /// What the later statement is to the first.
    enum Verdict: Equatable {
        /// The first statement of its key: write the row.
        case first
        /// Says what the first said, or repeats a difference already reported: skip it quietly.
        case repeated
        /// Differs from the first: skip it, and warn with `message` at its place.
        case differs(message: String)
    }

    private struct Key: Hashable {
        var plan: PlanID
        var tier: String?
        var channel: PharmacyChannel
        var daysSupply: Int?
    }

    private struct Statement {
        var share: CostShare
        var place: String
        /// The distinct values already reported as differing.
        var reported: [CostShare] = []
    }

    private var statements: [Key: Statement] = [:]

    /// Records `share`, stated at `place` (`plans.json:14 $[0].formulary[1].cost_sharing[0]`);
    /// `fact` names the key for a message (`plan 12345XX9876543 drug_tier "GENERIC" pharmacy_type …`).
    mutating func check(_ share: CostShare, at place: String, fact: @autoclosure () -> String) -> Verdict {
        let key = Key(plan: share.plan, tier: share.tierCode, channel: share.channel, daysSupply: share.daysSupply)
        let value = Self.comparable(share)
        guard var first = statements[key] else {
            statements[key] = Statement(share: value, place: place)
            return .first
        }
        if value == first.share || first.reported.contains(value) { return .repeated }
        first.reported.append(value)
        statements[key] = first
        return .differs(message:
            "\(fact()) is stated twice with different cost sharing: the first, which was kept, says "
                + "\(Self.describe(first.share)) (at \(first.place)); another says \(Self.describe(value))")
    }

    /// The share without what does not change its meaning (the raw coinsurance text).
    private static func comparable(_ share: CostShare) -> CostShare {
        var share = share
        share.coinsuranceRaw = nil
        return share
    }

    /// A cost share in words: `copay $0, coinsurance 100%, after deductible`.
    static func describe(_ share: CostShare) -> String {
        guard share.offered else { return "not offered" }
        var parts: [String] = []
        if let copay = share.copay { parts.append("copay $\(copay)") }
        if let coinsurance = share.coinsurance { parts.append("coinsurance \(coinsurance * 100)%") }
        if let minimum = share.minimum { parts.append("minimum $\(minimum)") }
        if let maximum = share.maximum { parts.append("maximum $\(maximum)") }
        if let qualifier = share.qualifier { parts.append(qualifier.rawValue.replacingOccurrences(of: "-", with: " ")) }
        if parts.isEmpty { parts.append("no amount") }
        return parts.joined(separator: ", ")
    }
}
