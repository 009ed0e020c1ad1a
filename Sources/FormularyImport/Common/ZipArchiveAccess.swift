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
