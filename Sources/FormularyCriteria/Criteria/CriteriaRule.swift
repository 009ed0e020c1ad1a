/// One utilization-management rule of a plan's policy: a prior authorization or a step-therapy
/// edit for some options, in force over a date window, with its citation. Versions of the same
/// rule (same `id`) coexist with disjoint windows; the analysis picks by as-of date or by a
/// pinned policy version.
public struct CriteriaRule: Hashable, Codable, Sendable, Identifiable {
    public enum Kind: String, Hashable, Codable, Sendable {
        case priorAuthorization = "prior-authorization"
        case stepTherapy = "step-therapy"
    }

    /// The rule id (`PA-ESK`, `ST-2G`).
    public var id: String
    public var kind: Kind
    public var title: String?
    /// The policy version that introduced this text (`A-2025-07`).
    public var version: String
    public var effective: DayWindow
    /// Policy, URL or document the rule comes from (required).
    public var citation: String
    /// The options (drug reference ids) it applies to.
    public var options: [String]
    /// Overrides the document's plans/formularies (rare).
    public var appliesTo: AppliesTo?
    /// Medicare protected classes: the rule applies only to new starts (no claim of the
    /// requested drug whose coverage ends within this many days before the as-of date).
    public var newStartLookbackDays: Int?
    public var requirement: Requirement
    public var approval: Approval?
    public var reauthorization: String?
    public var quantityLimit: String?
    /// The criteria file and line the rule starts at.
    public var file: String
    public var line: Int?

    public init(id: String, kind: Kind, title: String? = nil, version: String, effective: DayWindow, citation: String, options: [String],
                appliesTo: AppliesTo? = nil, newStartLookbackDays: Int? = nil, requirement: Requirement, approval: Approval? = nil,
                reauthorization: String? = nil, quantityLimit: String? = nil, file: String = "", line: Int? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.version = version
        self.effective = effective
        self.citation = citation
        self.options = options
        self.appliesTo = appliesTo
        self.newStartLookbackDays = newStartLookbackDays
        self.requirement = requirement
        self.approval = approval
        self.reauthorization = reauthorization
        self.quantityLimit = quantityLimit
        self.file = file
        self.line = line
    }
}

/// How long an approval lasts: days, months, or a count of sessions (TMS: 36 sessions).
public struct Approval: Hashable, Codable, Sendable {
    public var days: Int?
    public var months: Int?
    public var sessions: Int?

    public init(days: Int? = nil, months: Int? = nil, sessions: Int? = nil) {
        self.days = days
        self.months = months
        self.sessions = sessions
    }

    public var description: String {
        var parts: [String] = []
        if let months { parts.append("\(months) month\(months == 1 ? "" : "s")") }
        if let days { parts.append("\(days) day\(days == 1 ? "" : "s")") }
        if let sessions { parts.append("\(sessions) sessions") }
        return parts.joined(separator: ", ")
    }
}

/// Which plans a document or rule applies to. `isDefault` marks the fallback set used for
/// flagged entries of plans that have no plan-specific criteria.
public struct AppliesTo: Hashable, Codable, Sendable {
    public var plans: [String]
    public var formularies: [String]
    public var isDefault: Bool

    public init(plans: [String] = [], formularies: [String] = [], isDefault: Bool = false) {
        self.plans = plans
        self.formularies = formularies
        self.isDefault = isDefault
    }

    public func covers(plan: String, formulary: String?) -> Bool {
        plans.contains(plan) || (formulary.map(formularies.contains) ?? false)
    }
}
