/// The RxNorm release files this importer reads, with the layout of each.
///
/// RRF files have no header, so columns are known only by position. The positions here follow
/// NLM's load layout (as in OHDSI's `RXNCONSO.ctl`, `RXNREL.ctl` and `RXNSAT.ctl`); they are
/// written out as constants rather than looked up, because a header-driven reader would have
/// nothing to look them up in.
enum RRFTable: String, CaseIterable, Hashable, Sendable {
    /// `RXNCONSO.RRF`: one row per atom (name) of a concept.
    case concepts = "RXNCONSO"
    /// `RXNREL.RRF`: relations between concepts, each direction a row of its own.
    case relations = "RXNREL"
    /// `RXNSAT.RRF`: attributes of concepts and atoms, NDCs among them.
    case attributes = "RXNSAT"

    /// The file name in a release (`rrf/RXNCONSO.RRF`).
    var fileName: String { rawValue + ".RRF" }

    /// The role recorded with the file in provenance.
    var role: String {
        switch self {
        case .concepts: "RxNorm concepts (RXNCONSO)"
        case .relations: "RxNorm relations (RXNREL)"
        case .attributes: "RxNorm attributes (RXNSAT)"
        }
    }

    /// The column names in file order, for messages.
    var columnNames: [String] {
        switch self {
        case .concepts:
            ["RXCUI", "LAT", "TS", "LUI", "STT", "SUI", "ISPREF", "RXAUI", "SAUI", "SCUI", "SDUI", "SAB", "TTY", "CODE",
             "STR", "SRL", "SUPPRESS", "CVF"]
        case .relations:
            // File order is …SL|RG|DIR…; OHDSI's DDL lists SL, DIR, RG, which is why nothing here trusts a DDL.
            ["RXCUI1", "RXAUI1", "STYPE1", "REL", "RXCUI2", "RXAUI2", "STYPE2", "RELA", "RUI", "SRUI", "SAB", "SL", "RG",
             "DIR", "SUPPRESS", "CVF"]
        case .attributes:
            ["RXCUI", "LUI", "SUI", "RXAUI", "STYPE", "CODE", "ATUI", "SATUI", "ATN", "SAB", "ATV", "SUPPRESS", "CVF"]
        }
    }

    /// Fields a line splits into: the columns plus the empty one after the trailing `|` every
    /// RRF line ends with.
    var fieldCount: Int { columnNames.count + 1 }

    /// The order tables are read in, whatever order the inputs list them: concepts first, since
    /// relations are kept only between known concepts, and attributes last, since an NDC is
    /// kept only for a concept the import emits.
    static let readingOrder: [RRFTable] = [.concepts, .relations, .attributes]

    /// The table a file name stands for, matched case-insensitively (`rxnconso.rrf` from a
    /// case-folding file system reads the same).
    static func classify(_ fileName: String) -> RRFTable? {
        let upper = fileName.uppercased()
        return allCases.first { $0.fileName == upper }
    }

    /// Column positions in `RXNCONSO.RRF`.
    enum Concepts {
        static let rxcui = 0
        static let sab = 11
        static let tty = 12
        static let str = 14
        static let suppress = 16
    }

    /// Column positions in `RXNREL.RRF`. The relation reads "RXCUI2 has RELA to RXCUI1".
    enum Relations {
        static let rxcui1 = 0
        static let rxcui2 = 4
        static let rela = 7
        static let sab = 10
    }

    /// Column positions in `RXNSAT.RRF`.
    enum Attributes {
        static let rxcui = 0
        static let atn = 8
        static let sab = 9
        static let atv = 10
        static let suppress = 11
    }
}
