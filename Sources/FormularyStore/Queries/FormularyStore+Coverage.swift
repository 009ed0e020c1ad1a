import Foundation
import GRDB
import FormularyModel

extension FormularyStore: CoverageProvider {
    public func planListing(_ plan: PlanID) throws -> PlanListing? {
        try pool.read { db in try CoverageReader(db).currentPlans(plan).first?.listing }
    }

    public func coverage(plan: PlanID, drugs: [RxCUI]) throws -> [CoverageLine] {
        try coverage(plans: [plan], drugs: drugs).first?.lines ?? []
    }

    /// Every plan from one read: one consistent snapshot, and each table read once for all plans.
    /// With a coverage cache, plans answered before under the same generation come from memory
    /// and only the others are read.
    public func coverage(plans: [PlanID], drugs: [RxCUI]) throws -> [PlanCoverage] {
        try pool.read { db in
            let reader = CoverageReader(db)
            let generation = try reader.drugGeneration()
            let drugSet = try reader.drugs(rxcuis: drugs, generation: generation, cache: drugSets)
            var answers: [PlanCoverage?] = plans.map { coverageCache?.get(CoverageCache.Key(generation: generation, plan: $0, drugs: drugSet.json)) }
            let missing = answers.indices.filter { answers[$0] == nil }
            guard !missing.isEmpty else { return answers.compactMap { $0 } }
            // One plan keeps the plain statement (the JSON-list one measured about 1% slower for it).
            let rows = missing.count == 1 ? [try reader.currentPlans(plans[missing[0]]).first]
                : try reader.currentPlans(missing.map { plans[$0] }).map(\.first)
            var lines = try reader.lines(for: rows.compactMap { $0 }, drugs: drugSet).makeIterator()
            for (index, row) in zip(missing, rows) {
                let answer = row.map { PlanCoverage(plan: plans[index], listing: $0.listing, lines: lines.next() ?? []) }
                    ?? PlanCoverage(plan: plans[index], listing: nil, lines: [])
                coverageCache?.put(CoverageCache.Key(generation: generation, plan: plans[index], drugs: drugSet.json), answer)
                answers[index] = answer
            }
            return answers.compactMap { $0 }
        }
    }
}

/// Coverage answers by plan, for a process that answers many requests (`FormularyStore`'s
/// `coverageCacheCapacity`). Keyed by the generation every import and prune bumps, read in the
/// same transaction as any rows, so an answer is never older than the data the read sees; the
/// oldest entries go first when it is full.
final class CoverageCache: Sendable {
    struct Key: Hashable, Sendable {
        var generation: Int64
        var plan: PlanID
        /// The drug ids asked, as the statements bind them (`DrugSet.json`).
        var drugs: String
    }

    let capacity: Int
    /// `NSLock`, not `Synchronization.Mutex`: that needs macOS 15, the package supports 14.
    private let lock = NSLock()
    nonisolated(unsafe) private var entries: [Key: PlanCoverage] = [:]
    nonisolated(unsafe) private var order: [Key] = []

    init(capacity: Int) { self.capacity = capacity }

    func get(_ key: Key) -> PlanCoverage? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    func put(_ key: Key, _ answer: PlanCoverage) {
        lock.lock()
        defer { lock.unlock() }
        if entries[key] != nil { return }
        // A new generation: the older answers are asked for only by reads that began before the
        // write, and those read again.
        if let newest = order.last, newest.generation != key.generation {
            entries.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
        }
        if order.count >= capacity { entries[order.removeFirst()] = nil }
        entries[key] = answer
        order.append(key)
    }

    /// How many answers it holds (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}

extension FormularyStore {
    /// The drug generation cached drug sets are keyed on.
    func drugGeneration() throws -> Int64 {
        try pool.read { db in try CoverageReader(db).drugGeneration() }
    }
}
