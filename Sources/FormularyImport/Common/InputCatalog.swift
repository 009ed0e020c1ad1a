import Foundation
import ZIPFoundation

/// The files under a set of import inputs, found before any of them is parsed, so an importer
/// can check that its required tables are there and read them in the order it needs.
///
/// An input is a file, a folder (searched recursively, hidden files skipped) or a zip archive.
/// Zips inside zips are opened too, as the CMS releases need (an outer zip with one inner zip per
/// table): each inner archive is copied to a temporary folder registered with `ImportScratch`,
/// which this object owns and removes when it goes away. The caller decides per nested archive
/// whether it is worth opening, so a multi-gigabyte table it ignores is never extracted.
///
/// Every input archive is held to `ArchiveLimits` (expanded bytes, entries, nesting depth), on an
/// account its entries carry with them (`InputFile.expansion`), and refused, naming the entry,
/// when an entry is encrypted, a symbolic link, listed twice, or named to escape its folder.
final class InputCatalog {
    /// Every regular file found, in input order (folders sorted by path, archives in entry order).
    private(set) var files: [InputFile] = []
    /// Nested archives the caller chose not to open.
    private(set) var unopenedArchives: [InputFile] = []

    private let shouldOpenNestedArchive: (InputFile) -> Bool
    private let limits: ArchiveLimits
    private let scratch: ScratchRegistry
    /// The private folder holding copies of nested archives, once one was needed.
    private(set) var temporaryDirectory: URL?

    /// Finds the files under `inputs`.
    /// - Parameters:
    ///   - limits: the bounds every input archive is held to.
    ///   - scratch: where copies of nested archives go (`ImportScratch.shared` but in tests).
    ///   - shouldOpenNestedArchive: asked for each zip found inside a zip; `false` leaves
    ///     it closed and lists it in `unopenedArchives`.
    /// - Throws: `ImportError.fileNotFound` for a missing path, `.badArchive` for a damaged or
    ///   refused zip, `.archiveLimitExceeded` for a zip past its limits, `.unreadable` for a
    ///   folder that cannot be listed.
    init(
        inputs: [URL], limits: ArchiveLimits = ArchiveLimits(), scratch: ScratchRegistry = ImportScratch.shared,
        shouldOpenNestedArchive: @escaping (InputFile) -> Bool = { _ in true }
    ) throws {
        self.shouldOpenNestedArchive = shouldOpenNestedArchive
        self.limits = limits
        self.scratch = scratch
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
            let budget = ArchiveExpansionBudget(archive: displayName, archiveBytes: size ?? 0, limits: limits)
            try addArchive(at: url, displayName: displayName, depth: 1, budget: budget)
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

    private func addArchive(at url: URL, displayName: String, depth: Int, budget: ArchiveExpansionBudget) throws {
        try budget.checkNesting(displayName, depth: depth)
        let archive = try ZipArchiveAccess.open(url, displayName: displayName)
        let entries = try ZipArchiveAccess.checkedEntries(of: archive, at: url, displayName: displayName, budget: budget)
        for entry in entries where entry.type == .file {
            let path = entry.path
            guard !Self.isMetadata(path) else { continue }
            let file = InputFile(
                displayName: displayName + "!/" + path,
                location: .archiveEntry(archive: url, path: path),
                byteCount: Int64(clamping: entry.uncompressedSize),
                expansion: budget
            )
            guard file.isZip else {
                files.append(file)
                continue
            }
            guard shouldOpenNestedArchive(file) else {
                unopenedArchives.append(file)
                continue
            }
            try budget.checkNesting(file.displayName, depth: depth + 1)
            let copy = try extract(entry, of: archive, displayName: file.displayName, budget: budget)
            try addArchive(at: copy, displayName: file.displayName, depth: depth + 1, budget: budget)
        }
    }

    /// Copies a nested archive out to the temporary folder, checking its CRC-32. Every chunk is
    /// charged to `budget` before it is written, so the copy stops at the archive's bound.
    private func extract(_ entry: Entry, of archive: Archive, displayName: String, budget: ArchiveExpansionBudget) throws -> URL {
        try budget.checkDeclaredSize(displayName, declared: entry.uncompressedSize)
        let folder = try temporaryFolder()
        let destination = try scratch.makeFile(named: "nested", suffix: ".zip", in: folder)
        guard let output = try? FileHandle(forWritingTo: destination) else {
            throw ImportError.unreadable(path: destination.path, reason: "cannot write a temporary copy of \(displayName)")
        }
        defer { try? output.close() }
        var checksum = ZipCRC32()
        var produced: Int64 = 0
        // Errors raised inside the copy (the limit, a failed write) are parked here so they are
        // not mistaken for archive damage.
        var copyError: (any Error)?
        do {
            _ = try archive.extract(entry, bufferSize: InputFile.defaultChunkSize, skipCRC32: true) { data in
                do {
                    produced += Int64(data.count)
                    try budget.charge(displayName, produced: produced)
                    data.withUnsafeBytes { checksum.update($0) }
                    do {
                        try output.write(contentsOf: data)
                    } catch {
                        throw ImportError.unreadable(
                            path: destination.path,
                            reason: "cannot write a temporary copy of \(displayName): \(error.localizedDescription)")
                    }
                } catch {
                    copyError = error
                    throw error
                }
            }
        } catch {
            if let copyError { throw copyError }
            throw ImportError.badArchive(path: displayName, reason: ZipArchiveAccess.describe(error))
        }
        guard checksum.value == entry.checksum else {
            throw ImportError.badArchive(path: displayName, reason: "CRC-32 mismatch: the entry is damaged")
        }
        return destination
    }

    private func temporaryFolder() throws -> URL {
        if let temporaryDirectory { return temporaryDirectory }
        let folder = try scratch.makeFolder(named: "nested-archives")
        temporaryDirectory = folder
        return folder
    }

    private func removeTemporaryFiles() {
        guard let temporaryDirectory else { return }
        scratch.remove(temporaryDirectory)
        self.temporaryDirectory = nil
    }

    /// Entries that are not content: folders' macOS resource forks and hidden files.
    private static func isMetadata(_ path: String) -> Bool {
        if path.hasPrefix("__MACOSX/") { return true }
        let name = path.split(separator: "/").last ?? ""
        return name.hasPrefix(".")
    }
}
