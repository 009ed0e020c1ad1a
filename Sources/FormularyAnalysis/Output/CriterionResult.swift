import FormularyCriteria
/// One line of a PA/ST checklist: what the rule asks, whether this patient meets it, and why.
public struct CriterionResult: Hashable, Codable, Sendable {
    public var id: String
    public var label: String
    public var status: CriterionStatus
    public var evidence: [Evidence]
    /// One sentence for people.
    public var detail: String
    /// What to attach or do when not met (or met only with documentation).
    public var documentationNeeded: String?
    /// Criteria that are alternatives of each other share a group number (an any-of); `nil`
    /// for plain all-of items.
    public var alternativeGroup: Int?
    /// The line in the criteria file.
    public var line: Int?

    public init(id: String, label: String, status: CriterionStatus, evidence: [Evidence] = [], detail: String,
                documentationNeeded: String? = nil, alternativeGroup: Int? = nil, line: Int? = nil) {
        self.id = id
        self.label = label
        self.status = status
        self.evidence = evidence
        self.detail = detail
        self.documentationNeeded = documentationNeeded
        self.alternativeGroup = alternativeGroup
        self.line = line
    }

    enum CodingKeys: String, CodingKey { case id, label, status, evidence, detail, documentationNeeded, alternativeGroup, line }
}
