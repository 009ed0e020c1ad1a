/// One criteria file: a plan's (or the default) policy with its versions, adequacy rules,
/// coverage lines, UM rules and exception overlays.
public struct CriteriaDocument: Hashable, Codable, Sendable {
    public var id: String
    public var file: String
    public var title: String
    /// Plans, formularies, or the default set.
    public var appliesTo: AppliesTo
    /// `commercial`, `medicare-part-d`, `marketplace`, `medicaid`.
    public var market: String?
    /// Two-letter state for state-law overlays.
    public var state: String?
    /// `fully-insured` or `self-funded`.
    public var funding: String?
    public var versions: [PolicyVersion]
    public var adequacy: [String: AdequacyRule]
    public var lines: [CriteriaLine]
    public var rules: [CriteriaRule]
    public var overlays: [ExceptionOverlay]
    /// Shown with every verdict from this document (the default set says "typical criteria, not this plan's").
    public var disclaimer: String?

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

    /// The policy version in force on a day.
    public func version(on day: Day) -> PolicyVersion? { versions.last { $0.window.contains(day) } }
}
