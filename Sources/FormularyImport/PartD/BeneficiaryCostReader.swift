import Foundation
import FormularyModel

/// Reads the beneficiary cost table: what a member pays per plan, coverage level, tier and days'
/// supply, in four pharmacy-channel column groups. Each row becomes four `CostShare`s.
///
/// It also records `TIER_SPECIALTY_YN` per plan and tier, which is the only place Part D says
/// anything about what a tier means; the importer turns that into `TierDefinition.isSpecialty`.
struct BeneficiaryCostReader: DelimitedRowConsumer {
    /// A plan's tier, the key of the specialty flags.
    struct PlanTier: Hashable {
        var plan: PlanID
        var tier: String
    }

    /// The column suffix of each channel group.
    static let channelGroups: [(suffix: String, channel: PharmacyChannel)] = [
        ("PREF", .retailPreferred), ("NONPREF", .retailStandard),
        ("MAIL_PREF", .mailPreferred), ("MAIL_NONPREF", .mailStandard),
    ]

    private struct ChannelColumns {
        var channel: PharmacyChannel
        var type = 0, amount = 0, minimum = 0, maximum = 0
    }

    private let sink: any ImportSink
    private let suppressedPlans: Set<PlanID>
    private var contract = 0, plan = 0, segment = 0, coverageLevel = 0, tier = 0, daysSupply = 0
    private var specialty: Int?, deductibleApplies: Int?
    private var channels: [ChannelColumns] = []
    /// Per plan and tier: true when any row says specialty, false when rows say only N.
    private(set) var specialtyFlags: [PlanTier: Bool] = [:]
    private(set) var suppressedRowCount = 0

    init(sink: any ImportSink, suppressedPlans: Set<PlanID>) {
        self.sink = sink
        self.suppressedPlans = suppressedPlans
    }

    mutating func bind(_ header: inout ColumnBinder) {
        contract = header.require("CONTRACT_ID")
        plan = header.require("PLAN_ID")
        segment = header.require("SEGMENT_ID")
        coverageLevel = header.require("COVERAGE_LEVEL")
        tier = header.require("TIER")
        daysSupply = header.require("DAYS_SUPPLY")
        specialty = header.optional("TIER_SPECIALTY_YN")
        deductibleApplies = header.optional("DED_APPLIES_YN")
        channels = Self.channelGroups.map { group in
            ChannelColumns(
                channel: group.channel,
                type: header.require("COST_TYPE_\(group.suffix)"),
                amount: header.require("COST_AMT_\(group.suffix)"),
                minimum: header.require("COST_MIN_AMT_\(group.suffix)"),
                maximum: header.require("COST_MAX_AMT_\(group.suffix)")
            )
        }
    }

    mutating func consume(_ row: DelimitedRow) throws {
        let id = try row.planKey(contract: contract, plan: plan, segment: segment)
        if suppressedPlans.contains(id) {
            suppressedRowCount += 1
            return
        }
        let phase: BenefitPhase
        switch FieldBytes.wholeNumber(FieldBytes.trimmed(row.bytes(coverageLevel))) {
        case 0: phase = .deductible
        case 1: phase = .initial
        case 2: phase = .coverageGap
        case 3: phase = .catastrophic
        default:
            throw row.problem(coverageLevel, expected: "a coverage level 0 (deductible), 1 (initial), 2 (gap) or 3 (catastrophic)")
        }
        let tierCode = try row.positiveIntegerCode(tier, expected: "a tier: a positive whole number such as 1 or 5")
        let days = try row.daysSupply(daysSupply)
        let isSpecialty = try specialty.flatMap { try row.flag($0) }
        let deductible = try deductibleApplies.flatMap { try row.flag($0) }

        var shares: [CostShare] = []
        shares.reserveCapacity(channels.count)
        for group in channels {
            var share = CostShare(
                plan: id, tierCode: tierCode, phase: phase, channel: group.channel, daysSupply: days,
                offered: true, deductibleApplies: deductible
            )
            try Self.fill(&share, from: row, group)
            shares.append(share)
        }

        for share in shares { try sink.add(share) }
        if let isSpecialty {
            let key = PlanTier(plan: id, tier: tierCode)
            specialtyFlags[key] = (specialtyFlags[key] ?? false) || isSpecialty
        }
    }

    /// Reads one channel group: COST_TYPE 0 = not offered, 1 = copay in dollars, 2 = coinsurance
    /// as a fraction. A minimum or maximum of 0 means none is set. Amounts and rates must pass
    /// `CostShareRules`, like every format's.
    private static func fill(_ share: inout CostShare, from row: DelimitedRow, _ group: ChannelColumns) throws {
        switch FieldBytes.wholeNumber(FieldBytes.trimmed(row.bytes(group.type))) {
        case 0:
            share.offered = false
            return
        case 1:
            guard let copay = try row.optionalDecimal(group.amount, expected: "a copay in dollars") else {
                throw row.problem(group.amount, expected: "a copay in dollars (COST_TYPE is 1)")
            }
            share.copay = try row.costAmount(copay, group.amount, "a copay")
        case 2:
            guard let value = try row.optionalDecimal(group.amount, expected: "a coinsurance fraction such as 0.25") else {
                throw row.problem(group.amount, expected: "a coinsurance fraction such as 0.25 (COST_TYPE is 2)")
            }
            share.coinsurance = try row.coinsuranceFraction(value, group.amount)
            share.coinsuranceRaw = row.optionalText(group.amount)
        default:
            throw row.problem(group.type, expected: "a cost type 0 (not offered), 1 (copay) or 2 (coinsurance)")
        }
        share.minimum = try nonZero(row.optionalDecimal(group.minimum, expected: "an amount in dollars, or blank"))
            .map { try row.costAmount($0, group.minimum, "a minimum") }
        share.maximum = try nonZero(row.optionalDecimal(group.maximum, expected: "an amount in dollars, or blank"))
            .map { try row.costAmount($0, group.maximum, "a maximum") }
    }

    private static func nonZero(_ value: Decimal?) -> Decimal? {
        value == 0 ? nil : value
    }
}
