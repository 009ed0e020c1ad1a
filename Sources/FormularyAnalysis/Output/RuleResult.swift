import FormularyCriteria

/// One UM rule evaluated for one option: which rule, which version, whose criteria, and every
/// criterion with its evidence.
public struct RuleResult: Hashable, Codable, Sendable {
    public var ruleID: String
    public var kind: CriteriaRule.Kind
    public var title: String?
    /// The version label of the rule text (`A-2025-07`).
    public var ruleVersion: String
    /// The policy version in force or pinned for this analysis.
    public var policyVersion: String?
    public var pinned: Bool
    public var citation: String
    public var basis: CriteriaBasis
    public var file: String
    public var line: Int?
    public var status: CriterionStatus
    /// False when the rule exists but does not apply (a Medicare continuing user).
    public var applied: Bool
    public var notAppliedReason: String?
    public var criteria: [CriterionResult]
    public var approval: String?
    public var reauthorization: String?

    enum CodingKeys: String, CodingKey {
        case ruleID = "ruleId", kind, title, ruleVersion, policyVersion, pinned, citation, basis, file, line, status, applied,
             notAppliedReason, criteria, approval, reauthorization
    }
}
