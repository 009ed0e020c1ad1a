import Foundation
import FormularyModel

/// Imports an RxNorm monthly release (full, or Current Prescribable Content) so formulary
/// RxCUIs resolve to names, ingredients and brands, and claim NDCs resolve to RxCUIs.
///
/// Inputs may be the release zip as NLM ships it (`RxNorm_full_prescribe_MMDDYYYY.zip`, files
/// under `rrf/`), the unpacked folder, or the RRF files themselves. `RXNCONSO.RRF` is required;
/// `RXNREL.RRF` (ingredients and brands) and `RXNSAT.RRF` (NDCs) are read when present, with a
/// warning saying what is lost when not. Other release files are skipped with one warning. The
/// files are read concepts → relations → attributes whatever order they are given in, because
/// each later file is filtered by what the earlier ones kept.
///
/// Full RxNorm is large (RXNCONSO ~1 M rows, RXNREL ~6 M, RXNSAT ~5 M), so every file streams
/// and is hashed on the way through; what stays in memory is only the kept concepts (RxNorm's own
/// IN, PIN, MIN, SCDC, SCD, SBD, GPCK, BPCK and BN atoms: RXCUI, term type, name) and the
/// relation edges among them. One `DrugConcept` is emitted per IN, MIN, SCD, SBD, GPCK and BPCK,
/// after the relations are read; NDCs are emitted while RXNSAT streams.
///
/// Bad rows (a line that is not the table's columns each ended by `|`, an RXCUI that is not 1–8
/// digits, an NDC that is not 11 digits, a name that is not UTF-8) fail the import with a list
/// of problems unless `ImportOptions.maxRejects` allows skipping them. Only rows the import uses
/// are checked field by field; other sources' rows are checked for shape only.
///
/// `ImportOutcome.counts` keys: `concepts`, `NDC mappings`, `relations read` (distinct edges kept),
/// `RXNCONSO rows`, `RXNREL rows`, `RXNSAT rows` (well-formed rows read, whatever their source),
/// and, when there are any, `suppressed concepts`, `NDC mappings not current` and
/// `NDC mappings for concepts not imported`.
public struct RxNormImporter: FormularyImporter, Sendable {
    public var options: ImportOptions

    public var format: SourceFormat { .rxnorm }

    public init(options: ImportOptions = ImportOptions()) {
        self.options = options
    }

    public func importFiles(
        _ inputs: [URL], into sink: any ImportSink, progress: (any ImportProgressReporting)?
    ) throws -> ImportOutcome {
        let catalog = try InputCatalog(inputs: inputs, limits: options.archiveLimits)
        var outcome = ImportOutcome()
        let files = try Self.assignTables(in: catalog, warnings: &outcome.warnings)
        guard let conceptFile = files[.concepts] else {
            throw ImportError.missingFile(
                format: SourceFormat.rxnorm.displayName, role: RRFTable.concepts.fileName, looked: inputs.map(\.path)
            )
        }
        if files[.relations] == nil {
            outcome.warnings.append(
                "no \(RRFTable.relations.fileName) among the inputs: concepts carry no ingredients, and brand names come only from the [Brand] ending of SBD and BPCK names")
        }
        if files[.attributes] == nil {
            outcome.warnings.append("no \(RRFTable.attributes.fileName) among the inputs: no NDC → RxCUI mappings were imported")
        }

        var ledger = ProblemLedger(maxRejects: options.maxRejects)
        func read<Consumer: RRFRowConsumer>(_ table: RRFTable, _ file: InputFile, into consumer: inout Consumer) throws {
            let summary = try RRFTableReader(file: file, table: table).read(into: &consumer, sink: sink, ledger: &ledger, progress: progress)
            outcome.counts["\(table.rawValue) rows"] = summary.rows
            // Later files are filtered by what this one kept: reading them after a failure would only waste time.
            if ledger.hasFailed { _ = try ledger.settle() }
        }

        var atoms = RxNormAtomReader()
        try read(.concepts, conceptFile, into: &atoms)
        let table = atoms.table
        if table.isEmpty {
            ledger.fileProblem(RowProblem(
                file: conceptFile.displayName, line: 0,
                expected: "RxNorm atoms (SAB = RXNORM) with TTY IN, PIN, MIN, SCDC, SCD, SBD, GPCK, BPCK or BN; the file has none, and importing it would empty the drug reference"
            ))
            _ = try ledger.settle()
        }

        var relations = RxNormRelationReader(table: table)
        if let file = files[.relations] {
            try read(.relations, file, into: &relations)
        }
        let graph = relations.sealedGraph()
        outcome.counts["relations read"] = graph.count

        try emitConcepts(
            RxNormConceptAssembler(table: table, graph: graph), into: sink,
            checkingIngredients: files[.relations] != nil, outcome: &outcome
        )

        if let file = files[.attributes] {
            var ndcs = RxNormNDCReader(sink: sink, table: table)
            try read(.attributes, file, into: &ndcs)
            outcome.counts["NDC mappings"] = ndcs.mappings
            if ndcs.notCurrent > 0 { outcome.counts["NDC mappings not current"] = ndcs.notCurrent }
            if ndcs.unknownConcept > 0 {
                outcome.counts["NDC mappings for concepts not imported"] = ndcs.unknownConcept
                outcome.warnings.append(
                    "skipped \(ndcs.unknownConcept) RxNorm NDC\(ndcs.unknownConcept == 1 ? "" : "s") whose RXCUI is not an IN, MIN, SCD, SBD, GPCK or BPCK concept of \(RRFTable.concepts.fileName) (for example \(ndcs.unknownExample ?? "?")); are the files from one release?")
            }
        } else {
            outcome.counts["NDC mappings"] = 0
        }

        outcome.rejects = try ledger.settle()
        return outcome
    }

    /// Emits every concept of an emitted term type, in RXNCONSO order, and counts them. With
    /// `checkingIngredients`, warns once about current drugs the relations did not lead to an
    /// ingredient, which a rule stated per ingredient would not match (suppressed drugs often
    /// lose their relations, so they are not counted).
    private func emitConcepts(
        _ assembler: RxNormConceptAssembler, into sink: any ImportSink, checkingIngredients: Bool, outcome: inout ImportOutcome
    ) throws {
        var emitted = 0
        var suppressed = 0
        var unresolved = 0
        var examples: [String] = []
        for slot in 0 ..< Int32(assembler.table.count) {
            guard let concept = assembler.concept(at: slot) else { continue }
            try sink.add(concept)
            emitted += 1
            let record = assembler.table[slot]
            if !record.isCurrent {
                suppressed += 1
            } else if checkingIngredients, record.termType.isDrug, concept.ingredients.isEmpty {
                unresolved += 1
                if examples.count < 3 { examples.append("\(concept.rxcui) \(concept.name)") }
            }
        }
        outcome.counts["concepts"] = emitted
        if suppressed > 0 { outcome.counts["suppressed concepts"] = suppressed }
        if unresolved > 0 {
            outcome.warnings.append(
                "\(unresolved) current drug concept\(unresolved == 1 ? " has" : "s have") no ingredient reachable through \(RRFTable.relations.fileName) (for example \(examples.joined(separator: "; ")))")
        }
    }

    /// Sorts the discovered files into tables and warns once about the rest. Two files for one
    /// table mean two releases were mixed: that is an error, not a choice to make silently.
    private static func assignTables(in catalog: InputCatalog, warnings: inout [String]) throws -> [RRFTable: InputFile] {
        var tables: [RRFTable: InputFile] = [:]
        var skipped: [String] = []
        for file in catalog.files {
            guard let table = RRFTable.classify(file.fileName) else {
                skipped.append(file.fileName)
                continue
            }
            if let first = tables[table] {
                throw ImportError.unrecognizedFormat(
                    path: file.displayName,
                    reason: "it is a second \(table.fileName) (the first is \(first.displayName)); import one RxNorm release at a time"
                )
            }
            tables[table] = file
        }
        skipped += catalog.unopenedArchives.map(\.fileName)
        if !skipped.isEmpty {
            let listed = skipped.prefix(8).joined(separator: ", ")
            let rest = skipped.count > 8 ? " and \(skipped.count - 8) more" : ""
            warnings.append(
                "skipped \(skipped.count) file\(skipped.count == 1 ? "" : "s") the RxNorm importer does not read (it reads \(RRFTable.readingOrder.map(\.fileName).joined(separator: ", "))): \(listed)\(rest)")
        }
        return tables
    }
}
