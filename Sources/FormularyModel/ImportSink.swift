/// Where importers put normalized rows. The store implements it inside one transaction; tests use
/// `InMemoryImportSink`. Importers know nothing else about where rows go.
///
/// Calls arrive in file order: `beginFile`, rows, `finishFile`, then the next file. Rows may
/// reference plans and formularies added earlier or later in the same import.
public protocol ImportSink: AnyObject {
    /// Starts a source file; rows added until `finishFile` came from it.
    func beginFile(name: String, role: String) throws
    /// Records the finished file's content hash and size.
    func finishFile(sha256: String, byteCount: Int64) throws
    func add(_ formulary: Formulary) throws
    func add(_ plan: Plan) throws
    func add(_ tier: TierDefinition) throws
    func add(_ costShare: CostShare) throws
    func add(_ entry: FormularyEntry) throws
    func add(_ indication: IndicationRestriction) throws
    /// A drug-reference concept (RxNorm). Concepts are global: a reference import replaces them.
    func add(_ concept: DrugConcept) throws
    /// An NDC → RxCUI pair from a drug reference; replaced with the concepts.
    func add(_ mapping: NDCMapping) throws
}

/// A row an import skipped under `--max-rejects`, with the reason.
public struct RejectedRow: Hashable, Codable, Sendable {
    public var file: String
    public var line: Int
    public var reason: String
    /// The raw row, as far as it could be read.
    public var raw: String

    public init(file: String, line: Int, reason: String, raw: String) {
        self.file = file
        self.line = line
        self.reason = reason
        self.raw = raw
    }
}

/// What an importer reports when it has streamed everything into the sink.
public struct ImportOutcome: Hashable, Codable, Sendable {
    public var contractYear: Int?
    /// Counts by what was read (`basic drugs formulary rows`, `plans`, `FormularyItem`, …).
    public var counts: [String: Int]
    /// Things worth knowing that did not stop the import (an unmapped tier name, a skipped file).
    public var warnings: [String]
    /// Rows skipped under a reject allowance.
    public var rejects: [RejectedRow]

    public init(contractYear: Int? = nil, counts: [String: Int] = [:], warnings: [String] = [], rejects: [RejectedRow] = []) {
        self.contractYear = contractYear
        self.counts = counts
        self.warnings = warnings
        self.rejects = rejects
    }
}

/// Collects imported rows in memory: for tests, and for callers that want values, not a database.
public final class InMemoryImportSink: ImportSink {
    public struct File: Hashable, Sendable {
        public var name: String
        public var role: String
        public var sha256: String?
        public var byteCount: Int64?
    }

    public private(set) var files: [File] = []
    public private(set) var formularies: [Formulary] = []
    public private(set) var plans: [Plan] = []
    public private(set) var tiers: [TierDefinition] = []
    public private(set) var costShares: [CostShare] = []
    public private(set) var entries: [FormularyEntry] = []
    public private(set) var indications: [IndicationRestriction] = []
    public private(set) var concepts: [DrugConcept] = []
    public private(set) var ndcMappings: [NDCMapping] = []

    public init() {}

    public func beginFile(name: String, role: String) throws {
        files.append(File(name: name, role: role))
    }

    public func finishFile(sha256: String, byteCount: Int64) throws {
        guard !files.isEmpty else { return }
        files[files.count - 1].sha256 = sha256
        files[files.count - 1].byteCount = byteCount
    }

    public func add(_ formulary: Formulary) throws { formularies.append(formulary) }
    public func add(_ plan: Plan) throws { plans.append(plan) }
    public func add(_ tier: TierDefinition) throws { tiers.append(tier) }
    public func add(_ costShare: CostShare) throws { costShares.append(costShare) }
    public func add(_ entry: FormularyEntry) throws { entries.append(entry) }
    public func add(_ indication: IndicationRestriction) throws { indications.append(indication) }
    public func add(_ concept: DrugConcept) throws { concepts.append(concept) }
    public func add(_ mapping: NDCMapping) throws { ndcMappings.append(mapping) }
}
