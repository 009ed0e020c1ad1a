import Foundation
import FormularyCriteria
import FormularyImport
import FormularyModel

/// Patient records in: FHIR R4 JSON, NDJSON and XML (single resources, Bundles, bulk exports,
/// folders and zips, read by the formulary importers' streaming readers under the same XML safety
/// policy and archive limits), home-monitoring logs (CSV, JSON) and profiles in the documented
/// format, merged into one `PatientProfile` with a warning for every fact skipped or uncertain.
///
/// It knows nothing of the analysis or SQL: NDC → RxCUI comes through `ndcLookup`, which the
/// application implements with the store's RxNorm mappings.
public struct RecordsImporter: Sendable {
    /// Maps NDCs (11 digits) to RxCUIs; unmapped NDCs are absent from the answer.
    public typealias NDCLookup = @Sendable ([String]) throws -> [String: String]

    /// The most bytes a monitoring log or a profile may have (they are read whole).
    public static let maxSmallFileBytes = 32 << 20

    public let reference: DrugReference
    public let ndcLookup: NDCLookup
    /// The profile's `id`: a label, never a name. Nil: a profile input's id, else `p-` and a hash.
    public var label: String?
    public var archiveLimits: ArchiveLimits

    public init(reference: DrugReference, ndcLookup: @escaping NDCLookup = { _ in [:] }, label: String? = nil,
                archiveLimits: ArchiveLimits = ArchiveLimits()) {
        self.reference = reference
        self.ndcLookup = ndcLookup
        self.label = label
        self.archiveLimits = archiveLimits
    }

    /// Reads `inputs` (files, folders, zips) and merges them into one profile.
    /// - Throws: `ImportError` for a missing path (`fileNotFound`), malformed or refused JSON/XML
    ///   with its line and column (`invalidRows`), a refused zip; `RecordsError` when nothing usable
    ///   is found or a single input is not a record; `DocumentError` for an invalid profile input.
    public func importRecords(_ inputs: [URL]) throws -> RecordsImport {
        let stream = try FHIRResourceStream(inputs: inputs, limits: archiveLimits)
        let collector = RecordCollector()
        var files: [RecordFile] = []
        for file in stream.files {
            let status = try read(file, stream: stream, into: collector)
            if case .refused(let reason) = status {
                collector.warnings.append(RecordWarning(file: file.displayName, resource: "(file)", field: "", message: "not read: \(reason)"))
            }
            files.append(RecordFile(name: file.displayName, status: status))
        }
        if files.isEmpty {
            throw RecordsError.noFacts(files: [], reasons: ["no files in \(inputs.map(\.path).joined(separator: ", "))"])
        }
        let ndcs = Set(collector.fills.compactMap { $0.drug.rxcui == nil ? $0.drug.ndc?.rawValue : nil }
            + collector.profiles.flatMap { $0.profile.claims.compactMap { $0.rxcui == nil ? $0.ndc?.rawValue : nil } })
        let map = ndcs.isEmpty ? [:] : try ndcLookup(ndcs.sorted())
        let assembler = ProfileAssembler(collector: collector, resolver: DrugResolver(reference: reference, ndcMap: map), label: label)
        var result = assembler.assemble()
        let redactor = Redactor(tokens: collector.sensitive)
        result.files = files.map { file in
            var copy = file
            copy.name = redactor.apply(file.name)
            copy.facts = collector.factsByFile[file.name] ?? 0
            return copy
        }
        result.profile.sourceFile = inputs.first?.path
        let facts = result.counts.values.reduce(0, +)
        guard facts > 0 else {
            if files.count == 1, case .refused(let reason) = files[0].status {
                throw RecordsError.refused(file: result.files[0].name, reason: reason)
            }
            var reasons = result.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            let medications = Set(collector.medications.values.map { $0.text ?? "" }).count
            if medications > 0 {
                reasons.append("\(medications) Medication resource\(medications == 1 ? "" : "s"): read only for the prescriptions and dispenses that name them")
            }
            reasons += result.warnings.prefix(10).map(\.description)
            throw RecordsError.noFacts(files: result.files, reasons: reasons)
        }
        return result
    }

    /// Reads one file by what its content is.
    private func read(_ file: FHIRResourceStream.File, stream: FHIRResourceStream, into collector: RecordCollector) throws -> RecordFile.Status {
        let lowerName = file.fileName.lowercased()
        switch file.content {
        case .json, .ndjson, .xml:
            if stream.holdsFHIR(file) {
                let summary = try stream.read(file, keepContained: true) { resource in collector.ingest(resource) }
                return .read(kind: "FHIR \(summary.container)", items: summary.resources)
            }
            if file.content == .json {
                let data = try stream.data(of: file, maxBytes: Self.maxSmallFileBytes)
                let text = String(decoding: data, as: UTF8.self)
                let value: JSONValue
                do {
                    let reader = JSONReader(text)
                    value = try reader.readValue()
                    try reader.finish()
                } catch let error as JSONError {
                    throw error.importError(file: file.displayName)
                }
                if MonitoringLog.isLog(value) {
                    let entries = try MonitoringLog.readJSON(value, file: file.displayName, into: collector)
                    return .read(kind: "monitoring log (JSON)", items: entries)
                }
                if Self.isProfile(value) {
                    return try readProfile(text, file: file, into: collector)
                }
            }
            // Not FHIR and not ours: the streaming reader says where and why, as the formulary importers do.
            try stream.read(file) { _ in }
            return .refused(reason: "not a FHIR resource")
        case .other(let reason):
            if lowerName.hasSuffix(".fsh") {
                return .refused(reason: "FHIR Shorthand (FSH) source, not a FHIR instance: compile it to JSON with SUSHI first")
            }
            guard reason != "it is empty" else { return .refused(reason: "it is empty") }
            let data = try stream.data(of: file, maxBytes: Self.maxSmallFileBytes)
            guard let text = String(data: data, encoding: .utf8) else {
                return .refused(reason: "not UTF-8 text (FHIR, monitoring logs and profiles are UTF-8)")
            }
            if lowerName.hasSuffix(".csv") || MonitoringLog.looksLikeCSV(text) {
                let entries = try MonitoringLog.readCSV(text, file: file.displayName, into: collector)
                return .read(kind: "monitoring log (CSV)", items: entries)
            }
            if lowerName.hasSuffix(".yaml") || lowerName.hasSuffix(".yml") || text.contains("schema: formulary-patient/1") {
                return try readProfile(text, file: file, into: collector)
            }
            return .refused(reason: "\(reason); not FHIR JSON or XML, a monitoring log (CSV, JSON) or a patient profile (YAML)")
        }
    }

    private func readProfile(_ text: String, file: FHIRResourceStream.File, into collector: RecordCollector) throws -> RecordFile.Status {
        let profile = try PatientLoader.load(text: text, file: file.displayName, reference: reference)
        collector.profiles.append((profile, file.displayName))
        let facts = profile.claims.count + profile.trials.count + profile.procedures.count + profile.scores.count + profile.diagnoses.count
            + profile.conditions.count + profile.medications.count
        collector.factsByFile[file.displayName, default: 0] += facts
        // Its plans, flags and requests count as items too: they are what a profile adds to records.
        let flags = PatientFlags.Name.allCases.filter { profile.flags.value($0) != nil }.count + (profile.flags.prescriberSpecialty == nil ? 0 : 1)
        return .read(kind: "patient profile", items: facts + profile.plans.count + profile.requests.count + flags)
    }

    /// A JSON value in the profile format (`schema: formulary-patient/1`, or a profile's keys without `resourceType`).
    static func isProfile(_ value: JSONValue) -> Bool {
        if value["schema"]?.stringValue == "formulary-patient/1" { return true }
        guard case .object(let members) = value, value["resourceType"] == nil else { return false }
        let keys: Set<String> = ["claims", "trials", "history", "current", "diagnoses", "patient", "plans", "plan", "scores", "procedures"]
        return members.contains { keys.contains($0.key) }
    }

    // MARK: Detection

    /// True when `path` holds patient records rather than one profile: a folder or zip, FHIR JSON,
    /// NDJSON or XML, or a monitoring log (CSV, JSON). A YAML or JSON profile is false.
    public static func holdsRecords(path: String) -> Bool {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        if isDirectory.boolValue { return true }
        let name = url.lastPathComponent.lowercased()
        if [".zip", ".ndjson", ".jsonl", ".xml", ".csv"].contains(where: name.hasSuffix) { return true }
        if FHIRResourceStream.recognizes(url) { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64 << 10)) ?? Data()
        let text = String(decoding: head, as: UTF8.self)
        guard let first = text.first(where: { !$0.isWhitespace && $0 != "\u{FEFF}" }) else { return false }
        if first == "<" { return true }
        if first == "[" { return true }
        if first == "{" {
            return text.contains("\"\(MonitoringLog.schema)\"") || (text.contains("\"entries\"") && !text.contains("formulary-patient/1"))
        }
        return MonitoringLog.looksLikeCSV(text)
    }
}
