import Foundation
import ZIPFoundation

extension RxNormImporter {
    /// True when `url` is an RxNorm release: a folder or zip holding `RXNCONSO.RRF` (at its top,
    /// under `rrf/`, or one folder further down, as when a release folder is zipped whole), a
    /// folder holding such a zip, or an RRF file the importer reads given directly
    /// (`RXNCONSO.RRF`, `RXNREL.RRF` or `RXNSAT.RRF`, so the three can be named on one command
    /// line). Cheap: it lists a few folders and reads zip central directories, never file content.
    public static func recognizes(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return false }
        if isDirectory.boolValue { return folderHoldsConcepts(url, depth: 0) }
        if url.pathExtension.lowercased() == "zip" { return archiveHoldsConcepts(url) }
        return RRFTable.classify(url.lastPathComponent) != nil
    }

    /// How many folder levels below the input to look for `RXNCONSO.RRF`.
    private static let searchDepth = 2

    private static func folderHoldsConcepts(_ folder: URL, depth: Int) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return false }
        var subfolders: [URL] = []
        for name in names where !name.hasPrefix(".") {
            let item = folder.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: item.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                subfolders.append(item)
            } else if RRFTable.classify(name) == .concepts {
                return true
            } else if name.lowercased().hasSuffix(".zip"), archiveHoldsConcepts(item) {
                return true
            }
        }
        guard depth < searchDepth, subfolders.count <= 64 else { return false }
        return subfolders.contains { folderHoldsConcepts($0, depth: depth + 1) }
    }

    /// Reads only the archive's central directory.
    private static func archiveHoldsConcepts(_ url: URL) -> Bool {
        guard let archive = try? ZipArchiveAccess.open(url, displayName: url.lastPathComponent) else { return false }
        for entry in archive where entry.type == .file {
            let components = entry.path.split(separator: "/")
            guard components.count <= searchDepth + 1, let name = components.last else { continue }
            if RRFTable.classify(String(name)) == .concepts { return true }
        }
        return false
    }
}
