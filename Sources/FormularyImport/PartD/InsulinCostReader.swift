import Foundation
import FormularyModel

/// Reads the insulin beneficiary cost table (the IRA $35 monthly insulin cap), which overrides
/// the tier cost for insulin. Its headers are lower-case, a blank amount means the channel does
/// not offer it, and `TIER = .` means the row applies to every tier.
struct InsulinCostReader: DelimitedRowConsumer {
    /// The column suffix of each channel.
    static let channelGroups: [(suffix: String, channel: PharmacyChannel)] = [
        ("pref", .retailPreferred), ("nonpref", .retailStandard),
        ("mail_pref", .mailPreferred), ("mail_nonpref", .mailStandard),
    ]

    private struct ChannelColumns {
        var channel: PharmacyChannel
        var copay = 0, coinsurance = 0
    }

    private let sink: any ImportSink
    private let suppressedPlans: Set<PlanID>
    private var contract = 0, plan = 0, segment = 0, tier = 0, daysSupply = 0
    private var channels: [ChannelColumns] = []
    private(set) var suppressedRowCount = 0

    init(sink: any ImportSink, suppressedPlans: Set<PlanID>) {
        self.sink = sink
        self.suppressedPlans = suppressedPlans
    }

    mutating func bind(_ header: inout ColumnBinder) {
        contract = header.require("CONTRACT_ID")
        plan = header.require("PLAN_ID")
        segment = header.require("SEGMENT_ID")
        tier = header.require("TIER")
        daysSupply = header.require("DAYS_SUPPLY")
        channels = Self.channelGroups.map { group in
            ChannelColumns(
                channel: group.channel,
                copay: header.require("copay_amt_\(group.suffix)_insln"),
                coinsurance: header.require("coin_amt_\(group.suffix)_insln")
            )
        }
    }

    mutating func consume(_ row: DelimitedRow) throws {
        let id = try row.planKey(contract: contract, plan: plan, segment: segment)
        if suppressedPlans.contains(id) {
            suppressedRowCount += 1
            return
        }
        let tierCode = row.isNull(tier) ? nil : try row.positiveIntegerCode(tier, expected: "a tier (a positive whole number) or . for all tiers")
        let days = try row.daysSupply(daysSupply)

        var shares: [CostShare] = []
        shares.reserveCapacity(channels.count)
        for group in channels {
            let copay = try row.optionalDecimal(group.copay, expected: "a copay in dollars, or blank when not offered")
                .map { try row.costAmount($0, group.copay, "a copay") }
            let coinsurance = try row.optionalDecimal(group.coinsurance, expected: "a coinsurance fraction, or blank when not offered")
                .map { try row.coinsuranceFraction($0, group.coinsurance) }
            shares.append(CostShare(
                plan: id, tierCode: tierCode, phase: .any, channel: group.channel, daysSupply: days,
                offered: copay != nil || coinsurance != nil,
                copay: copay, coinsurance: coinsurance,
                coinsuranceRaw: coinsurance == nil ? nil : row.optionalText(group.coinsurance),
                scope: .insulin
            ))
        }
        for share in shares { try sink.add(share) }
    }
}
