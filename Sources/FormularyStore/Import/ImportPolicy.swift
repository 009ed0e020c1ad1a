import Foundation
import GRDB
import FormularyModel

/// How an import becomes the current data of its source: under which name, and which checks it
/// must pass before it may replace what is there.
public struct ImportPolicy: Sendable {
    /// The source name; nil derives one from the content (`SourceIdentity`).
    public var sourceName: String?
    /// Let a snapshot drop more than `shrinkLimit` of the previous snapshot's plans, formularies or lines.
    public var allowShrink: Bool
    /// The share of the previous snapshot's plans, formularies or lines a new snapshot may lose
    /// without `allowShrink`: one half.
    public var shrinkLimit: Double
    /// The inputs as a person named them, for messages.
    public var inputs: [String]

    public init(sourceName: String? = nil, allowShrink: Bool = false, shrinkLimit: Double = 0.5, inputs: [String] = []) {
        self.sourceName = sourceName
        self.allowShrink = allowShrink
        self.shrinkLimit = shrinkLimit
        self.inputs = inputs
    }
}

/// What a snapshot would make disappear, when the shrink guard refuses it.
public struct ShrinkReport: Hashable, Sendable {
    public struct Loss: Hashable, Sendable {
        /// "plans", "formularies" or "formulary lines".
        public var what: String
        public var before: Int
        public var after: Int
        /// A few of the ids that would disappear.
        public var examples: [String]
    }

    public var source: String
    public var previousSnapshot: Int64
    public var losses: [Loss]
}

extension ImportPolicy {
    /// The checks at the end of an import's transaction: the content check, the source's name,
    /// and the shrink guard. Returns the name and the snapshot the import replaces as current.
    func settle(_ db: Database, snapshotID: Int64, format: SourceFormat, writer: SnapshotWriter,
                outcome: ImportOutcome) throws -> (source: String, replaces: Int64?) {
        let content = writer.content
        guard content.hasContent(for: format) else {
            throw StoreError.noContent(inputs: inputs, format: format, found: Self.found(outcome.counts))
        }
        let source: String
        if let sourceName {
            source = sourceName
        } else {
            switch SourceIdentity.derive(format: format, planIDs: writer.planIDs, formularyIDs: writer.formularyIDs) {
            case .named(let name): source = name
            case .ambiguous(let reason): throw StoreError.sourceNeeded(inputs: inputs, reason: reason)
            }
        }
        try db.execute(sql: "UPDATE snapshot SET source_name = ?, content_json = ? WHERE id = ?",
                       arguments: [source, StoreJSON.encode(content), snapshotID])
        let previous = try Int64.fetchOne(db, sql: "SELECT max(id) FROM snapshot WHERE source_name = ? AND id <> ?",
                                          arguments: [source, snapshotID])
        if let previous, !allowShrink {
            let before = try Self.content(of: previous, db)
            let losses = try shrinkLosses(db, previous: previous, current: snapshotID, before: before, after: content)
            if !losses.isEmpty {
                throw StoreError.wouldShrink(ShrinkReport(source: source, previousSnapshot: previous, losses: losses))
            }
        }
        return (source, previous)
    }

    /// The counts of what was found, without the file tallies: "1 Location".
    static func found(_ counts: [String: Int]) -> [String] {
        counts.filter { !$0.key.hasPrefix("files") && $0.value > 0 }
            .map { key, value in
                let name = key.replacingOccurrences(of: "skipped resources: ", with: "")
                    .replacingOccurrences(of: "skipped resource: ", with: "")
                return "\(value.formatted()) \(name)"
            }
            .sorted()
    }

    /// The content of an earlier snapshot: as recorded, or counted once for snapshots from before
    /// the count was kept.
    static func content(of snapshot: Int64, _ db: Database) throws -> SnapshotContent {
        if let text = try String.fetchOne(db, sql: "SELECT content_json FROM snapshot WHERE id = ?", arguments: [snapshot]),
           let content = StoreJSON.decode(SnapshotContent.self, from: text) {
            return content
        }
        let plans = try Int.fetchOne(db, sql: "SELECT count(*) FROM plan WHERE snapshot_id = ?", arguments: [snapshot]) ?? 0
        let formularies = try Int.fetchOne(db, sql: "SELECT count(*) FROM formulary WHERE snapshot_id = ?", arguments: [snapshot]) ?? 0
        let entries = try Int.fetchOne(db, sql: """
            SELECT (SELECT count(*) FROM entry WHERE formulary_id IN (SELECT id FROM formulary WHERE snapshot_id = ?1))
                 + (SELECT count(*) FROM plan_entry WHERE snapshot_id = ?1)
            """, arguments: [snapshot]) ?? 0
        let content = SnapshotContent(plans: plans, formularies: formularies, entries: entries)
        try db.execute(sql: "UPDATE snapshot SET content_json = ? WHERE id = ?", arguments: [StoreJSON.encode(content), snapshot])
        return content
    }

    /// Each kind of content the new snapshot lost more than the limit of, with a few ids.
    func shrinkLosses(_ db: Database, previous: Int64, current: Int64, before: SnapshotContent, after: SnapshotContent) throws -> [ShrinkReport.Loss] {
        func shrank(_ old: Int, _ new: Int) -> Bool { old > 0 && Double(old - new) > Double(old) * shrinkLimit }
        var losses: [ShrinkReport.Loss] = []
        if shrank(before.plans, after.plans) {
            let gone = try String.fetchAll(db, sql: """
                SELECT external_id FROM plan WHERE snapshot_id = ?1
                EXCEPT SELECT external_id FROM plan WHERE snapshot_id = ?2 ORDER BY 1 LIMIT 5
                """, arguments: [previous, current])
            losses.append(.init(what: "plans", before: before.plans, after: after.plans, examples: gone))
        }
        if shrank(before.formularies, after.formularies) {
            let gone = try String.fetchAll(db, sql: """
                SELECT external_id FROM formulary WHERE snapshot_id = ?1
                EXCEPT SELECT external_id FROM formulary WHERE snapshot_id = ?2 ORDER BY 1 LIMIT 5
                """, arguments: [previous, current])
            losses.append(.init(what: "formularies", before: before.formularies, after: after.formularies, examples: gone))
        }
        if shrank(before.entries, after.entries) {
            // A few lines of the previous snapshot whose formulary and drug the new one lacks.
            let gone = try Row.fetchAll(db, sql: """
                SELECT f.external_id, coalesce(d.rxcui, d.name) FROM entry e
                JOIN formulary f ON f.id = e.formulary_id AND f.snapshot_id = ?1
                JOIN drug d ON d.id = e.drug_id
                WHERE NOT EXISTS (
                    SELECT 1 FROM entry n JOIN formulary g ON g.id = n.formulary_id AND g.snapshot_id = ?2
                    WHERE g.external_id = f.external_id AND n.drug_id = e.drug_id)
                LIMIT 5
                """, arguments: [previous, current]).map { "formulary \($0[0] as String) drug \($0[1] as String? ?? "?")" }
            losses.append(.init(what: "formulary lines", before: before.entries, after: after.entries, examples: gone))
        }
        return losses
    }
}
