import Foundation
import FormularyImport
import FormularyModel
import FormularyStore

/// `formulary import` as every front end runs it: detect the format, stream the inputs into one
/// snapshot under the import policy (content check, the source's name, the shrink guard), and
/// write skipped rows to a rejects file next to the database.
public struct ImportJob {
    public struct Settings: Sendable {
        public var inputs: [URL]
        /// nil: detect from the content.
        public var format: SourceFormat?
        public var sourceName: String?
        public var allowShrink: Bool
        public var options: ImportOptions

        public init(inputs: [URL], format: SourceFormat? = nil, sourceName: String? = nil, allowShrink: Bool = false,
                    options: ImportOptions = .init()) {
            self.inputs = inputs
            self.format = format
            self.sourceName = sourceName
            self.allowShrink = allowShrink
            self.options = options
        }
    }

    public struct Result: Sendable {
        public var imported: FormularyStore.ImportedSnapshot
        public var seconds: Double
        public var rejects: [RejectedRow]
        public var rejectsFile: String?
    }

    public let store: FormularyStore

    public init(store: FormularyStore) {
        self.store = store
    }

    public func run(_ settings: Settings, progress: (any ImportProgressReporting)? = nil) throws -> Result {
        // Leftovers of imports that were killed (SIGKILL leaves no chance to clean up).
        ImportScratch.removeStale()
        let format = try settings.format ?? FormatDetector.detect(settings.inputs)
        let importer = try FormatDetector.importer(for: format, options: settings.options)
        let policy = ImportPolicy(sourceName: settings.sourceName, allowShrink: settings.allowShrink,
                                  inputs: settings.inputs.map { $0.lastPathComponent.isEmpty ? $0.path : $0.lastPathComponent })
        let clock = ContinuousClock()
        let started = clock.now
        var outcome = ImportOutcome()
        let imported = try store.importSnapshot(format: format, policy: policy) { sink in
            outcome = try importer.importFiles(settings.inputs, into: sink, progress: progress)
            return outcome
        }
        let elapsed = clock.now - started
        let rejectsFile = try Self.writeRejects(outcome.rejects, snapshot: imported.snapshot.ref.id, databasePath: store.path)
        return Result(imported: imported, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                      rejects: outcome.rejects, rejectsFile: rejectsFile)
    }

    /// Writes skipped rows as tab-separated `file, line, reason, raw` (mode 0600); returns the path.
    static func writeRejects(_ rejects: [RejectedRow], snapshot: Int64, databasePath: String) throws -> String? {
        guard !rejects.isEmpty else { return nil }
        let path = databasePath + ".rejects-\(snapshot).tsv"
        var text = "file\tline\treason\traw\n"
        for reject in rejects {
            let fields = [reject.file, String(reject.line), reject.reason, reject.raw]
            text += fields.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\t") + "\n"
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return path
    }
}
