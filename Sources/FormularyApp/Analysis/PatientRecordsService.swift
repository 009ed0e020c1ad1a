import Foundation
import FormularyCriteria
import FormularyImport
import FormularyRecords
import FormularyStore

/// Patient records in, as every front end runs it: FHIR claims and chart data, score series,
/// monitoring logs and profiles merged into one documented profile (`formulary patient import`),
/// with NDCs mapped to RxCUIs through the store's RxNorm data when a database is at hand.
public struct PatientRecordsService: Sendable {
    public let reference: DrugReference
    /// The database holding RxNorm's NDC mappings; nil: NDCs stay unmapped (and say so).
    public let store: FormularyStore?

    public init(reference: DrugReference, store: FormularyStore?) {
        self.reference = reference
        self.store = store
    }

    /// Imports `paths` (files, folders, zips) into one profile labelled `label` (nil: a profile
    /// input's id, else `p-` and a hash of the facts).
    public func importRecords(paths: [String], label: String? = nil) throws -> RecordsImport {
        let store = self.store
        let importer = RecordsImporter(reference: reference, ndcLookup: { ndcs in try store?.rxcuis(forNDCs: ndcs) ?? [:] }, label: label)
        return try importer.importRecords(paths.map { URL(fileURLWithPath: $0) })
    }

    /// The profile `paths` import to, as `PatientLoader` reads the YAML `patient import` writes:
    /// the same facts, the same field paths for evidence.
    public func loadProfile(paths: [String], label: String? = nil) throws -> PatientProfile {
        let result = try importForUse(paths: paths, label: label)
        return try PatientLoader.load(text: result.yaml(), file: paths.first ?? "records", reference: reference)
    }

    /// An import for a command that goes on to use the profile (`analyze`, `watch add`): a records
    /// problem is a `DocumentError.invalid` naming the input (exit 65 on the command line), and the
    /// import's warnings are summed up in one line on stderr (counts only, never patient data) with
    /// the command that lists them.
    public func importForUse(paths: [String], label: String? = nil) throws -> RecordsImport {
        let result: RecordsImport
        do {
            result = try importRecords(paths: paths, label: label)
        } catch let error as RecordsError {
            let file = paths.first ?? "records"
            throw DocumentError.invalid(file: file, issues: [DocumentIssue(kind: .invalidValue, file: file, line: nil, fieldPath: "",
                                                                           problem: error.localizedDescription)])
        }
        let skipped = result.skippedCount
        if !result.warnings.isEmpty || skipped > 0 {
            let command = "formulary patient import " + paths.map { Self.shellQuoted($0) }.joined(separator: " ")
            FileHandle.standardError.write(Data(("formulary: patient records imported with \(result.warnings.count) warning\(result.warnings.count == 1 ? "" : "s") "
                + "and \(skipped) fact\(skipped == 1 ? "" : "s") skipped; `\(command)` lists them\n").utf8))
        }
        return result
    }

    /// A patient uploaded as text (a browser form, an API body): a profile in the documented
    /// format is read as is; FHIR records (JSON, NDJSON, XML) or a monitoring log are imported as
    /// `patient import` would. Returns the profile and its YAML text, which is what a watchlist
    /// entry keeps. Records are staged for the read in a private folder (0700, file 0600) on the
    /// memory file system when there is one (`/dev/shm`), and removed before this returns.
    public func profile(uploaded text: String, name: String) throws -> (profile: PatientProfile, text: String) {
        guard let fileExtension = Self.recordsExtension(of: text) else {
            return (try PatientLoader.load(text: text, file: name, reference: reference), text)
        }
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let folder = (base as NSString).appendingPathComponent("formulary-upload-\(UUID().uuidString)")
        try UserFiles.makeFolder(folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = (folder as NSString).appendingPathComponent("\(name).\(fileExtension)")
        try Self.write(text, to: path, replace: false)
        let result: RecordsImport
        do {
            result = try importRecords(paths: [path])
        } catch let error as RecordsError {
            throw Self.uploadProblem(error, name: name, folder: folder)
        } catch let error as ImportError {
            // Malformed JSON or XML: the message names the line and column, and the staged path, which is dropped.
            throw Self.uploadProblem(error, name: name, folder: folder)
        }
        let yaml = result.yaml()
        return (try PatientLoader.load(text: yaml, file: name, reference: reference), yaml)
    }

    private static func uploadProblem(_ error: any Error, name: String, folder: String) -> DocumentError {
        let problem = error.localizedDescription.replacingOccurrences(of: folder + "/", with: "").replacingOccurrences(of: folder, with: name)
        return DocumentError.invalid(file: name, issues: [DocumentIssue(kind: .invalidValue, file: name, line: nil, fieldPath: "", problem: problem)])
    }

    /// True when an uploaded text is read as a profile in the documented format (not records).
    public static func isProfileText(_ text: String) -> Bool { recordsExtension(of: text) == nil }

    /// The file extension an uploaded text is read as when it holds records (XML, NDJSON or JSON
    /// FHIR, a monitoring log), or nil for a profile.
    static func recordsExtension(of text: String) -> String? {
        let trimmed = text.drop { $0.isWhitespace }
        if trimmed.hasPrefix("<") { return "xml" }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            if text.contains("\"resourceType\"") {
                let lines = trimmed.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
                let ndjson = lines.count > 1 && lines.allSatisfy { line in
                    let item = line.trimmingCharacters(in: .whitespaces)
                    return item.hasPrefix("{") && item.hasSuffix("}") && item.contains("\"resourceType\"")
                }
                return ndjson ? "ndjson" : "json"
            }
            return text.contains("formulary-monitoring/1") ? "json" : nil
        }
        let header = Set((trimmed.split(whereSeparator: \.isNewline).first ?? "").lowercased().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) })
        return header.contains("date") && (header.contains("instrument") || header.contains("symptom")) ? "csv" : nil
    }

    /// True when `path` holds patient records (FHIR, a monitoring log, a folder or zip of them)
    /// rather than one profile in the documented format.
    public static func holdsRecords(path: String) -> Bool {
        RecordsImporter.holdsRecords(path: path)
    }

    /// Writes the profile YAML to `path` with mode 0600; refuses to replace a file unless `replace`.
    public static func write(_ text: String, to path: String, replace: Bool) throws {
        if FileManager.default.fileExists(atPath: path) {
            guard replace else { throw PatientRecordsError.wouldOverwrite(path: path) }
            try FileManager.default.removeItem(atPath: path)
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) { try UserFiles.makeFolder(folder) }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    static func shellQuoted(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+:@".contains($0) } ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What writing an imported profile refuses.
public enum PatientRecordsError: Error, Sendable, Equatable {
    /// `--out` names an existing file (a reviewed profile is never replaced silently).
    case wouldOverwrite(path: String)
}

extension PatientRecordsError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .wouldOverwrite(let path):
            return "\(path) already exists (a profile you may have reviewed); choose another --out, or pass --force to replace it"
        }
    }
}
