/// Something else the person takes, prescription or over the counter (psyllium, ibuprofen,
/// cholestyramine): it matters for interaction warnings, not for trial counting.
public struct Medication: Hashable, Codable, Sendable {
    public var drug: String
    public var otc: Bool
    public var start: Day?
    public var end: Day?
    public var ref: String

    public init(drug: String, otc: Bool = false, start: Day? = nil, end: Day? = nil, ref: String = "") {
        self.drug = drug
        self.otc = otc
        self.start = start
        self.end = end
        self.ref = ref
    }
}
