/// One criteria file: a plan's (or the default) policy with its versions, adequacy rules,
/// coverage lines, UM rules and exception overlays.
///
/// An immutable final class compared by value: every plan's policy and every option's rules
/// refer to a document, and as a struct of a dozen arrays and strings each of those copies
/// cost a dozen reference counts — the largest single source of them when one patient was
/// analyzed against hundreds of plans.
public final class CriteriaDocument: Hashable, Codable, Sendable {
    public let id: String
    public let file: String
    public let title: String
    /// Plans, formularies, or the default set.
    public let appliesTo: AppliesTo
    /// `commercial`, `medicare-part-d`, `marketplace`, `medicaid`.
    public let market: String?
    /// Two-letter state for state-law overlays.
    public let state: String?
    /// `fully-insured` or `self-funded`.
    public let funding: String?
    public let versions: [PolicyVersion]
    public let adequacy: [String: AdequacyRule]
    public let lines: [CriteriaLine]
    public let rules: [CriteriaRule]
    public let overlays: [ExceptionOverlay]
    /// Shown with every verdict from this document (the default set says "typical criteria, not this plan's").
    public let disclaimer: String?

    public init(id: String, file: String, title: String, appliesTo: AppliesTo, market: String? = nil, state: String? = nil,
                funding: String? = nil, versions: [PolicyVersion], adequacy: [String: AdequacyRule], lines: [CriteriaLine],
                rules: [CriteriaRule], overlays: [ExceptionOverlay], disclaimer: String? = nil) {
        self.id = id
        self.file = file
        self.title = title
        self.appliesTo = appliesTo
        self.market = market
        self.state = state
        self.funding = funding
        self.versions = versions
        self.adequacy = adequacy
        self.lines = lines
        self.rules = rules
        self.overlays = overlays
        self.disclaimer = disclaimer
    }

    public static func == (lhs: CriteriaDocument, rhs: CriteriaDocument) -> Bool {
        lhs === rhs || (lhs.id == rhs.id && lhs.file == rhs.file && lhs.title == rhs.title && lhs.appliesTo == rhs.appliesTo
            && lhs.market == rhs.market && lhs.state == rhs.state && lhs.funding == rhs.funding && lhs.versions == rhs.versions
            && lhs.adequacy == rhs.adequacy && lhs.lines == rhs.lines && lhs.rules == rhs.rules && lhs.overlays == rhs.overlays
            && lhs.disclaimer == rhs.disclaimer)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(file)
        hasher.combine(versions)
        hasher.combine(rules)
    }

    /// The policy version in force on a day.
    public func version(on day: Day) -> PolicyVersion? { versions.last { $0.window.contains(day) } }
}
