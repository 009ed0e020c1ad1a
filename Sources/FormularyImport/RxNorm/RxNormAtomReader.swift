/// Reads `RXNCONSO.RRF` into the concept table: RxNorm's own atoms (`SAB` = `RXNORM`) of the
/// kept term types, one concept per RXCUI.
///
/// Suppressed atoms are kept, so old codes in claims and formularies still resolve, but a
/// current atom (`SUPPRESS` = `N`) names the concept whenever there is one. Synonyms (SY, PSN,
/// TMSY) and other sources' atoms are skipped without a look at their content.
struct RxNormAtomReader: RRFRowConsumer {
    private typealias Column = RRFTable.Concepts

    private(set) var table = RxNormConceptTable()
    /// Atoms of kept term types read, including those that did not change the table.
    private(set) var keptAtoms = 0

    mutating func consume(_ row: RRFRow) throws {
        guard row.field(Column.sab, is: RRFRow.rxnormSource) else { return }
        guard let tty = row.code(Column.tty), let termType = RxNormTermType(packed: tty) else { return }
        // Validate before touching the table: a bad row leaves no trace.
        let key = try row.rxcuiKey(Column.rxcui)
        let isCurrent = row.field(Column.suppress, is: RRFRow.notSuppressed)
        let placement = table.placement(of: key, isCurrent: isCurrent)
        let name: String
        switch placement {
        case .ignored:
            // Still check the name, so a damaged row is reported wherever it sits.
            if termType.keepsName { _ = try row.text(Column.str, expected: "the atom's name as UTF-8 text") }
            name = ""
        case .new, .replaces:
            name = termType.keepsName ? try row.text(Column.str, expected: "the atom's name as UTF-8 text") : ""
        }
        keptAtoms += 1
        table.record(RxNormConceptTable.Concept(key: key, termType: termType, name: name, isCurrent: isCurrent), at: placement)
    }
}
