/// The bounds on what one archive input may expand to, so a small hostile or broken zip cannot
/// fill the disk or the memory: a 1.1 MB archive once made the importer write 1.14 GB of nested
/// copies before it failed.
///
/// Each archive given as an input (a `.zip` file, or one found in an input folder) has its own
/// account, shared with every archive nested in it. Bytes are counted as they are decompressed,
/// before they are written or parsed, and reading stops at the bound: the sizes an archive's
/// headers declare are checked too (so a nested archive that says it is too large is never
/// copied) but never trusted alone. A file read twice (a format sniff, then the import) counts
/// once, at the most bytes any one read produced.
public struct ArchiveLimits: Hashable, Sendable {
    /// The default bound on expanded bytes is this multiple of the archive's own size. Real
    /// formulary tables deflate 10–25×; 100× leaves room for the most repetitive of them, while a
    /// deflate bomb (which reaches ~1,000×) stops early.
    public static let expansionFactor: Int64 = 100
    /// …and never less than 64 MiB, so small archives of legitimate, highly compressible files
    /// (a test fixture, a one-plan FHIR export) are never refused.
    public static let minimumExpandedBytes: Int64 = 64 << 20
    /// The default bound on entries, counting those of nested archives: a CMS Part D release has
    /// about 10 and an RxNorm release about 60, and a FHIR export zip may hold a file per
    /// resource; a million-entry directory only costs memory and time.
    public static let defaultMaxEntries = 100_000
    /// The default bound on nesting: the input archive is 1 deep, a zip in it 2 (a CMS release:
    /// an outer zip of one zip per table), a zip in that 3.
    public static let defaultMaxNestingDepth = 3

    /// The most bytes an archive and everything nested in it may expand to; `nil` for the default,
    /// `expansionFactor` × the archive's size but at least `minimumExpandedBytes`.
    public var maxExpandedBytes: Int64?
    /// The most entries an archive and everything nested in it may hold.
    public var maxEntries: Int
    /// The deepest an archive may be nested (the input archive is 1).
    public var maxNestingDepth: Int

    public init(
        maxExpandedBytes: Int64? = nil, maxEntries: Int = ArchiveLimits.defaultMaxEntries,
        maxNestingDepth: Int = ArchiveLimits.defaultMaxNestingDepth
    ) {
        self.maxExpandedBytes = maxExpandedBytes
        self.maxEntries = maxEntries
        self.maxNestingDepth = maxNestingDepth
    }

    /// The bound on expanded bytes for an archive of `archiveBytes` bytes.
    public func expandedByteLimit(archiveBytes: Int64) -> Int64 {
        if let maxExpandedBytes { return max(0, maxExpandedBytes) }
        let (scaled, overflow) = max(0, archiveBytes).multipliedReportingOverflow(by: Self.expansionFactor)
        return overflow ? Int64.max : max(Self.minimumExpandedBytes, scaled)
    }
}
