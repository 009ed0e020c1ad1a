/// An ICD-10-CM diagnosis with the dates rules care about: when the current episode started
/// (ADQ-TRD counts only trials started on/after it), when symptoms began (postpartum onset) and
/// whether it is in remission, and the earlier episodes with the dates they remitted.
public struct Diagnosis: Hashable, Codable, Sendable {
    /// An earlier episode of the same diagnosis and the date it remitted: the remission that
    /// separates it from the next episode (recurrent MDD, F33.x).
    public struct Episode: Hashable, Codable, Sendable {
        /// When the episode began, when known.
        public var start: Day?
        /// When it remitted; the next episode starts after this date.
        public var remission: Day
        /// Where it sits in the source file (`diagnoses[0].previousEpisodes[1]`).
        public var ref: String

        public init(start: Day? = nil, remission: Day, ref: String = "") {
            self.start = start
            self.remission = remission
            self.ref = ref
        }
    }

    public var code: String
    /// Start of the current episode.
    public var episodeStart: Day?
    public var onset: Day?
    /// The date the current episode remitted (on or after `episodeStart`), when documented;
    /// `inRemission` without a date is also accepted. Earlier remissions are in `previousEpisodes`.
    public var remission: Day?
    public var inRemission: Bool?
    /// Earlier episodes, oldest first, each ended by a remission before the current episode.
    public var previousEpisodes: [Episode]
    /// What the code means, as written (`description:`).
    public var description: String?
    public var note: String?
    /// The records it was imported from (`source:`), empty for a diagnosis typed by hand.
    public var sources: [FactSource]
    /// Where it sits in the source file (`diagnoses[0]`), for evidence.
    public var ref: String

    public init(code: String, episodeStart: Day? = nil, onset: Day? = nil, remission: Day? = nil, inRemission: Bool? = nil,
                previousEpisodes: [Episode] = [], description: String? = nil, note: String? = nil, sources: [FactSource] = [],
                ref: String = "") {
        self.code = code
        self.episodeStart = episodeStart
        self.onset = onset
        self.remission = remission
        self.inRemission = inRemission
        self.previousEpisodes = previousEpisodes
        self.description = description
        self.note = note
        self.sources = sources
        self.ref = ref
    }

    /// Every documented remission date, oldest first: the earlier episodes' and the current one's.
    public var remissionDates: [Day] { previousEpisodes.map(\.remission) + (remission.map { [$0] } ?? []) }

    /// True when the code itself says remission (F32.4/F32.5, F33.4x) or it is documented.
    public func isInRemission(on day: Day) -> Bool {
        let upper = code.uppercased()
        if upper.hasPrefix("F32.4") || upper.hasPrefix("F32.5") || upper.hasPrefix("F33.4") { return true }
        if let remission, remission <= day { return true }
        return inRemission ?? false
    }
}
