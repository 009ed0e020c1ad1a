import Foundation

/// Files a user owns: folders created 0700 and files 0600, whatever the umask.
public enum UserFiles {
    /// Creates `path` and any missing parents with mode 0700 (existing folders are left alone).
    public static func makeFolder(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
    }

    /// Copies the regular files under `source` into `destination` (folders 0700, files 0600),
    /// keeping the relative layout; returns the files written.
    @discardableResult
    public static func copyFolder(from source: String, to destination: String) throws -> [String] {
        try makeFolder(destination)
        let base = URL(fileURLWithPath: source).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey]) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: source])
        }
        var written: [String] = []
        for case let url as URL in enumerator {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.path.count + 1))
            let target = (destination as NSString).appendingPathComponent(relative)
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isDirectoryKey])
            if values.isDirectory == true {
                try makeFolder(target)
            } else if values.isRegularFile == true {
                let data = try Data(contentsOf: url)
                if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                guard FileManager.default.createFile(atPath: target, contents: data, attributes: [.posixPermissions: 0o600]) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
                }
                written.append(target)
            }
        }
        return written.sorted()
    }
}
