import FormularyModel

/// Reads `RXNSAT.RRF` for NDCs and emits them as `NDCMapping`s as it goes.
///
/// Only `ATN` = `NDC` with `SAB` = `RXNORM` is read: those values are NLM's normalized 11-digit
/// NDCs, while other sources (NDDF, MTHSPL, VANDF, …) write theirs in source formats. An NDC is
/// current when its row is not suppressed. The same NDC can be attached to several atoms of one
/// concept; RXNSAT lists a concept's attributes together, so duplicates are merged within each run
/// of one RXCUI (current if any of them is), which keeps memory flat. A duplicate split across
/// runs, which NLM's files do not have, would reach the sink twice; the store keeps the first.
struct RxNormNDCReader: RRFRowConsumer {
    private typealias Column = RRFTable.Attributes

    private let sink: any ImportSink
    private let table: RxNormConceptTable
    private static let ndcAttribute = RRFRow.code("NDC")

    /// The RXCUI whose NDCs are being gathered.
    private var runKey: UInt64 = 0
    /// NDCs of the current run with whether any of their rows is current; a handful at most.
    private var run: [(ndc: String, isCurrent: Bool)] = []

    /// Mappings emitted.
    private(set) var mappings = 0
    /// Emitted mappings RxNorm marks obsolete or suppressed.
    private(set) var notCurrent = 0
    /// NDCs skipped because their RXCUI is not a concept this import emits.
    private(set) var unknownConcept = 0
    /// One such RXCUI, for the warning.
    private(set) var unknownExample: String?

    init(sink: any ImportSink, table: RxNormConceptTable) {
        self.sink = sink
        self.table = table
    }

    mutating func consume(_ row: RRFRow) throws {
        guard row.field(Column.atn, is: Self.ndcAttribute), row.field(Column.sab, is: RRFRow.rxnormSource) else { return }
        // Validate before touching state: a bad row leaves no trace.
        let key = try row.rxcuiKey(Column.rxcui)
        let atv = row.bytes(Column.atv)
        guard atv.count == 11, FieldBytes.isDigits(atv) else {
            throw row.problem(Column.atv, expected: "an NDC of 11 digits without dashes (RxNorm's normalized form)")
        }
        let isCurrent = row.field(Column.suppress, is: RRFRow.notSuppressed)
        if key != runKey {
            try flush()
            runKey = key
        }
        let ndc = String(decoding: atv, as: UTF8.self)
        if let index = run.firstIndex(where: { $0.ndc == ndc }) {
            run[index].isCurrent = run[index].isCurrent || isCurrent
        } else {
            run.append((ndc, isCurrent))
        }
    }

    mutating func finish() throws {
        try flush()
    }

    /// Emits the finished run of one RXCUI.
    private mutating func flush() throws {
        defer { run.removeAll(keepingCapacity: true) }
        guard !run.isEmpty else { return }
        guard let slot = table.slot(of: runKey), table[slot].termType.isEmitted else {
            unknownConcept += run.count
            if unknownExample == nil { unknownExample = RxNormConceptTable.rxcui(runKey).rawValue }
            return
        }
        let rxcui = RxNormConceptTable.rxcui(runKey)
        for item in run {
            try sink.add(NDCMapping(ndc: NDC(item.ndc), rxcui: rxcui, isCurrent: item.isCurrent))
            mappings += 1
            if !item.isCurrent { notCurrent += 1 }
        }
    }
}
