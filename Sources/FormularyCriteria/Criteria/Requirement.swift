/// The condition tree of a rule: all-of / any-of groups over criteria. A step-therapy "ordered
/// steps" list is an all-of whose steps the path planner satisfies in order.
public indirect enum Requirement: Hashable, Codable, Sendable {
    case allOf([Requirement])
    case anyOf([Requirement])
    case criterion(LabeledCriterion)
}

/// A criterion with the label people read on a checklist and the line it came from.
public struct LabeledCriterion: Hashable, Codable, Sendable {
    /// A stable id within the rule (`dx`, `trials`, `pdmp`), or the criterion kind.
    public var id: String
    /// What a PA checklist would say.
    public var label: String
    public var criterion: Criterion
    /// The 1-based line in the criteria file.
    public var line: Int?
    /// What to attach when this criterion needs documentation.
    public var documentation: String?

    public init(id: String, label: String, criterion: Criterion, line: Int? = nil, documentation: String? = nil) {
        self.id = id
        self.label = label
        self.criterion = criterion
        self.line = line
        self.documentation = documentation
    }
}
