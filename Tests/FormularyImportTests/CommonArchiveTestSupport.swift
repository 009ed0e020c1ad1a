import Foundation
@testable import FormularyImport
import Testing
import ZIPFoundation

/// Builds zip archives for the archive tests, and edits their bytes to make the damaged,
/// encrypted or lying archives no tool would write.
enum ArchiveFixtures {
    /// One entry to write: its path, bytes, compression and type.
    struct Item {
        var path: String
        var data: Data
        var method: CompressionMethod = .deflate
        var type: Entry.EntryType = .file
    }

    /// Writes a zip holding `items` at `url` and returns `url`.
    @discardableResult
    static func zip(_ items: [Item], at url: URL) throws -> URL {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let archive = try Archive(url: url, accessMode: .create)
        for item in items {
            try archive.addEntry(
                with: item.path, type: item.type, uncompressedSize: Int64(item.data.count), compressionMethod: item.method
            ) { position, size in
                item.data.subdata(in: Int(position) ..< Int(position) + size)
            }
        }
        return url
    }

    /// The offsets of every local header (`PK\3\4`) and central directory record (`PK\1\2`), in order.
    static func headers(in bytes: [UInt8]) -> (local: [Int], central: [Int]) {
        var local: [Int] = []
        var central: [Int] = []
        var index = 0
        while index + 4 <= bytes.count {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B {
                if bytes[index + 2] == 3, bytes[index + 3] == 4 { local.append(index) }
                if bytes[index + 2] == 1, bytes[index + 3] == 2 { central.append(index) }
            }
            index += 1
        }
        return (local, central)
    }

    /// Edits the archive at `url` in place.
    static func patch(_ url: URL, _ body: (inout [UInt8]) throws -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: url))
        try body(&bytes)
        try Data(bytes).write(to: url)
    }

    /// Sets the "encrypted" flag of entry `index` in its local header and central directory record.
    static func markEncrypted(_ url: URL, entry index: Int = 0) throws {
        try patch(url) { bytes in
            let found = headers(in: bytes)
            bytes[found.local[index] + 6] |= 1
            bytes[found.central[index] + 8] |= 1
        }
    }

    /// Makes entry `index` declare `size` uncompressed bytes, whatever it holds.
    static func declareSize(_ url: URL, entry index: Int = 0, as size: UInt32) throws {
        try patch(url) { bytes in
            let found = headers(in: bytes)
            for (offset, field) in [(found.local[index], 22), (found.central[index], 24)] {
                for byte in 0 ..< 4 { bytes[offset + field + byte] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(byte))) }
            }
        }
    }

    /// The size of a file on disk.
    static func size(_ url: URL) throws -> Int64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require((attributes[.size] as? NSNumber)?.int64Value)
    }
}

/// The `badArchive` an operation throws, as (path, reason), or a test failure.
func badArchive(_ body: () throws -> Void) -> (path: String, reason: String)? {
    do {
        try body()
        Issue.record("expected ImportError.badArchive, got success")
    } catch let ImportError.badArchive(path, reason) {
        return (path, reason)
    } catch {
        Issue.record("expected ImportError.badArchive, got \(error)")
    }
    return nil
}

/// The `archiveLimitExceeded` an operation throws, or a test failure.
func archiveLimit(_ body: () throws -> Void)
    -> (archive: String, entry: String, limit: ArchiveLimit, allowed: Int64, reached: Int64, message: String)? {
    do {
        try body()
        Issue.record("expected ImportError.archiveLimitExceeded, got success")
    } catch let error as ImportError {
        if case .archiveLimitExceeded(let archive, let entry, let limit, let allowed, let reached) = error {
            return (archive, entry, limit, allowed, reached, error.localizedDescription)
        }
        Issue.record("expected ImportError.archiveLimitExceeded, got \(error.localizedDescription)")
    } catch {
        Issue.record("expected ImportError.archiveLimitExceeded, got \(error)")
    }
    return nil
}
