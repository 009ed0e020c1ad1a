import Crypto
import Foundation

/// The SHA-256 that decides whether a source changed: of a file's bytes, or for a folder, of
/// each regular file's relative path and hash in path order (so a renamed file counts as a change).
enum ContentHash {
    static func of(_ url: URL) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        guard isDirectory.boolValue else { return try file(url) }
        var listing = SHA256()
        let base = url.standardizedFileURL.path
        let files = (FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])?.allObjects as? [URL] ?? [])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .map { ($0.standardizedFileURL.path.dropFirst(base.count + 1), $0) }
            .sorted { $0.0 < $1.0 }
        for (relative, file) in files {
            listing.update(data: Data("\(relative)\u{0}\(try self.file(file))\n".utf8))
        }
        return hex(listing.finalize())
    }

    static func file(_ url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
