/// What a file (or a nested archive) in a Part D release is, judged from its name.
///
/// CMS names inner files like `basic drugs formulary file  PPUF_2026Q1.txt`, with double
/// spaces, mixed case and a date or quarter suffix that changes every release, so names are
/// matched with case-insensitive patterns on the table name (spaces or underscores between
/// words), never as exact strings.
enum PartDFileKind: Hashable, Sendable {
    /// A table the importer reads.
    case table(PartDTable)
    /// A Part D table the importer deliberately skips, named for the warning.
    case ignoredTable(String)
    /// Documentation shipped with the release (record layouts, methodology, agreement).
    case documentation
    /// Not a Part D table the importer knows.
    case unknown

    /// Classifies a file name (the last path component).
    static func classify(_ fileName: String) -> PartDFileKind {
        let name = fileName.lowercased()
        if name.hasSuffix(".pdf") || name.hasSuffix(".doc") || name.hasSuffix(".docx") {
            return .documentation
        }
        // Insulin first: its name also contains "beneficiary cost".
        if name.contains(/insulin[\s_]+beneficiary[\s_]+cost/.ignoresCase()) { return .table(.insulinCost) }
        if name.contains(/beneficiary[\s_]+cost/.ignoresCase()) { return .table(.beneficiaryCost) }
        if name.contains(/basic[\s_]+drugs?[\s_]+formulary/.ignoresCase()) { return .table(.basicFormulary) }
        if name.contains(/excluded[\s_]+drugs?[\s_]+formulary/.ignoresCase()) { return .table(.excludedDrugs) }
        if name.contains(/indication[\s_-]*based[\s_]+coverage/.ignoresCase()) { return .table(.indicationCoverage) }
        if name.contains(/plan[\s_]+information/.ignoresCase()) { return .table(.planInformation) }
        if name.contains(/geographic[\s_]+locator/.ignoresCase()) { return .ignoredTable("geographic locator") }
        if name.contains(/pharmacy[\s_]+networks?/.ignoresCase()) { return .ignoredTable("pharmacy networks") }
        if name.contains(/pricing/.ignoresCase()) { return .ignoredTable("pricing") }
        return .unknown
    }

    /// True for nested archives worth extracting: skipping the ignored tables avoids copying
    /// gigabytes (pharmacy networks is 23 GB unpacked) to a temporary folder.
    static func shouldOpenArchive(named fileName: String) -> Bool {
        switch classify(fileName) {
        case .table, .unknown: true
        case .ignoredTable, .documentation: false
        }
    }
}
