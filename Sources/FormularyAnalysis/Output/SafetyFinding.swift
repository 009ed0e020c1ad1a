import FormularyCriteria
/// A safety rule of DOMAIN.md §3 that fires for an option (or the current regimen): a block,
/// a washout with the earliest start date, a dose adjustment, or a warning.
public struct SafetyFinding: Hashable, Codable, Sendable {
    /// `S1` … `S20` (`Formularies/reference/safety_rules.yaml`).
    public var ruleID: String
    public var verdict: SafetyVerdict
    public var message: String
    /// The drugs or conditions involved.
    public var involves: [String]
    /// For washouts: the first day the option may start.
    public var earliestStart: Day?
    public var citation: String

    public init(ruleID: String, verdict: SafetyVerdict, message: String, involves: [String], earliestStart: Day? = nil, citation: String? = nil) {
        self.ruleID = ruleID
        self.verdict = verdict
        self.message = message
        self.involves = involves
        self.earliestStart = earliestStart
        self.citation = citation ?? "DOMAIN.md §3 \(ruleID)"
    }

    enum CodingKeys: String, CodingKey { case ruleID = "ruleId", verdict, message, involves, earliestStart, citation }
}
