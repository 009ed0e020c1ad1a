import FormularyModel

/// Every loaded criteria document, and the one place that decides which rules apply to a plan
/// on a date: plan-specific documents first, the default set as fallback, versions by
/// effective date or pinned by id.
public struct CriteriaSet: Hashable, Sendable {
    public let documents: [CriteriaDocument]

    public init(documents: [CriteriaDocument]) { self.documents = documents }

    /// A plan reference resolved: a plan id, or a policy version id naming its plans.
    public struct PlanReference: Hashable, Sendable {
        public var plans: [PlanID]
        /// Set when the reference was a version id (`A-2025-07`).
        public var pinnedVersion: String?
    }

    /// `99990AZ0010001` → that plan; `A-2025-07` → the plans of the document defining the
    /// version, with the version pinned.
    public func resolvePlanReference(_ text: String) -> PlanReference {
        for document in documents where !document.appliesTo.isDefault {
            if document.versions.contains(where: { $0.id.caseInsensitiveEquals(text) }) {
                let version = document.versions.first { $0.id.caseInsensitiveEquals(text) }?.id
                return PlanReference(plans: document.appliesTo.plans.map { PlanID($0) }, pinnedVersion: version)
            }
        }
        return PlanReference(plans: [PlanID(text)], pinnedVersion: nil)
    }

    /// All version ids, for messages.
    public var versionIDs: [String] { documents.flatMap { $0.versions.map(\.id) } }

    /// The policy for a plan on a date. Throws when a pinned version is not defined for it.
    public func policy(plan: PlanID, formulary: FormularyID?, asOf: Day, pinnedVersion: String? = nil) throws -> ResolvedPolicy {
        let planDocument = documents.first { !$0.appliesTo.isDefault && $0.appliesTo.covers(plan: plan.rawValue, formulary: formulary?.rawValue) }
        let defaultDocument = documents.first { $0.appliesTo.isDefault }
        var version: PolicyVersion?
        var ruleDate = asOf
        var pinned = false
        if let pinnedVersion {
            let owner = [planDocument, defaultDocument].compactMap { $0 }.first { $0.versions.contains { $0.id.caseInsensitiveEquals(pinnedVersion) } }
            guard let owner, let found = owner.versions.first(where: { $0.id.caseInsensitiveEquals(pinnedVersion) }) else {
                throw DocumentError.unknownVersion(pinnedVersion, known: versionIDs)
            }
            version = found
            ruleDate = found.window.from
            pinned = true
        } else {
            version = planDocument?.version(on: asOf) ?? defaultDocument?.version(on: asOf)
        }
        return ResolvedPolicy(plan: plan, planDocument: planDocument, defaultDocument: defaultDocument, version: version,
                              pinned: pinned, ruleDate: ruleDate, asOf: asOf)
    }
}

/// The criteria that apply to one plan for one analysis.
public struct ResolvedPolicy: Hashable, Sendable {
    public var plan: PlanID
    public var planDocument: CriteriaDocument?
    public var defaultDocument: CriteriaDocument?
    /// The policy version in force (or pinned).
    public var version: PolicyVersion?
    public var pinned: Bool
    /// The date rules are chosen by: the pinned version's start, else the as-of date.
    public var ruleDate: Day
    public var asOf: Day

    /// The rules in force for an option: the plan's own when it has any for the option, else
    /// the default set's ("typical"), else none.
    public func rules(for option: String) -> (rules: [CriteriaRule], basis: CriteriaBasis, document: CriteriaDocument?) {
        if let planDocument {
            let own = planDocument.rules.filter { $0.options.contains(option) && $0.effective.contains(ruleDate) && appliesToPlan($0, planDocument) }
            if !own.isEmpty { return (own, .planSpecific, planDocument) }
        }
        if let defaultDocument {
            let typical = defaultDocument.rules.filter { $0.options.contains(option) && $0.effective.contains(ruleDate) }
            if !typical.isEmpty { return (typical, .typical, defaultDocument) }
        }
        return ([], .flagOnly, nil)
    }

    /// A criteria-file coverage line for an option (plan document first, then default).
    public func line(for option: String) -> (line: CriteriaLine, basis: CriteriaBasis, document: CriteriaDocument)? {
        for (document, basis) in [(planDocument, CriteriaBasis.planSpecific), (defaultDocument, .typical)] {
            guard let document else { continue }
            if let line = document.lines.first(where: { $0.option == option && ($0.effective?.contains(ruleDate) ?? true) }) {
                return (line, basis, document)
            }
        }
        return nil
    }

    /// The adequacy rule a criterion names, from the document the rule came from.
    public func adequacy(_ id: String, in document: CriteriaDocument?) -> AdequacyRule? {
        document?.adequacy[id] ?? planDocument?.adequacy[id] ?? defaultDocument?.adequacy[id]
    }

    /// Exception overlays of the plan's document.
    public var overlays: [ExceptionOverlay] { planDocument?.overlays ?? [] }

    private func appliesToPlan(_ rule: CriteriaRule, _ document: CriteriaDocument) -> Bool {
        guard let appliesTo = rule.appliesTo else { return true }
        return appliesTo.plans.isEmpty && appliesTo.formularies.isEmpty ? true : appliesTo.covers(plan: plan.rawValue, formulary: nil)
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
