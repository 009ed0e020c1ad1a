/// An ICD-10-CM diagnosis with the dates rules care about: when the current episode started
/// (ADQ-TRD counts only trials started on/after it), when symptoms began (postpartum onset) and
/// whether it is in remission.
public struct Diagnosis: Hashable, Codable, Sendable {
    public var code: String
    public var episodeStart: Day?
    public var onset: Day?
    /// Remission date, when documented; `inRemission` without a date is also accepted.
    public var remission: Day?
    public var inRemission: Bool?
    /// Where it sits in the source file (`diagnoses[0]`), for evidence.
    public var ref: String

    public init(code: String, episodeStart: Day? = nil, onset: Day? = nil, remission: Day? = nil, inRemission: Bool? = nil, ref: String = "") {
        self.code = code
        self.episodeStart = episodeStart
        self.onset = onset
        self.remission = remission
        self.inRemission = inRemission
        self.ref = ref
    }

    /// True when the code itself says remission (F32.4/F32.5, F33.4x) or it is documented.
    public func isInRemission(on day: Day) -> Bool {
        let upper = code.uppercased()
        if upper.hasPrefix("F32.4") || upper.hasPrefix("F32.5") || upper.hasPrefix("F33.4") { return true }
        if let remission, remission <= day { return true }
        return inRemission ?? false
    }
}
