/// A course of psychotherapy, TMS, ECT or esketamine sessions: an input to TMS/ECT criteria
/// ("≥8 CBT sessions without remission") and to "no Spravato within 28 days".
public struct ProcedureRecord: Hashable, Codable, Sendable {
    /// What was done, normalized: `CBT`, `IPT`, `DBT`, `psychotherapy`, `TMS`, `ECT`, `esketamine`.
    public var type: String
    public var sessions: Int?
    public var start: Day?
    public var end: Day?
    public var outcome: ProcedureOutcome
    public var outcomeText: String?
    public var note: String?
    /// The records it was imported from (`source:`), empty for a course typed by hand.
    public var sources: [FactSource]
    public var ref: String

    public init(type: String, sessions: Int? = nil, start: Day? = nil, end: Day? = nil, outcome: ProcedureOutcome = .unknown,
                outcomeText: String? = nil, note: String? = nil, sources: [FactSource] = [], ref: String = "") {
        self.type = type
        self.sessions = sessions
        self.start = start
        self.end = end
        self.outcome = outcome
        self.outcomeText = outcomeText
        self.note = note
        self.sources = sources
        self.ref = ref
    }
}

/// How a procedure course ended.
public enum ProcedureOutcome: String, Hashable, Codable, Sendable {
    case noRemission = "no-remission"
    case remission
    case response
    case ongoing
    case unknown

    public init?(text: String) {
        let lower = text.lowercased().trimmingWhitespaceAndPunctuation()
        switch true {
        case lower.isEmpty, lower.hasPrefix("unknown"): self = .unknown
        case lower.hasPrefix("no remission"), lower.hasPrefix("no-remission"), lower.hasPrefix("not in remission"),
             lower.hasPrefix("inadequate"), lower.hasPrefix("partial"), lower.hasPrefix("no response"), lower.hasPrefix("failed"):
            self = .noRemission
        case lower.hasPrefix("remission"), lower.hasPrefix("remitted"): self = .remission
        case lower.hasPrefix("respon"): self = .response
        case lower.hasPrefix("ongoing"): self = .ongoing
        default: return nil
        }
    }
}
