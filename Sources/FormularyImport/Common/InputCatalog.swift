import Foundation
import ZIPFoundation

/// The files under a set of import inputs, found before any of them is parsed, so an importer
/// can check that its required tables are there and read them in the order it needs.
///
/// An input is a file, a folder (searched recursively, hidden files skipped) or a zip archive.
/// Zips inside zips are opened too, as the CMS releases need (an outer zip with one inner zip per
/// table): each inner archive is copied to a private temporary folder, which this object owns and
/// removes when it goes away. The caller decides per nested archive whether it is worth opening,
/// so a multi-gigabyte table it ignores is never extracted.
final class InputCatalog {
    /// How deep archives may nest before the input is treated as hostile or broken.
    static let maximumNesting = 4

    /// Every regular file found, in input order (folders sorted by path, archives in entry order).
    private(set) var files: [InputFile] = []
    /// Nested archives the caller chose not to open.
    private(set) var unopenedArchives: [InputFile] = []

    private let shouldOpenNestedArchive: (InputFile) -> Bool
    /// The private folder holding copies of nested archives, once one was needed.
    private(set) var temporaryDirectory: URL?
    private var temporaryCount = 0

    /// Finds the files under `inputs`.
    /// - Parameter shouldOpenNestedArchive: asked for each zip found inside a zip; `false` leaves
    ///   it closed and lists it in `unopenedArchives`.
    /// - Throws: `ImportError.fileNotFound` for a missing path, `.badArchive` for a damaged zip,
    ///   `.unreadable` for a folder that cannot be listed.
    init(inputs: [URL], shouldOpenNestedArchive: @escaping (InputFile) -> Bool = { _ in true }) throws {
        self.shouldOpenNestedArchive = shouldOpenNestedArchive
        do {
            for input in inputs { try add(input) }
        } catch {
            removeTemporaryFiles()
            throw error
        }
    }

    deinit {
        removeTemporaryFiles()
    }

    private func add(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ImportError.fileNotFound(path: url.path)
        }
        if isDirectory.boolValue {
            try addFolder(url)
        } else {
            try addFile(url, displayName: url.lastPathComponent)
        }
    }

    private func addFile(_ url: URL, displayName: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
        let file = InputFile(displayName: displayName, location: .file(url), byteCount: size)
        if file.isZip {
            try addArchive(at: url, displayName: displayName, depth: 1)
        } else {
            files.append(file)
        }
    }

    private func addFolder(_ folder: URL) throws {
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]
        ) else {
            throw ImportError.unreadable(path: folder.path, reason: "the folder cannot be listed")
        }
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var found: [(relative: String, url: URL)] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: Set(keys)).isRegularFile) == true else { continue }
            let components = url.standardizedFileURL.resolvingSymlinksInPath().pathComponents
            let relative = components.starts(with: base)
                ? components.dropFirst(base.count).joined(separator: "/")
                : url.lastPathComponent
            found.append((relative, url))
        }
        for item in found.sorted(by: { $0.relative < $1.relative }) {
            try addFile(item.url, displayName: folder.lastPathComponent + "/" + item.relative)
        }
    }

    private func addArchive(at url: URL, displayName: String, depth: Int) throws {
        guard depth <= Self.maximumNesting else {
            throw ImportError.badArchive(path: displayName, reason: "archives nest more than \(Self.maximumNesting) deep")
        }
        let archive = try ZipArchiveAccess.open(url, displayName: displayName)
        for entry in archive where entry.type == .file {
            let path = entry.path
            guard !Self.isMetadata(path) else { continue }
            let file = InputFile(
                displayName: displayName + "!/" + path,
                location: .archiveEntry(archive: url, path: path),
                byteCount: Int64(clamping: entry.uncompressedSize)
            )
            guard file.isZip else {
                files.append(file)
                continue
            }
            guard shouldOpenNestedArchive(file) else {
                unopenedArchives.append(file)
                continue
            }
            let copy = try extract(entry, of: archive, displayName: file.displayName)
            try addArchive(at: copy, displayName: file.displayName, depth: depth + 1)
        }
    }

    /// Copies a nested archive out to the temporary folder, checking its CRC-32.
    private func extract(_ entry: Entry, of archive: Archive, displayName: String) throws -> URL {
        let folder = try temporaryFolder()
        temporaryCount += 1
        let destination = folder.appendingPathComponent("nested-\(temporaryCount).zip")
        guard FileManager.default.createFile(atPath: destination.path, contents: nil),
              let output = try? FileHandle(forWritingTo: destination) else {
            throw ImportError.unreadable(path: destination.path, reason: "cannot write a temporary copy of \(displayName)")
        }
        defer { try? output.close() }
        var checksum = ZipCRC32()
        var writeError: (any Error)?
        do {
            _ = try archive.extract(entry, bufferSize: InputFile.defaultChunkSize, skipCRC32: true) { data in
                data.withUnsafeBytes { checksum.update($0) }
                do {
                    try output.write(contentsOf: data)
                } catch {
                    writeError = error
                    throw error
                }
            }
        } catch {
            if let writeError {
                throw ImportError.unreadable(path: destination.path, reason: "cannot write a temporary copy of \(displayName): \(writeError.localizedDescription)")
            }
            throw ImportError.badArchive(path: displayName, reason: ZipArchiveAccess.describe(error))
        }
        guard checksum.value == entry.checksum else {
            throw ImportError.badArchive(path: displayName, reason: "CRC-32 mismatch: the entry is damaged")
        }
        return destination
    }

    private func temporaryFolder() throws -> URL {
        if let temporaryDirectory { return temporaryDirectory }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("formulary-import-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ImportError.unreadable(path: folder.path, reason: "cannot create a temporary folder for nested archives: \(error.localizedDescription)")
        }
        temporaryDirectory = folder
        return folder
    }

    private func removeTemporaryFiles() {
        guard let temporaryDirectory else { return }
        try? FileManager.default.removeItem(at: temporaryDirectory)
        self.temporaryDirectory = nil
    }

    /// Entries that are not content: folders' macOS resource forks and hidden files.
    private static func isMetadata(_ path: String) -> Bool {
        if path.hasPrefix("__MACOSX/") { return true }
        let name = path.split(separator: "/").last ?? ""
        return name.hasPrefix(".")
    }
}
