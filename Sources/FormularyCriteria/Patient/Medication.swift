/// Something else the person takes, prescription or over the counter (psyllium, ibuprofen,
/// cholestyramine): it matters for interaction warnings, not for trial counting. Dose,
/// frequency and the clock times it is taken let spacing advice ("take bupropion 2 hours
/// before the psyllium") name concrete times instead of "space them apart".
public struct Medication: Hashable, Codable, Sendable {
    public var drug: String
    public var otc: Bool
    public var start: Day?
    public var end: Day?
    /// Total milligrams per day, when stated as a number.
    public var mgPerDay: Double?
    /// The dose as written, for what milligrams do not describe (`1 packet (3.4 g)`, `4 g`).
    public var dose: String?
    /// How often it is taken (`once daily`, `twice daily`, `at bedtime`).
    public var frequency: DoseFrequency?
    /// When it is taken, in the day's order (`08:00`, `20:00`); empty when not stated.
    public var timeOfDay: [ClockTime]
    public var note: String?
    /// The records it was imported from (`source:`), empty for a medication typed by hand.
    public var sources: [FactSource]
    public var ref: String

    public init(drug: String, otc: Bool = false, start: Day? = nil, end: Day? = nil, mgPerDay: Double? = nil, dose: String? = nil,
                frequency: DoseFrequency? = nil, timeOfDay: [ClockTime] = [], note: String? = nil, sources: [FactSource] = [],
                ref: String = "") {
        self.drug = drug
        self.otc = otc
        self.start = start
        self.end = end
        self.mgPerDay = mgPerDay
        self.dose = dose
        self.frequency = frequency
        self.timeOfDay = timeOfDay
        self.note = note
        self.sources = sources
        self.ref = ref
    }
}
