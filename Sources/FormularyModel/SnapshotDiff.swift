/// What changed between two snapshots of one source: per formulary, the drugs added and
/// removed and the lines whose tier or restrictions moved; per plan, plans added or removed and
/// cost-share changes per tier.
public struct SnapshotDiff: Hashable, Codable, Sendable {
    public var from: SnapshotRef
    public var to: SnapshotRef
    public var formularies: [FormularyDiff]
    public var plansAdded: [PlanID]
    public var plansRemoved: [PlanID]
    public var costChanges: [CostShareChange]

    public init(from: SnapshotRef, to: SnapshotRef, formularies: [FormularyDiff], plansAdded: [PlanID],
                plansRemoved: [PlanID], costChanges: [CostShareChange]) {
        self.from = from
        self.to = to
        self.formularies = formularies
        self.plansAdded = plansAdded
        self.plansRemoved = plansRemoved
        self.costChanges = costChanges
    }

    /// True when nothing differs.
    public var isEmpty: Bool {
        formularies.allSatisfy(\.isEmpty) && plansAdded.isEmpty && plansRemoved.isEmpty && costChanges.isEmpty
    }
}

/// The changes to one formulary, and the plans (in the newer snapshot) that use it.
public struct FormularyDiff: Hashable, Codable, Sendable {
    public var formulary: FormularyID
    public var plans: [PlanID]
    /// True when the formulary is new in the later snapshot; `removed` when it is gone.
    public var added: Bool
    public var removed: Bool
    public var drugsAdded: [DrugLine]
    public var drugsRemoved: [DrugLine]
    public var changed: [EntryChange]

    public init(formulary: FormularyID, plans: [PlanID], added: Bool, removed: Bool, drugsAdded: [DrugLine],
                drugsRemoved: [DrugLine], changed: [EntryChange]) {
        self.formulary = formulary
        self.plans = plans
        self.added = added
        self.removed = removed
        self.drugsAdded = drugsAdded
        self.drugsRemoved = drugsRemoved
        self.changed = changed
    }

    public var isEmpty: Bool { !added && !removed && drugsAdded.isEmpty && drugsRemoved.isEmpty && changed.isEmpty }
}

/// A drug as a diff names it, with the line's tier.
public struct DrugLine: Hashable, Codable, Sendable {
    public var drug: DrugRef
    public var tierCode: String
    public var tierCategory: TierCategory

    public init(drug: DrugRef, tierCode: String, tierCategory: TierCategory) {
        self.drug = drug
        self.tierCode = tierCode
        self.tierCategory = tierCategory
    }
}

/// One formulary line present in both snapshots whose fields differ.
public struct EntryChange: Hashable, Codable, Sendable {
    public var drug: DrugRef
    public var changes: [FieldChange]

    public init(drug: DrugRef, changes: [FieldChange]) {
        self.drug = drug
        self.changes = changes
    }
}

/// A field's value before and after, as text people read (`3 (preferred-brand)`, `required`,
/// `30 per 30 days`); `nil` is absent or unknown.
public struct FieldChange: Hashable, Codable, Sendable {
    /// `tier`, `tier category`, `prior authorization`, `step therapy`, `quantity limit`, `status`.
    public var field: String
    public var before: String?
    public var after: String?

    public init(field: String, before: String?, after: String?) {
        self.field = field
        self.before = before
        self.after = after
    }
}

/// A plan's cost share for one tier, phase, channel and supply that changed, appeared or went away.
public struct CostShareChange: Hashable, Codable, Sendable {
    public var plan: PlanID
    public var tierCode: String?
    public var phase: BenefitPhase
    public var channel: PharmacyChannel
    public var daysSupply: Int?
    public var before: String?
    public var after: String?

    public init(plan: PlanID, tierCode: String?, phase: BenefitPhase, channel: PharmacyChannel, daysSupply: Int?,
                before: String?, after: String?) {
        self.plan = plan
        self.tierCode = tierCode
        self.phase = phase
        self.channel = channel
        self.daysSupply = daysSupply
        self.before = before
        self.after = after
    }
}
