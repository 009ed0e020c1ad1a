import Foundation
import ZIPFoundation

extension InputFile {
    /// The chunk size for streaming: large enough that per-chunk overhead vanishes, small enough
    /// to stay in cache and keep memory flat.
    static let defaultChunkSize = 1 << 20

    /// Streams the file's bytes to `body` in chunks and returns their SHA-256 and size.
    ///
    /// Errors thrown by `body` come back unchanged. Read failures become `ImportError.unreadable`,
    /// and a damaged archive (bad entry, CRC mismatch, short data) becomes `ImportError.badArchive`.
    func stream(chunkSize: Int = InputFile.defaultChunkSize, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> ContentDigest {
        var hasher = ContentDigest.Hasher()
        switch location {
        case .file(let url):
            try Self.streamFile(at: url, displayName: displayName, chunkSize: chunkSize) { chunk in
                hasher.update(chunk)
                try body(chunk)
            }
        case .archiveEntry(let archiveURL, let path):
            try Self.streamEntry(path, of: archiveURL, displayName: displayName, expansion: expansion, chunkSize: chunkSize) { chunk in
                hasher.update(chunk)
                try body(chunk)
            }
        }
        return hasher.finalize()
    }

    /// Reads a disk file with `read(2)` into one reused buffer.
    private static func streamFile(
        at url: URL, displayName: String, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { throw ImportError.fileNotFound(path: url.path) }
            throw ImportError.unreadable(path: displayName, reason: String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, chunkSize)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw ImportError.unreadable(path: displayName, reason: String(cString: strerror(code)))
            }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0 ..< count]))
        }
    }

    /// Decompresses one zip entry chunk by chunk and checks its CRC-32 and size at the end.
    /// Each chunk is charged to `expansion` before `body` sees it, so an entry that inflates past
    /// its archive's bound stops there (`ImportError.archiveLimitExceeded`), whatever its header says.
    private static func streamEntry(
        _ path: String, of archiveURL: URL, displayName: String, expansion: ArchiveExpansionBudget?, chunkSize: Int,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let archive = try ZipArchiveAccess.open(archiveURL, displayName: displayName)
        guard let entry = archive[path] else {
            throw ImportError.badArchive(path: displayName, reason: "the archive has no entry named \(path)")
        }
        // Errors from `body` are parked here so they are not mistaken for archive damage.
        var bodyError: (any Error)?
        var produced: UInt64 = 0
        var checksum = ZipCRC32()
        do {
            // ZIPFoundation's own CRC-32 is slow on Linux; `ZipCRC32` checks the same bytes faster.
            _ = try archive.extract(entry, bufferSize: chunkSize, skipCRC32: true) { data in
                produced += UInt64(data.count)
                do {
                    try expansion?.charge(displayName, produced: Int64(clamping: produced))
                    try data.withUnsafeBytes { chunk in
                        checksum.update(chunk)
                        try body(chunk)
                    }
                } catch {
                    bodyError = error
                    throw error
                }
            }
        } catch {
            if let bodyError { throw bodyError }
            throw ImportError.badArchive(path: displayName, reason: ZipArchiveAccess.describe(error))
        }
        guard produced == entry.uncompressedSize else {
            throw ImportError.badArchive(
                path: displayName,
                reason: "entry holds \(produced) bytes, its header says \(entry.uncompressedSize): the archive is truncated or damaged"
            )
        }
        guard checksum.value == entry.checksum else {
            throw ImportError.badArchive(path: displayName, reason: "CRC-32 mismatch: the entry is damaged")
        }
    }
}
