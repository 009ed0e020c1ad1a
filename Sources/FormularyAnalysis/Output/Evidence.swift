import FormularyCriteria
/// One fact a criterion or finding rests on, pointing back into the patient file (`ref`) so a
/// clinic can find and attach it.
public struct Evidence: Hashable, Codable, Sendable {
    public enum Kind: String, Hashable, Codable, Sendable {
        case claim, trial, plannedTrial = "planned-trial", score, flag, diagnosis, procedure, demographics, event, safety, medication
    }

    public var kind: Kind
    /// Field path in the patient file (`history[0]`, `claims[3]`), or the flag name.
    public var ref: String?
    public var drug: String?
    public var from: Day?
    public var through: Day?
    public var value: String?
    /// Why it counts, or why it does not ("39 days < 42: chart stop 2025-02-09 overrides claims").
    public var detail: String
    /// True when this item counts toward the criterion; false when listed to explain a miss.
    public var counts: Bool

    public init(kind: Kind, ref: String? = nil, drug: String? = nil, from: Day? = nil, through: Day? = nil, value: String? = nil,
                detail: String, counts: Bool = true) {
        self.kind = kind
        self.ref = ref
        self.drug = drug
        self.from = from
        self.through = through
        self.value = value
        self.detail = detail
        self.counts = counts
    }

    enum CodingKeys: String, CodingKey { case kind, ref, drug, from, through, value, detail, counts }
}
