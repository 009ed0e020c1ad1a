import Foundation
import ZIPFoundation

extension QHPImporter {
    /// True when `url` holds CMS QHP JSON, judged by content: a file that sniffs as plans.json,
    /// drugs.json or cms-data-index.json; a folder or zip with such a `.json` file. Cheap: it
    /// reads only the first element of at most 50 files, never a whole drugs.json.
    public static func recognizes(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return false }
        if isDirectory.boolValue { return folderHoldsQHP(url) }
        if url.pathExtension.lowercased() == "zip" { return archiveHoldsQHP(url) }
        return isQHP(InputFile(displayName: url.lastPathComponent, location: .file(url), byteCount: nil))
    }

    private static func isQHP(_ file: InputFile) -> Bool {
        switch QHPFileKind.sniff(file) {
        case .plans, .drugs, .index: true
        case .providers, .unknown: false
        }
    }

    private static func folderHoldsQHP(_ folder: URL) -> Bool {
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { return false }
        var looked = 0
        var sniffed = 0
        for case let url as URL in walker {
            looked += 1
            guard looked <= 10_000, sniffed < 50 else { return false }
            guard url.pathExtension.lowercased() == "json",
                (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
            else { continue }
            sniffed += 1
            if isQHP(InputFile(displayName: url.lastPathComponent, location: .file(url), byteCount: nil)) { return true }
        }
        return false
    }

    private static func archiveHoldsQHP(_ url: URL) -> Bool {
        guard let archive = try? ZipArchiveAccess.open(url, displayName: url.lastPathComponent) else { return false }
        var sniffed = 0
        for entry in archive where entry.type == .file && entry.path.lowercased().hasSuffix(".json") {
            sniffed += 1
            if sniffed > 50 { return false }
            let file = InputFile(displayName: entry.path, location: .archiveEntry(archive: url, path: entry.path), byteCount: nil)
            if isQHP(file) { return true }
        }
        return false
    }
}
