import Foundation

/// One file found under the import inputs: a file on disk or an entry of a zip archive
/// (possibly inside another zip), with the name people see in messages and provenance.
struct InputFile: Hashable, Sendable {
    /// Where the bytes live.
    enum Location: Hashable, Sendable {
        /// A plain file on disk.
        case file(URL)
        /// An entry of the zip archive at `archive` (a temporary copy when the archive was itself nested).
        case archiveEntry(archive: URL, path: String)
    }

    /// The path people recognize: `SPUF_2026.zip!/basic drugs formulary file  PPUF_2026Q1.zip!/basic drugs formulary file  PPUF_2026Q1.txt`.
    var displayName: String
    var location: Location
    /// The uncompressed size when known in advance, for progress.
    var byteCount: Int64?
    /// For an archive entry, the account of the input archive it came from: streaming the entry
    /// charges it as bytes are decompressed. Not part of the file's identity (equality, hashing).
    var expansion: ArchiveExpansionBudget?

    init(displayName: String, location: Location, byteCount: Int64?, expansion: ArchiveExpansionBudget? = nil) {
        self.displayName = displayName
        self.location = location
        self.byteCount = byteCount
        self.expansion = expansion
    }

    static func == (lhs: InputFile, rhs: InputFile) -> Bool {
        lhs.displayName == rhs.displayName && lhs.location == rhs.location && lhs.byteCount == rhs.byteCount
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(displayName)
        hasher.combine(location)
        hasher.combine(byteCount)
    }

    /// The last path component, which is what table names are matched against.
    var fileName: String {
        let path: String
        switch location {
        case .file(let url): path = url.lastPathComponent
        case .archiveEntry(_, let entryPath): path = entryPath
        }
        return path.split(separator: "/").last.map(String.init) ?? path
    }

    /// True when the name ends in `.zip`, whatever the case.
    var isZip: Bool { fileName.lowercased().hasSuffix(".zip") }
}
