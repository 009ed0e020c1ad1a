import Foundation
import ZIPFoundation

/// Decides whether a path holds a given kind of file by looking inside: a file itself, or a
/// folder or zip with such a file. Format detection reads content, not names; this bounds the
/// cost: at most 50 candidate files are sniffed, and a folder walk stops after 10,000 entries.
enum ContentSniffer {
    static let maximumSniffed = 50
    static let maximumWalked = 10_000

    /// True when `url`, or a file in it with one of `extensions` (lower case), satisfies `test`.
    static func holds(_ url: URL, extensions: Set<String>, where test: (InputFile) -> Bool) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return false }
        if isDirectory.boolValue { return folder(url, extensions: extensions, where: test) }
        if url.pathExtension.lowercased() == "zip" { return archive(url, extensions: extensions, where: test) }
        return test(InputFile(displayName: url.lastPathComponent, location: .file(url), byteCount: nil))
    }

    private static func folder(_ folder: URL, extensions: Set<String>, where test: (InputFile) -> Bool) -> Bool {
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { return false }
        var walked = 0
        var sniffed = 0
        for case let url as URL in walker {
            walked += 1
            guard walked <= maximumWalked, sniffed < maximumSniffed else { return false }
            guard extensions.contains(url.pathExtension.lowercased()),
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            sniffed += 1
            if test(InputFile(displayName: url.lastPathComponent, location: .file(url), byteCount: nil)) { return true }
        }
        return false
    }

    private static func archive(_ url: URL, extensions: Set<String>, where test: (InputFile) -> Bool) -> Bool {
        guard let archive = try? ZipArchiveAccess.open(url, displayName: url.lastPathComponent) else { return false }
        var sniffed = 0
        for entry in archive where entry.type == .file && extensions.contains((entry.path as NSString).pathExtension.lowercased()) {
            sniffed += 1
            if sniffed > maximumSniffed { return false }
            if test(InputFile(displayName: entry.path, location: .archiveEntry(archive: url, path: entry.path), byteCount: nil)) { return true }
        }
        return false
    }
}
