import FormularyModel

/// What one QHP import knows about plans and tier codes across its files: which plan ids
/// plans.json defined (and where, for duplicate messages), which tiers each plan defines and
/// uses, and each plan's years.
///
/// Plans and tier codes get dense numbers, so the per-entry bookkeeping for millions of
/// drug-plan entries is integer work: no set of (plan, drug) strings is ever built.
struct QHPPlanRegistry {
    /// Where a plan was defined in plans.json.
    struct Definition: Hashable, Sendable {
        var file: String
        var element: Int
        var line: Int

        var description: String { "\(file):\(line) ($[\(element)])" }
    }

    struct PlanRecord {
        var id: String
        /// Nil for a plan seen only in drugs.json.
        var definition: Definition?
        /// Tier codes (dense numbers) plans.json defines for the plan.
        var definedTiers = DenseBitSet()
        /// Tier codes drugs.json uses for the plan.
        var usedTiers = DenseBitSet()
        /// plans.json `marketing_name`.
        var name: String?
        /// The latest year plans.json lists for the plan.
        var planYear: Int?
        /// The latest year drugs.json entries list for the plan.
        var drugYear: Int?
        /// Drug entries skipped because plans.json did not define the plan.
        var skippedEntries = 0
    }

    private(set) var plans: [PlanRecord] = []
    private var planIndex: [String: Int] = [:]
    /// Tier codes as written, by dense number.
    private(set) var tierCodes: [String] = []
    private var tierBytes: [[UInt8]] = []
    private var lastTier = 0

    /// The dense number of a plan id, adding it (undefined) when new.
    mutating func intern(_ id: String) -> Int {
        if let index = planIndex[id] { return index }
        plans.append(PlanRecord(id: id))
        planIndex[id] = plans.count - 1
        return plans.count - 1
    }

    /// Records plans.json's definition of a plan; returns the earlier definition when the id repeats.
    mutating func define(_ id: String, at definition: Definition, name: String, year: Int?) -> Definition? {
        let index = intern(id)
        if let earlier = plans[index].definition { return earlier }
        plans[index].definition = definition
        plans[index].name = name
        plans[index].planYear = year
        return nil
    }

    /// The dense number of a tier code, by its bytes as written (case and spelling kept).
    mutating func internTier(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if lastTier < tierBytes.count && tierBytes[lastTier].elementsEqual(bytes) { return lastTier }
        for (i, known) in tierBytes.enumerated() where known.elementsEqual(bytes) {
            lastTier = i
            return i
        }
        tierBytes.append(Array(bytes))
        tierCodes.append(String(decoding: bytes, as: UTF8.self))
        lastTier = tierCodes.count - 1
        return lastTier
    }

    mutating func internTier(_ code: String) -> Int {
        var copy = code
        return copy.withUTF8 { internTier($0) }
    }

    /// Marks a tier as defined by plans.json for a plan; false when the plan already defined it.
    mutating func defineTier(_ tier: Int, forPlan plan: Int) -> Bool {
        plans[plan].definedTiers.insert(tier)
    }

    mutating func useTier(_ tier: Int, forPlan plan: Int) {
        _ = plans[plan].usedTiers.insert(tier)
    }

    mutating func noteDrugYear(_ year: Int, forPlan plan: Int) {
        plans[plan].drugYear = max(plans[plan].drugYear ?? year, year)
    }

    mutating func noteSkipped(plan: Int) {
        plans[plan].skippedEntries += 1
    }
}
