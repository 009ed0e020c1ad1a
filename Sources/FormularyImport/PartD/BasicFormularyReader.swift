import FormularyModel

/// Reads the basic drugs formulary, the formulary itself: one row per formulary and drug with
/// its tier and PA/ST/QL flags. This is the big table (1.1–1.3 M rows), so the per-row path
/// avoids hashing strings: the formulary id of the previous row is compared as a packed integer,
/// and duplicates are found with a bit set per formulary over dense RXCUI numbers.
struct BasicFormularyReader: DelimitedRowConsumer {
    /// What the reader learned about one formulary.
    struct Tally {
        var formulary: Formulary
        /// The entry scope, built once per formulary rather than per row.
        var scope: EntryScope
        /// FORMULARY_VERSION packed, for a cheap per-row consistency check.
        var versionKey: UInt64?
        /// Bit n set when tier code "n" (1…63) occurs.
        var tierMask: UInt64 = 0
        /// Tier codes outside 1…63.
        var otherTiers: Set<String> = []
        var drugs = DenseBitSet()

        /// The tier codes this formulary uses, in numeric order.
        var tierCodes: [String] {
            let small = (1 ..< 64).filter { tierMask & (UInt64(1) << UInt64($0)) != 0 }.map(String.init)
            let large = otherTiers.sorted { ($0.count, $0) < ($1.count, $1) }
            return small + large
        }
    }

    private struct Columns {
        var formularyID = 0, version = 0, contractYear = 0, rxcui = 0, ndc = 0, tier = 0
        var quantityLimit = 0, quantityAmount = 0, quantityDays = 0, priorAuthorization = 0, stepTherapy = 0
        var selectedDrug: Int?
    }

    private let sink: any ImportSink
    private var columns = Columns()
    /// Formularies in the order first seen.
    private(set) var tallies: [Tally] = []
    private var tallyIndex: [UInt64: Int] = [:]
    private var lastFormularyKey: UInt64 = .max
    private var lastTally = -1
    /// Dense numbers for RXCUIs, keyed by the packed digits.
    private var drugNumbers: [UInt64: Int] = [:]
    /// CONTRACT_YEAR, which every row must share.
    private(set) var contractYear: Int?
    private var contractYearKey: UInt64 = 0

    init(sink: any ImportSink) {
        self.sink = sink
    }

    mutating func bind(_ header: inout ColumnBinder) {
        columns.formularyID = header.require("FORMULARY_ID")
        columns.version = header.require("FORMULARY_VERSION")
        columns.contractYear = header.require("CONTRACT_YEAR")
        columns.rxcui = header.require("RXCUI")
        columns.ndc = header.require("NDC")
        columns.tier = header.require("TIER_LEVEL_VALUE")
        columns.quantityLimit = header.require("QUANTITY_LIMIT_YN")
        columns.quantityAmount = header.require("QUANTITY_LIMIT_AMOUNT")
        columns.quantityDays = header.require("QUANTITY_LIMIT_DAYS")
        columns.priorAuthorization = header.require("PRIOR_AUTHORIZATION_YN", aliases: ["PRIOR_AUTH_YN"])
        columns.stepTherapy = header.require("STEP_THERAPY_YN")
        // Added for the IRA negotiated drugs; older layouts have 11 columns.
        columns.selectedDrug = header.optional("SELECTED_DRUG_YN")
    }

    mutating func consume(_ row: DelimitedRow) throws {
        // Validate every field before touching state or the sink: a bad row leaves no trace.
        let idBytes = row.bytes(columns.formularyID)
        guard idBytes.count == 8, FieldBytes.isDigits(idBytes), let formularyKey = FieldBytes.packedKey(idBytes) else {
            throw row.problem(columns.formularyID, expected: "an 8-digit formulary id with leading zeros, such as 00026408")
        }
        let year = try contractYear(of: row)
        let rxcuiBytes = row.bytes(columns.rxcui)
        guard rxcuiBytes.count <= 8, FieldBytes.isDigits(rxcuiBytes), let rxcuiKey = FieldBytes.packedKey(rxcuiBytes) else {
            throw row.problem(columns.rxcui, expected: "an RxCUI of 1 to 8 digits")
        }
        let ndc = try row.optionalNDC(columns.ndc)
        let tierCode = try row.positiveIntegerCode(columns.tier, expected: "a tier: a positive whole number such as 1 or 5")
        let quantityLimit = try row.quantityLimit(
            flag: columns.quantityLimit, amount: columns.quantityAmount, days: columns.quantityDays
        )
        let priorAuthorization = try row.flag(columns.priorAuthorization)
        let stepTherapy = try row.flag(columns.stepTherapy)
        let selectedDrug = try columns.selectedDrug.flatMap { try row.flag($0) }
        let versionBytes = FieldBytes.trimmed(row.bytes(columns.version))
        let versionKey = FieldBytes.isNull(versionBytes) ? 0 : FieldBytes.packedKey(versionBytes)

        let existing = formularyKey == lastFormularyKey ? lastTally : tallyIndex[formularyKey]
        if let existing, versionKey == nil || versionKey != tallies[existing].versionKey {
            let formulary = tallies[existing].formulary
            guard versionKey == nil, tallies[existing].versionKey == nil,
                  formulary.version == row.optionalText(columns.version) else {
                throw row.problem(
                    columns.version,
                    expected: "\(formulary.version ?? "blank"), the version earlier rows give formulary \(formulary.id)"
                )
            }
        }
        let drugNumber = drugNumbers[rxcuiKey] ?? drugNumbers.count
        if let existing, tallies[existing].drugs.contains(drugNumber) {
            throw row.problem(
                columns.rxcui,
                expected: "one row per FORMULARY_ID and RXCUI; formulary \(tallies[existing].formulary.id) already lists this RXCUI on an earlier line"
            )
        }

        // The row is good: record it.
        if contractYear == nil {
            contractYear = year
            contractYearKey = FieldBytes.packedKey(row.bytes(columns.contractYear)) ?? 0
        }
        if drugNumber == drugNumbers.count { drugNumbers[rxcuiKey] = drugNumber }
        let index: Int
        if let existing {
            index = existing
        } else {
            index = try addFormulary(row, key: formularyKey, versionKey: versionKey, year: year)
        }
        lastFormularyKey = formularyKey
        lastTally = index
        _ = tallies[index].drugs.insert(drugNumber)
        if let tierNumber = FieldBytes.wholeNumber(FieldBytes.trimmed(row.bytes(columns.tier))), tierNumber < 64 {
            tallies[index].tierMask |= UInt64(1) << UInt64(tierNumber)
        } else {
            tallies[index].otherTiers.insert(tierCode)
        }
        try sink.add(FormularyEntry(
            scope: tallies[index].scope,
            drug: DrugRef(rxcui: RxCUI(String(decoding: rxcuiBytes, as: UTF8.self)), ndc: ndc),
            tierCode: tierCode,
            status: .covered,
            priorAuthorization: UMFlag(required: priorAuthorization),
            stepTherapy: UMFlag(required: stepTherapy),
            quantityLimit: quantityLimit,
            selectedDrug: selectedDrug,
            sourceLine: row.number
        ))
    }

    /// CONTRACT_YEAR as a number, checked against the year of earlier rows.
    private func contractYear(of row: DelimitedRow) throws -> Int {
        let bytes = row.bytes(columns.contractYear)
        if let contractYear {
            guard FieldBytes.packedKey(bytes) == contractYearKey else {
                throw row.problem(
                    columns.contractYear,
                    expected: "\(contractYear), the contract year of earlier rows (one release holds one contract year)"
                )
            }
            return contractYear
        }
        guard bytes.count == 4, let year = FieldBytes.wholeNumber(bytes), year >= 1990 else {
            throw row.problem(columns.contractYear, expected: "a 4-digit contract year such as 2026")
        }
        return year
    }

    /// Starts a formulary at its first row and tells the sink about it.
    private mutating func addFormulary(_ row: DelimitedRow, key: UInt64, versionKey: UInt64?, year: Int) throws -> Int {
        let id = FormularyID(String(decoding: row.bytes(columns.formularyID), as: UTF8.self))
        let formulary = Formulary(id: id, version: row.optionalText(columns.version), contractYear: year)
        try sink.add(formulary)
        tallies.append(Tally(formulary: formulary, scope: .formulary(id), versionKey: versionKey))
        tallyIndex[key] = tallies.count - 1
        return tallies.count - 1
    }
}
