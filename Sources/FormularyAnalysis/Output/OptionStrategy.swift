import FormularyCriteria

/// How an option changes the treatment, the groups a person reads the ranked options in.
public enum Strategy: String, Hashable, Codable, Sendable, CaseIterable {
    /// Another antidepressant of the current one's class.
    case switchWithinClass = "switch-within-class"
    /// An antidepressant of another class (or a first one when none is current).
    case switchClass = "switch-class"
    /// An augmentation agent added to the antidepressant (aripiprazole, brexpiprazole, lithium…).
    case augment
    case esketamine
    /// TMS and ECT.
    case neuromodulation
    case psychotherapy

    /// Words for people.
    public var title: String {
        switch self {
        case .switchWithinClass: "switch within the class"
        case .switchClass: "switch to another class"
        case .augment: "add an augmentation agent"
        case .esketamine: "esketamine (Spravato)"
        case .neuromodulation: "neuromodulation (TMS, ECT)"
        case .psychotherapy: "psychotherapy"
        }
    }
}

/// The patient's own experience of an option: tried in the current episode, or taken now.
public struct OptionHistory: Hashable, Codable, Sendable {
    public enum Status: String, Hashable, Codable, Sendable {
        /// Tried and stopped in the current episode.
        case tried
        /// Taken now: shown as current, not as a next option.
        case current
    }

    public var status: Status
    /// The trial or claims it rests on (`history[0]`, `claims[2]…claims[5]`).
    public var ref: String
    public var start: Day
    public var end: Day?
    public var mgPerDay: Double?
    /// The documented outcomes (`inadequate`, `intolerance`…), the response first.
    public var outcomes: [String]
}

/// One of the at most five next options a patient and their advocate read first, with why.
public struct ShortlistItem: Hashable, Codable, Sendable {
    public var optionID: String
    public var name: String
    public var strategy: Strategy
    public var use: OptionUse
    public var verdict: Verdict
    /// One line: "PA criteria met: 3 adequate trials in 2 classes; PHQ-9 19".
    public var reason: String
    public var earliestStart: Day?
    /// The estimated monthly cost, when the plan states one.
    public var monthlyCost: Double?
    /// Safety findings to read before choosing it (rule ids and verdicts: `S4 SAFETY_WARN`).
    public var safetyFlags: [String]

    enum CodingKeys: String, CodingKey { case optionID = "optionId", name, strategy, use, verdict, reason, earliestStart, monthlyCost, safetyFlags }
}
