import Foundation
import FormularyModel

/// Settings every importer honours.
public struct ImportOptions: Sendable {
    /// How many bad rows an import may skip (writing them to the rejects list) before it fails.
    /// Zero, the default, means any bad row fails the whole import.
    public var maxRejects: Int

    public init(maxRejects: Int = 0) {
        self.maxRejects = maxRejects
    }
}

/// Receives progress while an import streams. Called from the importing thread, at most a few
/// times a second's worth of rows; implementations decide whether to draw anything.
public protocol ImportProgressReporting: AnyObject {
    func importProgress(file: String, bytesRead: Int64, totalBytes: Int64?, rows: Int)
}

/// A reader for one family of formulary files.
public protocol FormularyImporter {
    /// The format this importer reads.
    var format: SourceFormat { get }

    /// Streams every file under `inputs` (files, folders or archives) into `sink`.
    /// On any error the caller discards everything the sink received.
    func importFiles(
        _ inputs: [URL], into sink: any ImportSink, progress: (any ImportProgressReporting)?
    ) throws -> ImportOutcome
}
