import Foundation
import ZIPFoundation

/// The one place that opens zip archives, so every archive failure reads the same way.
enum ZipArchiveAccess {
    /// Opens an archive for reading, turning ZIPFoundation's failures into `ImportError.badArchive`.
    static func open(_ url: URL, displayName: String) throws -> Archive {
        do {
            return try Archive(url: url, accessMode: .read)
        } catch {
            throw ImportError.badArchive(path: displayName, reason: describe(error))
        }
    }

    /// Every entry of `archive` (opened from `url`), after checking its directory as the file
    /// states it: each record is counted against `budget`, and an archive is refused, naming the
    /// entry, when an entry is encrypted, is a symbolic link, has a name that would escape an
    /// extraction folder (an absolute path, a `..` component), is listed twice, or cannot be read
    /// (ZIPFoundation would otherwise end the listing silently before it).
    static func checkedEntries(
        of archive: Archive, at url: URL, displayName: String, budget: ArchiveExpansionBudget?
    ) throws -> [Entry] {
        var names = Set<String>()
        var records: [String] = []
        let declared: Int
        do {
            declared = try ZipDirectory.forEachRecord(in: url) { _, record in
                try budget?.countEntry(displayName + "!/" + record.name)
                if let refusal = refusal(of: record) {
                    throw ImportError.badArchive(path: displayName, reason: refusal)
                }
                guard names.insert(record.name).inserted || record.isDirectory else {
                    throw ImportError.badArchive(
                        path: displayName,
                        reason: "entry \(RowProblem.quoted(record.name)) is listed more than once, so which copy is meant "
                            + "cannot be told; archives with repeated names are refused")
                }
                records.append(record.name)
            }
        } catch let damaged as ZipDirectory.Damaged {
            throw ImportError.badArchive(path: displayName, reason: damaged.reason)
        }
        let entries = Array(archive)
        guard entries.count == declared else {
            let missing = records.indices.contains(entries.count) ? RowProblem.quoted(records[entries.count]) : "?"
            throw ImportError.badArchive(
                path: displayName,
                reason: "entry \(missing) (\(entries.count + 1) of \(declared)) cannot be read: its local header is missing "
                    + "or damaged (a truncated or damaged archive)")
        }
        return entries
    }

    /// Why an entry makes its archive unsafe or unreadable, naming it; nil when it is fine.
    static func refusal(of record: ZipDirectory.Record) -> String? {
        let name = RowProblem.quoted(record.name)
        if record.isEncrypted {
            return "entry \(name) is encrypted (password-protected); formulary does not read encrypted archives: "
                + "extract it with its password and import the files"
        }
        if record.isSymbolicLink {
            return "entry \(name) is a symbolic link; archives holding links are refused"
        }
        if let escape = record.escape {
            return "entry \(name) has \(escape), which would escape the folder it is extracted to; such archives are refused"
        }
        return nil
    }

    /// Plain words for ZIPFoundation's errors.
    static func describe(_ error: any Error) -> String {
        if let archiveError = error as? Archive.ArchiveError {
            switch archiveError {
            case .missingEndOfCentralDirectoryRecord:
                return "no zip end-of-central-directory record (not a zip file, or truncated)"
            case .unreadableArchive:
                return "the archive is damaged or cannot be read"
            case .invalidCRC32:
                return "CRC-32 mismatch: an entry is damaged"
            case .invalidCompressionMethod:
                return "an entry uses a compression method other than stored or deflate"
            case .invalidEntrySize, .invalidLocalHeaderDataOffset, .invalidLocalHeaderSize,
                 .invalidCentralDirectoryOffset, .invalidCentralDirectorySize, .invalidCentralDirectoryEntryCount:
                return "the archive's directory is inconsistent (\(archiveError))"
            default:
                return "\(archiveError)"
            }
        }
        if let posix = error as? POSIXError {
            return String(cString: strerror(posix.code.rawValue))
        }
        return "the archive is damaged (\(error))"
    }
}
