import FormularyModel

/// Reads one `drugs.json`, one drug element at a time, and emits a `FormularyEntry` per drug-plan
/// entry. This is the file that reaches hundreds of megabytes, so it holds only the drug in hand:
/// its entries are buffered (the `plans` array may come before `rxnorm_id` and `drug_name`) and
/// emitted when its object closes.
///
/// A problem inside one plan entry (a malformed plan id, a number where the tier belongs) costs
/// that entry; a problem with the drug itself (a `drug_name` with a control character, see
/// `NameRules`) costs the drug. Either is charged to the `ProblemLedger`, which fails the import
/// unless `maxRejects` allows skipping it.
struct QHPDrugsReader {
    private(set) var drugCount = 0
    private(set) var entryCount = 0
    /// Entries for plans plans.json does not define.
    private(set) var skippedEntryCount = 0
    private(set) var drugsWithoutRxNorm = 0

    private let fileName: String
    private let sink: any ImportSink
    /// When plans.json was given, entries for other plans are skipped; otherwise every plan counts.
    private let onlyDefinedPlans: Bool
    private var pending: [Pending] = []

    private static let drugKeys = JSONKeySet(["rxnorm_id", "drug_name", "plans"])
    /// `plan_id_type` is not read (the id is checked as a HIOS id whatever its type says), but it is
    /// in every entry, and a key of the set costs the reader's duplicate-key check one bit where
    /// any other key costs a byte copy: on 1.5 M entries that is measurable.
    private static let entryKeys = JSONKeySet([
        "plan_id", "drug_tier", "prior_authorization", "step_therapy", "quantity_limit", "years", "plan_id_type",
    ])
    /// Report progress after this many more bytes.
    private static let progressStep: Int64 = 8 << 20

    /// One plan entry of the drug in hand, held until the drug has been read in full, so a drug
    /// that turns out bad leaves no trace in the counts or the registry.
    private struct Pending {
        var plan: Int
        var tier: Int
        var priorAuthorization: Bool?
        var stepTherapy: Bool?
        var quantityLimit: Bool?
        var year: Int?
        /// Its index in the drug's `plans` array, for messages.
        var index: Int
        var line: Int
    }

    init(fileName: String, sink: any ImportSink, onlyDefinedPlans: Bool) {
        self.fileName = fileName
        self.sink = sink
        self.onlyDefinedPlans = onlyDefinedPlans
        pending.reserveCapacity(1024)
    }

    mutating func read(
        _ reader: JSONReader, registry: inout QHPPlanRegistry, duplicates: inout QHPDuplicateGuard,
        ledger: inout ProblemLedger, progress: (any ImportProgressReporting)?, totalBytes: Int64?
    ) throws {
        try reader.beginArray()
        var element = -1
        var reported: Int64 = 0
        while try reader.nextElement() {
            element += 1
            do {
                try readDrug(reader, element: element, registry: &registry, duplicates: &duplicates, ledger: &ledger)
            } catch is StopReading {
                return
            } catch let error as JSONError {
                guard case .shape = error else { throw error }
                reject(error, ledger: &ledger, raw: "drug at $[\(element)]")
                if ledger.hasFailed { return }
                try reader.recover(toDepth: 1)
            }
            if ledger.hasFailed { return }
            if let progress, reader.bytesConsumed - reported >= Self.progressStep {
                reported = reader.bytesConsumed
                progress.importProgress(file: fileName, bytesRead: reported, totalBytes: totalBytes, rows: entryCount)
            }
        }
        try reader.finish()
        if element < 0 {
            ledger.fileProblem(RowProblem(
                file: fileName, line: 1, field: "$",
                expected: "at least one drug (the drugs.json schema requires minItems 1), found no drugs: an empty array"))
        }
        progress?.importProgress(file: fileName, bytesRead: reader.bytesConsumed, totalBytes: totalBytes, rows: entryCount)
    }

    private func reject(_ error: JSONError, ledger: inout ProblemLedger, raw: String) {
        ledger.reject(error.rowProblem(file: fileName), raw: raw)
    }

    private mutating func readDrug(
        _ reader: JSONReader, element: Int, registry: inout QHPPlanRegistry, duplicates: inout QHPDuplicateGuard,
        ledger: inout ProblemLedger
    ) throws {
        let start = try reader.valuePosition()
        var rxnorm: String?
        var sawRxNorm = false
        var name: String?
        var nameLine = start.line
        var sawPlans = false
        pending.removeAll(keepingCapacity: true)
        try reader.readObject(keys: Self.drugKeys) { key in
            switch key {
            case 0:
                sawRxNorm = true
                rxnorm = try reader.readStringOrNull()
                if let id = rxnorm, !id.isEmpty, !RxCUI.isWellFormed(id) {
                    throw reader.shapeError(expected: "an RxNorm id of 1 to 8 digits, or null", found: RowProblem.quoted(id))
                }
            case 1:
                nameLine = try reader.valuePosition().line
                name = try reader.readString()
            default:
                sawPlans = true
                try reader.beginArray()
                var index = -1
                while try reader.nextElement() {
                    index += 1
                    do {
                        try readEntry(reader, index: index, registry: &registry)
                    } catch let error as JSONError {
                        guard case .shape = error else { throw error }
                        reject(error, ledger: &ledger, raw: "drug plan entry at $[\(element)].plans[\(index)]")
                        if ledger.hasFailed { throw StopReading() }
                        try reader.recover(toDepth: 3)
                    }
                }
            }
        }
        guard sawRxNorm else { throw missing("rxnorm_id", "(null when the drug has none)", in: reader, at: start) }
        guard let name else { throw missing("drug_name", in: reader, at: start) }
        guard sawPlans else { throw missing("plans", in: reader, at: start) }
        if let problem = NameRules.problem(in: name, file: fileName, line: nameLine, field: "$[\(element)].drug_name") {
            ledger.reject(problem, raw: "drug at $[\(element)]")
            return
        }
        drugCount += 1

        let rxcui = rxnorm.flatMap { $0.isEmpty ? nil : RxCUI($0) }
        if rxcui == nil { drugsWithoutRxNorm += 1 }
        let identity = rxcui.map(\.rawValue) ?? "name:" + name
        let drugNumber = duplicates.drug(identity, place: "\(fileName):\(start.line) $[\(element)]")
        let drug = DrugRef(rxcui: rxcui, name: name)
        for entry in pending {
            if onlyDefinedPlans && registry.plans[entry.plan].definition == nil {
                registry.noteSkipped(plan: entry.plan)
                skippedEntryCount += 1
                continue
            }
            guard duplicates.insert(drug: drugNumber, plan: entry.plan) else {
                let planID = registry.plans[entry.plan].id
                let what = rxcui.map { "rxnorm_id \($0.rawValue)" } ?? "drug_name \(RowProblem.quoted(name))"
                ledger.reject(
                    RowProblem(
                        file: fileName, line: entry.line, field: "$[\(element)].plans[\(entry.index)].plan_id", value: planID,
                        expected: "one entry per plan and drug, but plan \(planID) already lists \(what) "
                            + "(that drug first appears at \(duplicates.firstPlace(ofDrug: drugNumber)))"),
                    raw: "duplicate drug plan entry at $[\(element)].plans[\(entry.index)]")
                if ledger.hasFailed { return }
                continue
            }
            registry.useTier(entry.tier, forPlan: entry.plan)
            if let year = entry.year { registry.noteDrugYear(year, forPlan: entry.plan) }
            try sink.add(FormularyEntry(
                scope: .formulary(FormularyID(registry.plans[entry.plan].id)), drug: drug,
                tierCode: registry.tierCodes[entry.tier], status: .covered,
                priorAuthorization: UMFlag(required: entry.priorAuthorization),
                stepTherapy: UMFlag(required: entry.stepTherapy),
                quantityLimit: QuantityLimit(required: entry.quantityLimit),
                sourceLine: start.line))
            entryCount += 1
        }
    }

    /// Reads one `plans[]` entry into `pending`.
    private mutating func readEntry(_ reader: JSONReader, index: Int, registry: inout QHPPlanRegistry) throws {
        let start = try reader.valuePosition()
        var plan = -1
        var tier = -1
        var priorAuthorization: Bool?
        var stepTherapy: Bool?
        var quantityLimit: Bool?
        var year: Int?
        try reader.readObject(keys: Self.entryKeys) { key in
            switch key {
            case 0:
                var invalid = ""
                plan = try reader.readStringBytes { bytes in
                    if HIOSPlanID.isValid(bytes) { return registry.intern(String(decoding: bytes, as: UTF8.self)) }
                    invalid = String(decoding: bytes, as: UTF8.self)
                    return -1
                }
                guard plan >= 0 else {
                    throw reader.shapeError(
                        expected: "a 14-character HIOS plan id matching \(HIOSPlanID.pattern)",
                        found: RowProblem.quoted(invalid))
                }
            case 1:
                tier = try reader.readStringBytes { bytes in bytes.isEmpty ? -1 : registry.internTier(bytes) }
                guard tier >= 0 else { throw reader.shapeError(expected: "a tier name", found: "an empty string") }
            case 2: priorAuthorization = try reader.readQHPFlag()
            case 3: stepTherapy = try reader.readQHPFlag()
            case 4: quantityLimit = try reader.readQHPFlag()
            case 5: year = try reader.readLatestYear()
            default: break  // plan_id_type: left for the reader to skip
            }
        }
        guard plan >= 0 else { throw missing("plan_id", in: reader, at: start) }
        guard tier >= 0 else { throw missing("drug_tier", in: reader, at: start) }
        pending.append(Pending(
            plan: plan, tier: tier, priorAuthorization: priorAuthorization, stepTherapy: stepTherapy,
            quantityLimit: quantityLimit, year: year, index: index, line: start.line))
    }

    /// Unwinds out of a drug once the ledger says the import has failed.
    private struct StopReading: Error {}

    private func missing(_ field: String, _ hint: String = "", in reader: JSONReader, at position: JSONPosition) -> JSONError {
        reader.shapeError(
            expected: "a \"\(field)\" field" + (hint.isEmpty ? "" : " " + hint), found: "an object without it", at: position)
    }
}
