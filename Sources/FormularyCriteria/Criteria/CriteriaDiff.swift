/// What changed in a plan's criteria between two policy versions: rules added and removed, and
/// for rules in both, the criteria added or removed (for example a concurrent-antidepressant
/// requirement dropped) and changed approvals or limits.
public struct CriteriaDiff: Hashable, Codable, Sendable {
    /// A rule present in both versions whose content differs.
    public struct RuleChange: Hashable, Codable, Sendable {
        public var ruleID: String
        public var options: [String]
        public var criteriaAdded: [String]
        public var criteriaRemoved: [String]
        /// Other fields, as `field: before → after`.
        public var fieldChanges: [String]

        enum CodingKeys: String, CodingKey { case ruleID = "ruleId", options, criteriaAdded, criteriaRemoved, fieldChanges }
    }

    /// A rule as the diff names it.
    public struct RuleRef: Hashable, Codable, Sendable {
        public var ruleID: String
        public var title: String?
        public var options: [String]

        enum CodingKeys: String, CodingKey { case ruleID = "ruleId", title, options }
    }

    public var document: String
    public var from: String
    public var to: String
    public var rulesAdded: [RuleRef]
    public var rulesRemoved: [RuleRef]
    public var rulesChanged: [RuleChange]

    public var isEmpty: Bool { rulesAdded.isEmpty && rulesRemoved.isEmpty && rulesChanged.isEmpty }

    /// Compares the rules in force at the start of version `from` with those at the start of `to`,
    /// in the document that declares both versions.
    public static func compare(_ set: CriteriaSet, from: String, to: String) throws -> CriteriaDiff {
        guard let document = set.documents.first(where: { doc in doc.versions.contains { $0.id == from } && doc.versions.contains { $0.id == to } }),
              let old = document.versions.first(where: { $0.id == from }), let new = document.versions.first(where: { $0.id == to }) else {
            throw DocumentError.unknownVersion("\(from) and \(to) in one criteria document",
                                               known: set.documents.flatMap { $0.versions.map(\.id) })
        }
        func inForce(_ version: PolicyVersion) -> [String: CriteriaRule] {
            Dictionary(document.rules.filter { $0.effective.contains(version.window.from) }.map { ($0.id, $0) },
                       uniquingKeysWith: { first, _ in first })
        }
        let before = inForce(old)
        let after = inForce(new)
        func ref(_ rule: CriteriaRule) -> RuleRef { RuleRef(ruleID: rule.id, title: rule.title, options: rule.options) }

        var changed: [RuleChange] = []
        for id in Set(before.keys).intersection(after.keys).sorted() {
            guard let was = before[id], let now = after[id], was.requirement != now.requirement || was.approval != now.approval
                || was.quantityLimit != now.quantityLimit || was.reauthorization != now.reauthorization || was.options != now.options
                || was.newStartLookbackDays != now.newStartLookbackDays else { continue }
            let oldCriteria = labels(was.requirement)
            let newCriteria = labels(now.requirement)
            var fields: [String] = []
            if was.approval != now.approval { fields.append("approval: \(was.approval?.description ?? "none") → \(now.approval?.description ?? "none")") }
            if was.quantityLimit != now.quantityLimit { fields.append("quantity limit: \(was.quantityLimit ?? "none") → \(now.quantityLimit ?? "none")") }
            if was.reauthorization != now.reauthorization { fields.append("reauthorization: \(was.reauthorization ?? "none") → \(now.reauthorization ?? "none")") }
            if was.options != now.options { fields.append("options: \(was.options.joined(separator: ", ")) → \(now.options.joined(separator: ", "))") }
            if was.newStartLookbackDays != now.newStartLookbackDays {
                fields.append("new-start lookback: \(was.newStartLookbackDays.map { "\($0) days" } ?? "none") → \(now.newStartLookbackDays.map { "\($0) days" } ?? "none")")
            }
            let added = newCriteria.filter { !oldCriteria.contains($0) }
            let removed = oldCriteria.filter { !newCriteria.contains($0) }
            if added.isEmpty && removed.isEmpty && fields.isEmpty { fields.append("the way the criteria combine changed") }
            changed.append(RuleChange(ruleID: id, options: now.options, criteriaAdded: added, criteriaRemoved: removed, fieldChanges: fields))
        }
        return CriteriaDiff(
            document: document.id, from: from, to: to,
            rulesAdded: Set(after.keys).subtracting(before.keys).sorted().compactMap { after[$0].map(ref) },
            rulesRemoved: Set(before.keys).subtracting(after.keys).sorted().compactMap { before[$0].map(ref) },
            rulesChanged: changed)
    }

    /// Every criterion of a requirement tree, as its checklist label.
    private static func labels(_ requirement: Requirement) -> [String] {
        switch requirement {
        case .allOf(let parts), .anyOf(let parts): parts.flatMap(labels)
        case .criterion(let labeled): [labeled.label]
        }
    }
}
