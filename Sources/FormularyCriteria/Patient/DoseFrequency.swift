/// How often a co-medication or OTC product is taken, in the words prescriptions use. Spacing
/// advice needs it with the clock times (`timeOfDay`): a binder taken three times a day leaves
/// fewer safe windows than one taken at bedtime.
public enum DoseFrequency: String, Hashable, Codable, Sendable, CaseIterable {
    case onceDaily = "once daily"
    case twiceDaily = "twice daily"
    case threeTimesDaily = "three times daily"
    case fourTimesDaily = "four times daily"
    /// Once a day, at bedtime (`qhs`, `nightly`).
    case atBedtime = "at bedtime"
    /// Once a day, in the morning (`qam`).
    case everyMorning = "every morning"
    case everyOtherDay = "every other day"
    case weekly
    /// When needed (`prn`): no fixed number of doses a day.
    case asNeeded = "as needed"

    /// Reads the canonical words and the common abbreviations: `daily`, `BID`, `TID`, `QID`,
    /// `QHS`, `nightly`, `QAM`, `QOD`, `once weekly`, `PRN` (case-insensitive).
    public init?(text: String) {
        let key = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        if let direct = DoseFrequency(rawValue: key) { self = direct; return }
        switch key {
        case "daily", "once a day", "qd", "od": self = .onceDaily
        case "twice a day", "bid", "b.i.d.", "every 12 hours": self = .twiceDaily
        case "three times a day", "tid", "t.i.d.", "every 8 hours": self = .threeTimesDaily
        case "four times a day", "qid", "q.i.d.", "every 6 hours": self = .fourTimesDaily
        case "bedtime", "nightly", "qhs", "every night", "once daily at bedtime": self = .atBedtime
        case "in the morning", "qam", "once daily in the morning": self = .everyMorning
        case "qod", "alternate days": self = .everyOtherDay
        case "once weekly", "once a week", "every week": self = .weekly
        case "prn", "when needed": self = .asNeeded
        default: return nil
        }
    }

    /// Doses on a day it is taken; `nil` for as needed (any number).
    public var dosesPerDosingDay: Int? {
        switch self {
        case .onceDaily, .atBedtime, .everyMorning, .everyOtherDay, .weekly: 1
        case .twiceDaily: 2
        case .threeTimesDaily: 3
        case .fourTimesDaily: 4
        case .asNeeded: nil
        }
    }
}
