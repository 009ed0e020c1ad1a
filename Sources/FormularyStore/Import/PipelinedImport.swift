import Foundation
import FormularyModel

/// Runs an importer on a thread of its own while the import's write transaction stores its rows,
/// so parsing and SQLite's inserts use two cores instead of taking turns on one.
///
/// Measured on the 1.5M-row Part D file: parsing and building rows was ~40 % of the import's
/// CPU time and SQLite ~55 %, one after the other on one thread. Here the importer's sink is a
/// `SinkPipe` that hands its calls over in batches, and the calling thread (the one inside the
/// transaction, where GRDB requires the connection to be used) applies them to the
/// `SnapshotWriter` in the order they were made. Nothing about the transaction changes: the rows
/// land whole or not at all, and readers keep the previous snapshot until the commit.
///
/// Errors keep their sequential meaning. A failed write stops the importer at its next hand-over
/// and is what the import throws; when the importer fails, the calls it made before are still
/// applied first, so a write that would have failed earlier in a one-thread import still wins.
enum PipelinedImport {
    static func run(
        _ body: (any ImportSink) throws -> ImportOutcome, into writer: SnapshotWriter
    ) throws -> ImportOutcome {
        try withoutActuallyEscaping(body) { body in
            let pipe = SinkPipe()
            let job = Producer(body: body, pipe: pipe)
            let thread = Thread { job.run() }
            thread.name = "formulary.import"
            // The importers' recursive readers get the main thread's stack size, not a secondary thread's 512 KiB.
            thread.stackSize = 8 << 20
            thread.start()
            var writeError: (any Error)?
            while var batch = pipe.take() {
                if writeError == nil {
                    do {
                        try apply(batch, to: writer)
                    } catch {
                        writeError = error
                        pipe.cancel()
                    }
                }
                pipe.recycle(&batch)
            }
            job.wait()
            if let writeError { throw writeError }
            return try job.outcome()
        }
    }

    private static func apply(_ batch: [SinkPipe.Call], to writer: SnapshotWriter) throws {
        for call in batch {
            switch call {
            case .entry(let entry): try writer.add(entry)
            case .beginFile(let name, let role): try writer.beginFile(name: name, role: role)
            case .finishFile(let sha256, let byteCount): try writer.finishFile(sha256: sha256, byteCount: byteCount)
            case .formulary(let formulary): try writer.add(formulary)
            case .plan(let plan): try writer.add(plan)
            case .tier(let tier): try writer.add(tier)
            case .cost(let cost): try writer.add(cost)
            case .indication(let indication): try writer.add(indication)
            case .concept(let concept): try writer.add(concept)
            case .mapping(let mapping): try writer.add(mapping)
            }
        }
    }

    /// The importer's side: runs the body once and keeps its result.
    ///
    /// `@unchecked Sendable` is safe: `body` and `result` are written by the producer thread only
    /// before it signals `done`, and read by the waiting thread only after `wait()`.
    private final class Producer: @unchecked Sendable {
        private var body: ((any ImportSink) throws -> ImportOutcome)?
        private let pipe: SinkPipe
        private var result: Result<ImportOutcome, any Error>?
        private let done = DispatchSemaphore(value: 0)

        init(body: @escaping (any ImportSink) throws -> ImportOutcome, pipe: SinkPipe) {
            self.body = body
            self.pipe = pipe
        }

        func run() {
            if let body { result = Result { try body(pipe) } }
            // Let go of the closure before signalling: it must not outlive `withoutActuallyEscaping`.
            body = nil
            pipe.close()
            done.signal()
        }

        func wait() { done.wait() }

        func outcome() throws -> ImportOutcome {
            guard let result else { preconditionFailure("PipelinedImport: the importer did not run") }
            return try result.get()
        }
    }
}

/// An `ImportSink` that records calls in batches and hands them to another thread, in order,
/// through a bounded queue (at most `maximumQueued` full batches wait, so memory stays flat).
///
/// `@unchecked Sendable` is safe here: `batch` belongs to the producer thread alone; `full`,
/// `spare`, `closed` and `cancelled` are read and written only while holding `condition`'s lock;
/// a batch array is owned by one side at a time (producer → queue → consumer → spare list).
final class SinkPipe: ImportSink, @unchecked Sendable {
    /// One sink call. The rare, large payloads are boxed so a batch slot stays entry-sized.
    enum Call: Sendable {
        case entry(FormularyEntry)
        case beginFile(name: String, role: String)
        case finishFile(sha256: String, byteCount: Int64)
        indirect case formulary(Formulary)
        indirect case plan(Plan)
        indirect case tier(TierDefinition)
        indirect case cost(CostShare)
        indirect case indication(IndicationRestriction)
        indirect case concept(DrugConcept)
        indirect case mapping(NDCMapping)
    }

    /// Thrown to the importer when the writing side failed: its error is the import's.
    struct WriterStopped: Error {}

    static let batchSize = 1024
    static let maximumQueued = 4

    private let condition = NSCondition()
    private var batch: [Call] = []
    private var full: [[Call]] = []
    private var spare: [[Call]] = []
    private var closed = false
    private var cancelled = false

    init() {
        batch.reserveCapacity(Self.batchSize)
    }

    // MARK: - The importer's side

    func beginFile(name: String, role: String) throws { try put(.beginFile(name: name, role: role)) }
    func finishFile(sha256: String, byteCount: Int64) throws { try put(.finishFile(sha256: sha256, byteCount: byteCount)) }
    func add(_ formulary: Formulary) throws { try put(.formulary(formulary)) }
    func add(_ plan: Plan) throws { try put(.plan(plan)) }
    func add(_ tier: TierDefinition) throws { try put(.tier(tier)) }
    func add(_ costShare: CostShare) throws { try put(.cost(costShare)) }
    func add(_ entry: FormularyEntry) throws { try put(.entry(entry)) }
    func add(_ indication: IndicationRestriction) throws { try put(.indication(indication)) }
    func add(_ concept: DrugConcept) throws { try put(.concept(concept)) }
    func add(_ mapping: NDCMapping) throws { try put(.mapping(mapping)) }

    @inline(__always)
    private func put(_ call: Call) throws {
        batch.append(call)
        if batch.count == Self.batchSize { try ship() }
    }

    /// Queues the batch in hand, waiting while the queue is full.
    private func ship() throws {
        condition.lock()
        defer { condition.unlock() }
        while full.count >= Self.maximumQueued, !cancelled { condition.wait() }
        if cancelled { throw WriterStopped() }
        full.append(batch)
        batch = spare.popLast() ?? []
        batch.reserveCapacity(Self.batchSize)
        condition.broadcast()
    }

    /// Called once by the importer's thread when it is done, whether or not it succeeded.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        if !batch.isEmpty, !cancelled { full.append(batch) }
        batch = []
        closed = true
        condition.broadcast()
    }

    // MARK: - The writer's side

    /// The next batch, in order; nil once the importer has closed and everything was taken.
    func take() -> [Call]? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty, !closed { condition.wait() }
        guard !full.isEmpty else { return nil }
        let next = full.removeFirst()
        condition.broadcast()
        return next
    }

    /// Returns a consumed batch's storage for reuse.
    func recycle(_ used: inout [Call]) {
        used.removeAll(keepingCapacity: true)
        condition.lock()
        if spare.count < 2 { spare.append(used) }
        condition.unlock()
        used = []
    }

    /// Stops the importer at its next hand-over (the writing side failed).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
