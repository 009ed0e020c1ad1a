import Foundation

/// The account of one input archive against its `ArchiveLimits`: entries listed, nesting, and
/// bytes decompressed from it and every archive nested in it.
///
/// Shared by every `InputFile` found in the archive, which charges it while its bytes stream, and
/// by `InputCatalog`, which charges it while it copies out nested archives. Bytes are charged per
/// entry at the most any one read of that entry has produced, so reading a file twice (a sniff,
/// then the import) does not count it twice, while a read that goes further than an earlier one
/// pays for the difference as it goes.
///
/// `@unchecked Sendable` is safe because every mutable property is read and written only while
/// holding `lock`; files may stream on helper threads (`InputFileByteSource`).
final class ArchiveExpansionBudget: @unchecked Sendable {
    /// The input archive as messages name it.
    let archive: String
    /// The input archive's size on disk.
    let archiveBytes: Int64
    let limits: ArchiveLimits
    /// The bound on expanded bytes for this archive.
    let byteLimit: Int64

    private let lock = NSLock()
    private var expanded: Int64 = 0
    private var entries = 0
    /// The most bytes any read of an entry (by display name) has produced so far.
    private var highWater: [String: Int64] = [:]

    init(archive: String, archiveBytes: Int64, limits: ArchiveLimits) {
        self.archive = archive
        self.archiveBytes = archiveBytes
        self.limits = limits
        byteLimit = limits.expandedByteLimit(archiveBytes: archiveBytes)
    }

    /// Bytes decompressed so far, counting each entry once.
    var expandedBytes: Int64 { lock.withLock { expanded } }

    private var byteLimitKind: ArchiveLimit {
        .expandedBytes(archiveBytes: archiveBytes, isDefault: limits.maxExpandedBytes == nil)
    }

    /// Counts one more entry, before anything is done with it.
    func countEntry(_ entry: String) throws {
        let count = lock.withLock {
            entries += 1
            return entries
        }
        guard count <= limits.maxEntries else {
            throw ImportError.archiveLimitExceeded(
                archive: archive, entry: entry, limit: .entries, allowed: Int64(limits.maxEntries), reached: Int64(count))
        }
    }

    /// Refuses to open an archive nested `depth` deep (the input archive is 1).
    func checkNesting(_ entry: String, depth: Int) throws {
        guard depth <= limits.maxNestingDepth else {
            throw ImportError.archiveLimitExceeded(
                archive: archive, entry: entry, limit: .nestingDepth, allowed: Int64(limits.maxNestingDepth), reached: Int64(depth))
        }
    }

    /// Refuses an entry whose header already says it would pass the bound, before reading it.
    func checkDeclaredSize(_ entry: String, declared: UInt64) throws {
        let reached: Int64 = lock.withLock {
            let already = highWater[entry] ?? 0
            let declared = Int64(clamping: declared)
            let more = max(0, declared - already)
            let (sum, overflow) = expanded.addingReportingOverflow(more)
            return overflow ? Int64.max : sum
        }
        guard reached <= byteLimit else {
            throw ImportError.archiveLimitExceeded(archive: archive, entry: entry, limit: byteLimitKind, allowed: byteLimit, reached: reached)
        }
    }

    /// Records that the current read of `entry` has produced `produced` bytes in all, and throws
    /// once the archive's total passes the bound. Call before the bytes are written or parsed.
    func charge(_ entry: String, produced: Int64) throws {
        let reached: Int64? = lock.withLock {
            let already = highWater[entry] ?? 0
            guard produced > already else { return nil }
            highWater[entry] = produced
            expanded += produced - already
            return expanded
        }
        if let reached, reached > byteLimit {
            throw ImportError.archiveLimitExceeded(archive: archive, entry: entry, limit: byteLimitKind, allowed: byteLimit, reached: reached)
        }
    }
}
