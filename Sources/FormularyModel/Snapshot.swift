import Foundation

/// Names the snapshot a fact came from, so every answer can say where its data came from.
public struct SnapshotRef: Hashable, Codable, Sendable {
    public var id: Int64
    public var sourceName: String
    public var format: SourceFormat
    public var importedAt: Date

    public init(id: Int64, sourceName: String, format: SourceFormat, importedAt: Date) {
        self.id = id
        self.sourceName = sourceName
        self.format = format
        self.importedAt = importedAt
    }
}

/// One import, as the history lists it.
public struct SnapshotInfo: Hashable, Codable, Sendable {
    public var ref: SnapshotRef
    public var contractYear: Int?
    public var files: [SourceFile]
    public var counts: [String: Int]
    public var warnings: [String]
    /// True for the latest snapshot of its source, whose data lookups use.
    public var isCurrent: Bool

    public init(ref: SnapshotRef, contractYear: Int?, files: [SourceFile], counts: [String: Int], warnings: [String], isCurrent: Bool) {
        self.ref = ref
        self.contractYear = contractYear
        self.files = files
        self.counts = counts
        self.warnings = warnings
        self.isCurrent = isCurrent
    }
}

/// A plan as a listing shows it, with the snapshot it comes from.
///
/// Every `CoverageLine` carries its plan's listing: a dozen strings and arrays. The fields live
/// in one shared, immutable box, so a line costs one retain for them, not twelve. A setter builds
/// a new box: copies never see each other's changes.
public struct PlanListing: Hashable, Codable, Sendable {
    private struct Fields: Hashable, Codable, Sendable {
        var plan: Plan
        var formulary: Formulary
        var snapshot: SnapshotRef
    }

    private final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    public var plan: Plan {
        get { storage.fields.plan }
        set { var fields = storage.fields; fields.plan = newValue; storage = Storage(fields) }
    }
    public var formulary: Formulary {
        get { storage.fields.formulary }
        set { var fields = storage.fields; fields.formulary = newValue; storage = Storage(fields) }
    }
    public var snapshot: SnapshotRef {
        get { storage.fields.snapshot }
        set { var fields = storage.fields; fields.snapshot = newValue; storage = Storage(fields) }
    }

    public init(plan: Plan, formulary: Formulary, snapshot: SnapshotRef) {
        storage = Storage(Fields(plan: plan, formulary: formulary, snapshot: snapshot))
    }

    public static func == (lhs: PlanListing, rhs: PlanListing) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }

    /// The same JSON as the plain struct's: `plan`, `formulary`, `snapshot`.
    public init(from decoder: any Decoder) throws { storage = Storage(try Fields(from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try storage.fields.encode(to: encoder) }
}

/// One formulary line resolved for one plan: the entry, what its tier means, what it costs,
/// and where it came from.
public struct CoverageLine: Hashable, Codable, Sendable {
    public var plan: PlanListing
    public var entry: FormularyEntry
    /// The drug's name from the source or the drug reference, when known.
    public var drugName: String?
    public var tier: TierDefinition?
    /// Every cost share the plan lists for the entry's tier (all phases, channels and supplies).
    public var costShares: [CostShare]
    /// Diseases the drug is covered for, when coverage is limited to listed indications.
    public var indications: [String]
    /// The source file the line was read from.
    public var sourceFile: String?

    public init(plan: PlanListing, entry: FormularyEntry, drugName: String?, tier: TierDefinition?, costShares: [CostShare], indications: [String], sourceFile: String?) {
        self.plan = plan
        self.entry = entry
        self.drugName = drugName
        self.tier = tier
        self.costShares = costShares
        self.indications = indications
        self.sourceFile = sourceFile
    }

    /// The cost share a person would most often pay: initial coverage (or any phase), the given
    /// channel and days' supply, for all drugs (not the insulin override).
    public func costShare(channel: PharmacyChannel, daysSupply: Int) -> CostShare? {
        Self.costShare(in: costShares, channel: channel, daysSupply: daysSupply)
    }

    /// `costShare(channel:daysSupply:)` over any list of cost shares.
    public static func costShare(in shares: [CostShare], channel: PharmacyChannel, daysSupply: Int) -> CostShare? {
        var anyPhase: Int?
        var first: Int?
        for (index, share) in shares.enumerated() where share.channel == channel && share.daysSupply == daysSupply && share.scope == .all {
            if share.phase == .initial { return share }
            if share.phase == .any, anyPhase == nil { anyPhase = index }
            if first == nil { first = index }
        }
        return (anyPhase ?? first).map { shares[$0] }
    }
}
