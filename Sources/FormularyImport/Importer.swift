import Foundation
import FormularyModel

/// Settings every importer honours.
public struct ImportOptions: Sendable {
    /// How many bad rows an import may skip (writing them to the rejects list) before it fails.
    /// Zero, the default, means any bad row fails the whole import.
    public var maxRejects: Int
    /// The most bytes one input archive, with every archive nested in it, may expand to (the
    /// command line's `--max-expanded-bytes`). `nil`, the default, means
    /// `ArchiveLimits.expansionFactor` (100) times the archive's size on disk, but at least
    /// `ArchiveLimits.minimumExpandedBytes` (64 MiB). Bytes are counted as they are decompressed,
    /// before anything is written or parsed, and the import fails with
    /// `ImportError.archiveLimitExceeded` when they pass the bound.
    public var maxExpandedBytes: Int64?
    /// The most entries one input archive, with every archive nested in it, may hold
    /// (`ArchiveLimits.defaultMaxEntries`, 100,000, by default).
    public var maxArchiveEntries: Int
    /// The deepest archives are opened, the input archive being 1 deep
    /// (`ArchiveLimits.defaultMaxNestingDepth`, 3, by default).
    public var maxArchiveNestingDepth: Int

    public init(
        maxRejects: Int = 0, maxExpandedBytes: Int64? = nil,
        maxArchiveEntries: Int = ArchiveLimits.defaultMaxEntries,
        maxArchiveNestingDepth: Int = ArchiveLimits.defaultMaxNestingDepth
    ) {
        self.maxRejects = maxRejects
        self.maxExpandedBytes = maxExpandedBytes
        self.maxArchiveEntries = maxArchiveEntries
        self.maxArchiveNestingDepth = maxArchiveNestingDepth
    }

    /// The archive bounds these options set, for `InputCatalog`.
    public var archiveLimits: ArchiveLimits {
        ArchiveLimits(maxExpandedBytes: maxExpandedBytes, maxEntries: maxArchiveEntries, maxNestingDepth: maxArchiveNestingDepth)
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
