/// A rating-scale score (PHQ-9, MADRS, HAM-D, BDI): rules use the most recent one of a scale
/// on or before the as-of date (§5.0 rule 8).
public struct ScoreRecord: Hashable, Codable, Sendable {
    public var scale: String
    public var value: Double
    public var date: Day
    public var note: String?
    /// The records it was imported from (`source:`), empty for a score typed by hand.
    public var sources: [FactSource]
    public var ref: String

    public init(scale: String, value: Double, date: Day, note: String? = nil, sources: [FactSource] = [], ref: String = "") {
        self.scale = scale
        self.value = value
        self.date = date
        self.note = note
        self.sources = sources
        self.ref = ref
    }

    /// `PHQ-9`, `phq9`, `PHQ 9` all name one scale.
    public static func scaleKey(_ scale: String) -> String {
        scale.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
