import Foundation
import FormularyModel

/// Imports HL7 Da Vinci US Drug Formulary data (FHIR R4; STU1 and STU2), in JSON or XML: single
/// resources, Bundles (collection, searchset, transaction), NDJSON bulk-export files, and folders or
/// zips of these.
///
/// Both serializations go through one path: a streaming reader (the shared `JSONReader`, or
/// `XMLStreamReader` over libxml2 SAX2) hands over one resource at a time as a `FHIRElement`,
/// `FHIRResourceDecoder` reads what the profiles define, and `FHIRMapper` writes the rows. So the
/// JSON and XML renderings of the same data give identical rows, and a 1 GB Bundle costs the memory
/// of its largest resource plus the drug map. Every file's SHA-256 is computed while it streams.
///
/// What it emits (FORMATS.md §8): `Plan` and `CostShare` rows from PayerInsurancePlans (2.x) and
/// CoveragePlans (STU1); `Formulary` rows from Formularies, STU1 plans, and any formulary only
/// referenced; `TierDefinition`s for every tier used, with the category from `TierNameMapping`;
/// `FormularyEntry` rows from FormularyItems (2.x, drug resolved through its FormularyDrug) and STU1
/// FormularyDrugs, every UM flag tri-state (absent is nil, never false).
///
/// Malformed JSON or XML, and refused XML (a DOCTYPE, entities), fail the import with the file, line
/// and column; a resource its profile does not allow (an item without a tier, a name with a control
/// character) and a cost share `CostShareRules` refuses are bad rows, which `--max-rejects` may
/// skip. Files that are neither JSON nor XML are skipped with a warning; unknown resource types and
/// extensions are skipped and counted.
///
/// Every entry row is written while its FormularyItem's file is current, so lookups name the file
/// and record the line came from. When a file ends with items whose FormularyDrugs it did not hold,
/// the later files are read ahead once, for their FormularyDrugs only; an import whose items come
/// after their drugs, or in the same file (a Bundle), never reads anything twice.
public struct FHIRImporter: FormularyImporter {
    public var options: ImportOptions

    public var format: SourceFormat { .fhir }

    public init(options: ImportOptions = ImportOptions()) {
        self.options = options
    }

    public func importFiles(
        _ inputs: [URL], into sink: any ImportSink, progress: (any ImportProgressReporting)?
    ) throws -> ImportOutcome {
        let catalog = try InputCatalog(inputs: inputs, limits: options.archiveLimits)
        var selected: [(file: InputFile, kind: FHIRFileKind)] = []
        var skippedFiles: [String] = []
        for file in catalog.files {
            let kind = FHIRFileKind.sniff(file)
            if case .other(let reason) = kind {
                skippedFiles.append("\(file.displayName) (\(reason))")
            } else {
                selected.append((file, kind))
            }
        }
        guard !selected.isEmpty else {
            throw ImportError.missingFile(
                format: SourceFormat.fhir.displayName, role: "FHIR JSON, NDJSON or XML", looked: inputs.map(\.path))
        }

        let mapper = FHIRMapper(sink: sink, maxRejects: options.maxRejects)
        var containers: [String: Int] = [:]
        var haveReadAhead = false
        for (position, item) in selected.enumerated() {
            let file = item.file
            try sink.beginFile(name: file.displayName, role: item.kind.role)
            mapper.beginFile(file.displayName)
            let source = InputFileByteSource(file: file)
            defer { source.cancel() }
            var tracker = ProgressTracker(file: file, progress: progress)
            do {
                let container = try Self.read(source, kind: item.kind) { record, bytes in
                    try mapper.accept(record)
                    tracker.tick(bytes: bytes, entries: mapper.counts["formulary entries"] ?? 0)
                }
                if let container { containers[container, default: 0] += 1 }
            } catch let error as JSONError {
                mapper.ledger.fileProblem(error.rowProblem(file: file.displayName))
            } catch let error as XMLStreamError {
                mapper.ledger.fileProblem(error.rowProblem(file: file.displayName))
            }
            // Stop at the first file the allowance cannot cover; later files would only add noise.
            guard !mapper.ledger.hasFailed else {
                throw ImportError.invalidRows(problems: mapper.ledger.problems, total: mapper.ledger.total)
            }
            try mapper.finishFile()
            if mapper.hasWaitingItems, !haveReadAhead, position < selected.count - 1 {
                haveReadAhead = true
                Self.readAheadForDrugs(Array(selected[(position + 1)...]), into: mapper)
                try mapper.finishFile()
            }
            if position == selected.count - 1 { try mapper.finish() }
            try Self.readToEnd(source)
            let digest = try source.digest()
            try sink.finishFile(sha256: digest.sha256, byteCount: digest.byteCount)
        }

        var outcome = ImportOutcome(contractYear: mapper.contractYear, counts: mapper.counts, warnings: mapper.warnings)
        outcome.rejects = try mapper.ledger.settle()
        for (container, count) in containers { outcome.counts["files: \(container)"] = count }
        if mapper.unknownExtensionCount > 0 { outcome.counts["unknown extensions"] = mapper.unknownExtensionCount }
        if !skippedFiles.isEmpty {
            outcome.counts["files skipped (not FHIR)"] = skippedFiles.count
            let shown = skippedFiles.prefix(10).joined(separator: ", ")
            outcome.warnings.insert(
                "skipped \(skippedFiles.count) file(s) that are not FHIR JSON or XML: \(shown)\(skippedFiles.count > 10 ? ", …" : "")", at: 0)
        }
        if (outcome.counts["formulary entries"] ?? 0) == 0 {
            outcome.warnings.append("no formulary entries were imported")
        }
        return outcome
    }

    // MARK: - Serializations

    /// Streams the resources of `source`, read as `kind`, into `deliver` with the bytes read so far;
    /// returns how the outcome counts the file (`JSON Bundle (collection)`), nil for `.other`.
    private static func read(
        _ source: InputFileByteSource, kind: FHIRFileKind, deliver: (FHIRResourceRecord, Int64) throws -> Void
    ) throws -> String? {
        switch kind {
        case .json: try readJSON(source, deliver: deliver)
        case .ndjson: try readNDJSON(source, deliver: deliver)
        case .xml: try readXML(source, deliver: deliver)
        case .other: nil
        }
    }

    private static func readJSON(_ source: InputFileByteSource, deliver: (FHIRResourceRecord, Int64) throws -> Void) throws -> String {
        let reader = JSONReader(source: source)
        var resources = FHIRJSONResourceReader()
        try resources.read(reader) { record in try deliver(record, reader.bytesConsumed) }
        try reader.finish()
        return containerName(bundleType: resources.bundleType, resources: resources.resourceCount, json: true)
    }

    private static func readNDJSON(_ source: InputFileByteSource, deliver: (FHIRResourceRecord, Int64) throws -> Void) throws -> String {
        let lines = NDJSONLineSource(base: source)
        while try lines.nextLine() {
            let reader = JSONReader(source: lines, readSize: 64 << 10)
            var resources = FHIRJSONResourceReader(firstRecordNumber: lines.lineNumber, lineOffset: lines.lineNumber - 1)
            do {
                try resources.read(reader) { record in try deliver(record, lines.lineOffset) }
                try reader.finish()
            } catch let error as JSONError {
                throw error.relocated(toLine: lines.lineNumber, offset: lines.lineOffset)
            }
        }
        return "NDJSON"
    }

    private static func readXML(_ source: InputFileByteSource, deliver: (FHIRResourceRecord, Int64) throws -> Void) throws -> String {
        let parser = try XMLStreamReader { buffer in try source.read(into: buffer) }
        return try withoutActuallyEscaping(deliver) { deliver in
            // The handler keeps its closure; it does not outlive `parse`.
            let handler = FHIRXMLResourceReader { record in try deliver(record, parser.bytesRead) }
            try parser.parse(into: handler)
            return containerName(bundleType: handler.bundleType, resources: handler.resourceCount, json: false)
        }
    }

    /// Reads `files` once more, ahead of their turn, and hands their resources to the mapper's
    /// `learnDrug`, so the current file's waiting items find their FormularyDrugs while it is current.
    /// Errors are ignored here: each file reports its own when its turn comes.
    private static func readAheadForDrugs(_ files: [(file: InputFile, kind: FHIRFileKind)], into mapper: FHIRMapper) {
        for item in files {
            let source = InputFileByteSource(file: item.file)
            defer { source.cancel() }
            _ = try? read(source, kind: item.kind) { record, _ in mapper.learnDrug(record) }
        }
    }

    /// How the outcome counts a file: `JSON Bundle (searchset)`, `XML resource`.
    private static func containerName(bundleType: String?, resources: Int, json: Bool) -> String {
        let syntax = json ? "JSON" : "XML"
        guard let bundleType else { return "\(syntax) resource" }
        return "\(syntax) Bundle (\(bundleType))"
    }

    /// Reads whatever the parser left unread (nothing but trailing whitespace, or nothing at all), so
    /// the digest covers the whole file.
    private static func readToEnd(_ source: InputFileByteSource) throws {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
        defer { scratch.deallocate() }
        while try source.read(into: scratch) > 0 {}
    }
}

/// Reports progress at most every 4,096 resources, with the bytes read so far.
private struct ProgressTracker {
    let file: InputFile
    let progress: (any ImportProgressReporting)?
    var resources = 0

    mutating func tick(bytes: Int64, entries: Int) {
        resources += 1
        guard let progress, resources & 4095 == 0 else { return }
        progress.importProgress(file: file.displayName, bytesRead: bytes, totalBytes: file.byteCount, rows: entries)
    }
}
