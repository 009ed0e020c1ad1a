import Foundation
import ZIPFoundation

extension PartDImporter {
    /// True when `url` looks like Part D input: a zip whose entries (or nested zips) are named
    /// like SPUF tables, a folder holding such files or zips, or a table file recognized by its
    /// name or, failing that, by its pipe-delimited header. Cheap: it reads zip directories and
    /// at most the first 64 KiB of one file, never a whole table.
    public static func recognizes(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return false }
        if isDirectory.boolValue { return folderLooksLikePartD(url) }
        if url.pathExtension.lowercased() == "zip" { return archiveLooksLikePartD(url) }
        if isPartDName(url.lastPathComponent) { return true }
        return headerLooksLikePartD(url)
    }

    /// Table names, including the ones the importer skips: a release with only a pricing file
    /// is still Part D, and the import then says which table is missing.
    private static func isPartDName(_ fileName: String) -> Bool {
        switch PartDFileKind.classify(fileName) {
        case .table, .ignoredTable: true
        case .documentation, .unknown: false
        }
    }

    private static func folderLooksLikePartD(_ folder: URL) -> Bool {
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { return false }
        var looked = 0
        for case let url as URL in walker {
            looked += 1
            if looked > 10_000 { return false }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            if isPartDName(url.lastPathComponent) { return true }
            if url.pathExtension.lowercased() == "zip", archiveLooksLikePartD(url) { return true }
        }
        return false
    }

    /// Reads only the archive's central directory: entry names, nested zip names included.
    private static func archiveLooksLikePartD(_ url: URL) -> Bool {
        guard let archive = try? ZipArchiveAccess.open(url, displayName: url.lastPathComponent) else { return false }
        for entry in archive {
            let name = entry.path.split(separator: "/").last.map(String.init) ?? entry.path
            if isPartDName(name) { return true }
        }
        return false
    }

    /// Recognizes a renamed table by its header: pipe-delimited with Part D column names.
    private static func headerLooksLikePartD(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 64 << 10), !data.isEmpty else { return false }
        let firstLine = data.prefix { $0 != 0x0A && $0 != 0x0D }
        guard firstLine.allSatisfy({ $0 < 0x80 }) else { return false }
        let names = Set(String(decoding: firstLine, as: UTF8.self).uppercased().split(separator: "|").map {
            $0.trimmingCharacters(in: .whitespaces)
        })
        guard names.count > 1 else { return false }
        let signatures: [Set<String>] = [
            ["FORMULARY_ID", "RXCUI", "TIER_LEVEL_VALUE"],
            ["CONTRACT_ID", "PLAN_ID", "SEGMENT_ID"],
            ["CONTRACT_ID", "PLAN_ID", "RXCUI"],
        ]
        return signatures.contains { $0.isSubset(of: names) }
    }
}
