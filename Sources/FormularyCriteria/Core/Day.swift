/// A calendar date with no time and no time zone: every rule in DOMAIN.md §5.0 counts whole
/// calendar days inclusively, so the analysis never touches `Date`, clocks or zones.
///
/// Stored as a day number (days since 1970-01-01, proleptic Gregorian), which makes arithmetic
/// and comparison exact. Encodes as `YYYY-MM-DD`.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// A date from its parts; `nil` for a day that does not exist (2025-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        ordinal = Day.ordinal(year: year, month: month, day: day)
    }

    /// Reads `YYYY-MM-DD` (exactly; anything else is `nil`).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var year: Int { civil.year }
    public var month: Int { civil.month }
    public var day: Int { civil.day }

    public var description: String {
        let parts = civil
        if (0...9999).contains(parts.year) {
            // Evidence and results print thousands of dates: ten ASCII bytes, no formatting.
            return String(unsafeUninitializedCapacity: 10) { buffer in
                let digits = [(parts.year, 4), (parts.month, 2), (parts.day, 2)]
                var index = 0
                for (position, (value, width)) in digits.enumerated() {
                    if position > 0 { buffer[index] = UInt8(ascii: "-"); index += 1 }
                    var rest = value
                    for offset in stride(from: width - 1, through: 0, by: -1) {
                        buffer[index + offset] = UInt8(ascii: "0") + UInt8(rest % 10)
                        rest /= 10
                    }
                    index += width
                }
                return index
            }
        }
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }
    public static func + (lhs: Day, rhs: Int) -> Day { Day(ordinal: lhs.ordinal + rhs) }
    public static func - (lhs: Day, rhs: Int) -> Day { Day(ordinal: lhs.ordinal - rhs) }
    /// Days from `rhs` to `lhs` (exclusive count: 2025-01-02 − 2025-01-01 = 1).
    public static func - (lhs: Day, rhs: Day) -> Int { lhs.ordinal - rhs.ordinal }

    /// Days from `start` through `end`, both counted (§5.0 rule 1): the same day is 1.
    public static func inclusiveCount(from start: Day, through end: Day) -> Int { end.ordinal - start.ordinal + 1 }

    /// The same day of the month `months` later, clamped to the month's end (used for approval
    /// durations stated in months and for monthly fill patterns).
    public func adding(months: Int) -> Day {
        let parts = civil
        let total = parts.year * 12 + (parts.month - 1) + months
        let year = total / 12
        let month = total % 12 + 1
        let day = min(parts.day, Day.daysIn(month: month, year: year))
        return Day(ordinal: Day.ordinal(year: year, month: month, day: day))
    }

    // Howard Hinnant's days-from-civil / civil-from-days algorithms.
    static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    var civil: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Day: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a date YYYY-MM-DD, got \(text)")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An inclusive window of days; an open end (`through == nil`) runs forever.
public struct DayWindow: Hashable, Codable, Sendable {
    public var from: Day
    public var through: Day?

    public init(from: Day, through: Day? = nil) {
        self.from = from
        self.through = through
    }

    public func contains(_ day: Day) -> Bool { day >= from && (through.map { day <= $0 } ?? true) }

    /// True when the two windows share at least one day.
    public func overlaps(_ other: DayWindow) -> Bool {
        let endA = through?.ordinal ?? Int.max
        let endB = other.through?.ordinal ?? Int.max
        return from.ordinal <= endB && other.from.ordinal <= endA
    }

    public var description: String { "\(from) – \(through.map(\.description) ?? "open")" }
}
