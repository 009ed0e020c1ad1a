import Foundation
import FormularyModel

/// The one mapping from decoded FHIR resources to model rows, whichever serialization they came in:
/// plans, formularies, tiers, cost shares and formulary entries, streamed into the sink.
///
/// Memory stays bounded by what must be remembered, not by the file: a map from each FormularyDrug
/// reference to its RxCUI and name, the ids of plans, formularies and tiers already written, and one
/// compact key per entry written (to refuse a second line for the same formulary and drug, which the
/// store's key would reject). Items whose drug has not been read yet go to `FHIRPendingEntrySpool`
/// on disk and are written at the end of their file, keeping their record number, once the drug is
/// known: later in the same file, or from the later files, which the importer reads ahead for their
/// FormularyDrugs only (`learnDrug`), once per import, when a file ends with items still waiting.
/// So an item is written while its own file is current (the sink attributes rows to the file being
/// read), and a lookup names the FormularyItem's file and record, never its FormularyDrug's. Items
/// whose drug never arrives are skipped and counted. (Should an item still be written during a later
/// file, it loses its record number, which would point into the wrong file.)
///
/// Values that cannot be right are rejected rows charged to the ledger: a copay or coinsurance
/// outside `CostShareRules` costs that cost-share row (the plan keeps the others), and a name with a
/// control character costs its resource (`FHIRResourceDecoder`). A cost share or tier stated twice
/// keeps the first statement; a later one that differs is a warning naming both values and places,
/// one that agrees is quiet.
///
/// Mapping choices (FORMATS.md §8): a Plan's id is its identifier value, else its resource id; a
/// Formulary's id is its resource id, because that is what FormularyItems and PayerInsurancePlans
/// reference (`InsurancePlan/FormularyD1002`) and it stays the same when the Formulary resource
/// itself is not among the inputs (a searchset of items). STU1 has one formulary per plan, with the
/// plan's id. A class because it owns the spool (a temporary file).
final class FHIRMapper {
    private struct DrugInfo {
        var rxcui: String?
        var name: String?
    }

    private struct TierKey: Hashable {
        var formulary: String
        var code: String
    }

    private struct EntryKey: Hashable {
        var formulary: Int32
        var drug: String
    }

    /// The first statement of a tier, to compare later ones with.
    private struct TierStatement {
        var coding: FHIRCoding
        var place: String
    }

    private let sink: any ImportSink
    var ledger: ProblemLedger
    private var decoder = FHIRResourceDecoder()
    private var canonical = FHIRCanonical()
    private var notes = ImportNotes()
    private let spool = FHIRPendingEntrySpool()

    private var fileIndex = -1
    private var fileName = ""
    private var drugs: [String: DrugInfo] = [:]
    private var drugsLearned = false
    private var plans: Set<String> = []
    private var describedFormularies: Set<String> = []
    private var referencedFormularies: Set<String> = []
    private var lastReferencedFormulary: String?
    private var formularyIndexes: [String: Int32] = [:]
    /// Formulary ids by Bundle `fullUrl`, for references of the form `urn:uuid:…`.
    private var formulariesByURL: [String: String] = [:]
    private var lastFormularyReference: (reference: String, id: String)?
    private var tiers: [TierKey: TierStatement] = [:]
    private var entryKeys: Set<EntryKey> = []
    private var costShares = CostShareDuplicates()
    /// Decodes the resources read ahead (`learnDrug`), so their notes and counts stay out of the import's.
    private var lookaheadDecoder = FHIRResourceDecoder()
    private var unmappedTiers: Set<String> = []
    private var years: Set<Int> = []

    private(set) var counts: [String: Int] = [:]

    init(sink: any ImportSink, maxRejects: Int) {
        self.sink = sink
        ledger = ProblemLedger(maxRejects: maxRejects)
    }

    // MARK: - Files

    func beginFile(_ name: String) {
        fileIndex += 1
        fileName = name
        decoder.fileName = name
    }

    /// True while items wait for a FormularyDrug no file read so far has supplied.
    var hasWaitingItems: Bool { !spool.isEmpty }

    /// Learns the FormularyDrug in `record`, read ahead from a later file, so items waiting in the
    /// current file are written while it is current. Anything else, and anything its profile does
    /// not allow, is ignored here: the file's own turn reads, counts and reports it.
    func learnDrug(_ record: FHIRResourceRecord) {
        guard record.resourceType == "MedicationKnowledge",
              case .formularyDrug(let drug)? = try? lookaheadDecoder.decode(record) else { return }
        for key in Self.drugKeys(drug, record) where drugs[key] == nil {
            drugs[key] = DrugInfo(rxcui: drug.rxcui, name: drug.name)
            drugsLearned = true
        }
    }

    /// Writes the waiting items whose drugs the file supplied, while the file is still current.
    func finishFile() throws {
        guard drugsLearned, !spool.isEmpty else { return }
        drugsLearned = false
        try drain(final: false)
    }

    /// Ends the import: writes or skips every waiting item, and a bare formulary row for each
    /// formulary that was referenced but never described. Call before the last file's `finishFile`.
    func finish() throws {
        try drain(final: true)
        for id in referencedFormularies.subtracting(describedFormularies).sorted() {
            try sink.add(Formulary(id: FormularyID(id)))
            count("formularies")
            notes.note("a referenced Formulary is not among the inputs; its row has only its id", at: id)
        }
    }

    /// The latest year of the plans and formularies read.
    var contractYear: Int? { years.max() }

    /// Things worth knowing that did not stop the import, one line each.
    var warnings: [String] {
        var lines: [String] = []
        let unknown = decoder.unknownExtensions
        if !unknown.isEmpty {
            let total = unknown.values.reduce(0, +)
            let listed = unknown.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                .prefix(10).map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            lines.append("\(total) unknown extension\(total == 1 ? "" : "s") ignored: \(listed)\(unknown.count > 10 ? ", …" : "")")
        }
        if !unmappedTiers.isEmpty {
            lines.append("tier codes not in the tier mapping table (category unknown): " + unmappedTiers.sorted().joined(separator: ", "))
        }
        if years.count > 1 {
            lines.append("the plans and formularies cover several years (\(years.sorted().map(String.init).joined(separator: ", "))); the contract year is the latest")
        }
        return lines + decoder.notes.messages + notes.messages
    }

    var unknownExtensionCount: Int { decoder.unknownExtensions.values.reduce(0, +) }

    // MARK: - Resources

    /// Decodes and maps one resource. A resource its profile does not allow is rejected; once the
    /// reject allowance is used up this throws `ImportError.invalidRows`, which stops the file.
    func accept(_ record: FHIRResourceRecord) throws {
        let resource: FHIRResource
        do {
            resource = try decoder.decode(record)
        } catch let problem as FHIRDecodingProblem {
            try reject(problem, record)
            return
        }
        count(resource.countName)
        switch resource {
        case .formularyItem(let item): try map(item, record)
        case .formularyDrug(let drug): map(drug, record)
        case .payerPlan(let plan): try map(plan, record)
        case .formulary(let formulary): try map(formulary, record)
        case .coveragePlan(let plan): try map(plan, record)
        case .planDrug(let drug): try map(drug, record)
        case .skipped: break
        }
    }

    private func reject(_ problem: FHIRDecodingProblem, _ record: FHIRResourceRecord) throws {
        ledger.reject(problem.rowProblem(file: fileName, record: record), raw: record.label)
        count("\(record.resourceType) rejected")
        if ledger.hasFailed { throw ImportError.invalidRows(problems: ledger.problems, total: ledger.total) }
    }

    private func map(_ item: FHIRFormularyItem, _ record: FHIRResourceRecord) throws {
        let formulary = formularyID(referencing: item.formularyReference)
        if formulary != lastReferencedFormulary {
            referencedFormularies.insert(formulary)
            lastReferencedFormulary = formulary
        }
        try addTier(item.tier, formulary: formulary, record)
        var status = CoverageStatus.covered
        switch item.availabilityStatus?.lowercased() {
        case "active": status = .covered
        case "retired": status = .notCovered
        case "draft", "unknown": status = .unknown
        case nil: notes.note("a FormularyItem without usdf-AvailabilityStatus-extension was read as covered", at: "\(fileName) \(record.label)")
        case let other?:
            status = .unknown
            notes.note("an availability status \(RowProblem.quoted(other)) is not a publication status; read as unknown", at: "\(fileName) \(record.label)")
        }
        let entry = FormularyEntry(
            scope: .formulary(FormularyID(formulary)), drug: DrugRef(rxcui: nil), tierCode: item.tier.code, status: status,
            priorAuthorization: item.priorAuthorization, stepTherapy: item.stepTherapy, quantityLimit: item.quantityLimit,
            sourceLine: record.recordNumber)
        let key = Self.referenceKey(item.drugReference)
        if let drug = drugs[key] {
            try add(entry, drug: drug, drugKey: key)
        } else {
            try spool.append(FHIRPendingEntrySpool.Pending(drugKey: key, fileIndex: fileIndex, entry: entry))
        }
    }

    private func map(_ drug: FHIRFormularyDrug, _ record: FHIRResourceRecord) {
        let info = DrugInfo(rxcui: drug.rxcui, name: drug.name)
        if drug.rxcui == nil {
            notes.note("a FormularyDrug has no RxNorm coding; its items are keyed by name", at: "\(fileName) \(record.label)")
        }
        let keys = Self.drugKeys(drug, record)
        guard !keys.isEmpty else {
            notes.note("a FormularyDrug without id or fullUrl cannot be referenced and was ignored", at: "\(fileName) \(record.label)")
            return
        }
        for key in keys where drugs[key] == nil {
            drugs[key] = info
            drugsLearned = true
        }
    }

    /// The references a FormularyDrug answers to: `MedicationKnowledge/<id>` and its Bundle `fullUrl`.
    private static func drugKeys(_ drug: FHIRFormularyDrug, _ record: FHIRResourceRecord) -> [String] {
        var keys: [String] = []
        if let id = drug.id { keys.append("MedicationKnowledge/\(id)") }
        if let url = record.fullURL { keys.append(referenceKey(url)) }
        return keys
    }

    private func map(_ plan: FHIRPayerPlan, _ record: FHIRResourceRecord) throws {
        guard let planID = plan.identifier ?? plan.id else {
            try reject(FHIRDecodingProblem(path: ".identifier", line: record.element.line, expected: "a plan identifier or id"), record)
            return
        }
        guard let reference = plan.formularyReferences.first else {
            try reject(FHIRDecodingProblem(
                path: ".coverage", line: record.element.line,
                expected: "a drug coverage with usdf-FormularyReference-extension naming the plan's Formulary"), record)
            return
        }
        if plan.formularyReferences.count > 1 {
            notes.note("a PayerInsurancePlan references several formularies; the plan uses the first", at: "\(fileName) \(record.label)")
        }
        guard plans.insert(planID).inserted else {
            count("PayerInsurancePlan skipped: plan id already imported")
            notes.note("a plan id appears twice; the later plan was skipped", at: "\(fileName) \(record.label) (\(planID))")
            return
        }
        let formulary = formularyID(referencing: reference)
        referencedFormularies.insert(formulary)
        var market = Market.other
        if let type = plan.productType {
            if let known = FHIRMarketMapping.market(for: type.code) {
                market = known
            } else {
                notes.note("plan type \(RowProblem.quoted(type.code)) has no market in the mapping table; read as other", at: "\(fileName) \(record.label)")
            }
        }
        let year = Self.year(plan.periodStart)
        if let year { years.insert(year) }
        try sink.add(Plan(id: PlanID(planID), name: plan.name, market: market, formulary: FormularyID(formulary), year: year))
        count("plans")
        for sharing in plan.costs {
            try addTier(sharing.tier, formulary: formulary, record)
            try addCost(sharing, plan: planID, record)
        }
    }

    private func map(_ definition: FHIRFormularyDefinition, _ record: FHIRResourceRecord) throws {
        guard let id = definition.id ?? definition.identifier else {
            try reject(FHIRDecodingProblem(path: ".id", line: record.element.line, expected: "a Formulary id (items reference it)"), record)
            return
        }
        if let url = record.fullURL {
            formulariesByURL[url] = id
            lastFormularyReference = nil
        }
        guard describedFormularies.insert(id).inserted else {
            notes.note("a Formulary appears twice; the later one was skipped", at: "\(fileName) \(record.label)")
            return
        }
        let year = Self.year(definition.periodStart)
        if let year { years.insert(year) }
        try sink.add(Formulary(id: FormularyID(id), name: definition.name, contractYear: year))
        count("formularies")
    }

    private func map(_ plan: FHIRCoveragePlan, _ record: FHIRResourceRecord) throws {
        guard let planID = plan.identifier ?? plan.id else {
            try reject(FHIRDecodingProblem(path: ".identifier", line: record.element.line, expected: "a plan identifier or id"), record)
            return
        }
        guard plans.insert(planID).inserted else {
            count("CoveragePlan skipped: plan id already imported")
            notes.note("a plan id appears twice; the later plan was skipped", at: "\(fileName) \(record.label) (\(planID))")
            return
        }
        if describedFormularies.insert(planID).inserted {
            try sink.add(Formulary(id: FormularyID(planID), name: plan.title))
            count("formularies")
        }
        let market: Market = plan.planIDType?.uppercased() == "HIOS-PLAN-ID" ? .marketplace : .other
        try sink.add(Plan(id: PlanID(planID), name: plan.title, market: market, formulary: FormularyID(planID)))
        count("plans")
        for tier in plan.tiers { try addTier(tier, formulary: planID, record) }
        for sharing in plan.costs { try addCost(sharing, plan: planID, record) }
    }

    private func map(_ drug: FHIRPlanDrug, _ record: FHIRResourceRecord) throws {
        referencedFormularies.insert(drug.planID)
        try addTier(drug.tier, formulary: drug.planID, record)
        let entry = FormularyEntry(
            scope: .formulary(FormularyID(drug.planID)), drug: DrugRef(rxcui: nil), tierCode: drug.tier.code,
            priorAuthorization: UMFlag(required: drug.priorAuthorization), stepTherapy: UMFlag(required: drug.stepTherapy),
            quantityLimit: QuantityLimit(required: drug.quantityLimit), sourceLine: record.recordNumber)
        try add(entry, drug: DrugInfo(rxcui: drug.rxcui, name: drug.name), drugKey: record.label)
    }

    // MARK: - Rows

    private func add(_ entry: FormularyEntry, drug: DrugInfo, drugKey: String) throws {
        guard drug.rxcui != nil || drug.name != nil else {
            count("FormularyItem skipped: its drug has neither an RxNorm code nor a name")
            notes.note("an item's drug has neither an RxNorm code nor a name; the item was skipped", at: drugKey)
            return
        }
        guard case .formulary(let formulary) = entry.scope else { return }
        let key = EntryKey(formulary: formularyIndex(formulary.rawValue), drug: drug.rxcui ?? "name:" + (drug.name ?? ""))
        guard entryKeys.insert(key).inserted else {
            count("FormularyItem skipped: the formulary already lists the drug")
            notes.note("a formulary lists the same drug twice (several FormularyDrugs may share an RxNorm code); the later item was skipped",
                       at: "\(formulary) \(drug.rxcui ?? drug.name ?? "")")
            return
        }
        var entry = entry
        entry.drug = DrugRef(rxcui: drug.rxcui.map { RxCUI($0) }, name: drug.name)
        try sink.add(entry)
        count("formulary entries")
    }

    /// Writes or keeps back the waiting items; at the end, items whose drug never came are skipped.
    private func drain(final: Bool) throws {
        let current = fileIndex
        try spool.drain { pending in
            if let drug = drugs[pending.drugKey] {
                var entry = pending.entry
                if pending.fileIndex != current { entry.sourceLine = nil }
                try add(entry, drug: drug, drugKey: pending.drugKey)
            } else if final {
                count("FormularyItem skipped: its FormularyDrug is not among the inputs")
                notes.note("an item's FormularyDrug is not among the inputs; the item was skipped", at: pending.drugKey)
            } else {
                try spool.append(pending)
            }
        }
    }

    /// Writes a formulary's tier the first time it is named; a later naming with another code
    /// system or display is noted with both (the first is kept).
    private func addTier(_ coding: FHIRCoding, formulary: String, _ record: FHIRResourceRecord) throws {
        let key = TierKey(formulary: formulary, code: coding.code)
        if let first = tiers[key] {
            let systemDiffers = first.coding.system != coding.system
            if systemDiffers || first.coding.display != coding.display {
                notes.note(
                    "formulary \(formulary) names tier \(RowProblem.quoted(coding.code)) twice differently; the first is kept: "
                        + "\(Self.describe(first.coding, system: systemDiffers)) at \(first.place), "
                        + "and \(Self.describe(coding, system: systemDiffers))",
                    at: "\(fileName) \(record.label)")
            }
            return
        }
        tiers[key] = TierStatement(coding: coding, place: "\(fileName) \(record.label)")
        var category = TierCategory.unknown
        if coding.system == nil || canonical.codeSystem(coding.system) == .drugTier {
            if let known = TierNameMapping.category(for: coding.code) {
                category = known
            } else {
                unmappedTiers.insert(coding.code)
            }
        } else {
            notes.note("a tier code from a payer's own code system has no category in the mapping table", at: "\(coding.system ?? "") \(coding.code)")
        }
        try sink.add(TierDefinition(
            formulary: FormularyID(formulary), sourceCode: coding.code, sourceSystem: coding.system, category: category,
            label: coding.display, isSpecialty: category == .specialty ? true : nil))
        count("tiers")
    }

    /// A tier coding's display, and its system when that is what differs, in full.
    private static func describe(_ coding: FHIRCoding, system: Bool) -> String {
        let display = "display " + (coding.display.map { "\"\($0)\"" } ?? "(none)")
        guard system else { return display }
        return "system " + (coding.system.map { "\"\($0)\"" } ?? "(none)") + ", " + display
    }

    /// One tier's copay and coinsurance under one pharmacy benefit type, as one `CostShare` row.
    ///
    /// Like the QHP importer, the row carries the qualifier of the amount in effect (non-zero and not
    /// no-charge), the copay's when both are. 2.x coinsurance is percent (÷ 100); STU1's is a fraction
    /// (above 1 read as percent). An amount `CostShareRules` refuses makes the row a reject.
    private func addCost(_ sharing: FHIRCostSharing, plan: String, _ record: FHIRResourceRecord) throws {
        let place = "\(fileName) \(record.label)"
        let benefit = sharing.benefitType.flatMap(PharmacyTypeMapping.benefit(for:))
        if benefit == nil {
            notes.note("pharmacy benefit type \(RowProblem.quoted(sharing.benefitType ?? "(none)")) is not <n>-month-<in|out>-<retail|mail>; its channel is \"any\" and its days' supply unknown", at: place)
        }
        let copay: Decimal?
        let coinsurance: Decimal?
        do {
            copay = try sharing.copay.map { amount throws(CostShareRules.Violation) in
                try CostShareRules.checkedAmount(amount, "a copay")
            }
        } catch {
            try reject(sharing, sharing.copayPlace, error, record)
            return
        }
        do {
            coinsurance = try sharing.coinsurance.map { rate throws(CostShareRules.Violation) in
                try CostShareRules.coinsuranceFraction(rate, scale: sharing.coinsuranceIsFraction ? .fractionOrPercent : .percent)
            }
        } catch {
            try reject(sharing, sharing.coinsurancePlace, error, record)
            return
        }
        if sharing.coinsuranceIsFraction, let raw = sharing.coinsurance, raw > 1 {
            notes.note("an STU1 coinsuranceRate above 1 was read as a percent", at: place)
        }
        let copayQualifier = CostShareOptionMapping.qualifier(sharing.copayOption, notes: &notes, place: place)
        let coinsuranceQualifier = CostShareOptionMapping.qualifier(sharing.coinsuranceOption, notes: &notes, place: place)
        let qualifier = CostShareOptionMapping.effectiveQualifier(
            copay: copay, copayQualifier: copayQualifier, coinsurance: coinsurance, coinsuranceQualifier: coinsuranceQualifier
        ).qualifier
        let isMail = benefit?.channel == .mailStandard || benefit?.channel == .mailOutOfNetwork
        let row = CostShare(
            plan: PlanID(plan), tierCode: sharing.tier.code, phase: .any, channel: benefit?.channel ?? .any,
            daysSupply: benefit?.daysSupply, offered: !(isMail && sharing.mailOrder == false),
            copay: copay, coinsurance: coinsurance, coinsuranceRaw: sharing.coinsuranceText,
            deductibleApplies: CostShareOptionMapping.deductibleApplies(qualifier), qualifier: qualifier)
        let fact = "plan \(plan) tier \(sharing.tier.code) under \(sharing.benefitType ?? "no pharmacy benefit type")"
        switch costShares.check(row, at: "\(place) \(sharing.path)", fact: fact) {
        case .first:
            try sink.add(row)
            count("cost shares")
        case .repeated:
            break
        case .differs(let message):
            notes.note(message, at: "\(place) \(sharing.path)")
        }
    }

    /// Rejects one cost-share row whose amount at `value` broke `CostShareRules`; throws once the
    /// allowance is used up.
    private func reject(
        _ sharing: FHIRCostSharing, _ value: FHIRValuePlace?, _ violation: CostShareRules.Violation, _ record: FHIRResourceRecord
    ) throws {
        let problem = RowProblem(
            file: fileName, line: value?.line ?? sharing.line, field: record.render(value?.path ?? sharing.path),
            value: value?.text, expected: violation.expected)
        ledger.reject(problem, raw: "cost sharing at \(record.render(sharing.path)) of \(record.label)")
        count("cost shares rejected")
        if ledger.hasFailed { throw ImportError.invalidRows(problems: ledger.problems, total: ledger.total) }
    }

    // MARK: - Keys

    private func count(_ name: String) {
        counts[name, default: 0] += 1
    }

    private func formularyIndex(_ id: String) -> Int32 {
        if let index = formularyIndexes[id] { return index }
        let index = Int32(formularyIndexes.count)
        formularyIndexes[id] = index
        return index
    }

    /// The formulary id a reference names: the id of `InsurancePlan/<id>`, or the Formulary whose
    /// Bundle entry has that `fullUrl`.
    private func formularyID(referencing reference: String) -> String {
        // Items come in runs of one formulary: remember the last answer.
        if let last = lastFormularyReference, last.reference == reference { return last.id }
        let id = resolveFormularyID(reference)
        lastFormularyReference = (reference, id)
        return id
    }

    private func resolveFormularyID(_ reference: String) -> String {
        if let known = formulariesByURL[reference] { return known }
        let key = Self.referenceKey(reference)
        guard !key.hasPrefix("urn:"), let slash = key.lastIndex(of: "/") else { return key }
        return String(key[key.index(after: slash)...])
    }

    /// A reference as `Type/id` (absolute URLs and `_history` versions cut off); `urn:` kept whole.
    static func referenceKey(_ reference: String) -> String {
        // The common case, `Type/id`, is already the key.
        var slashes = 0
        var plain = true
        for byte in reference.utf8 {
            if byte == UInt8(ascii: "/") { slashes += 1 } else if byte == UInt8(ascii: ":") || byte == UInt8(ascii: "#") { plain = false }
        }
        if plain && slashes == 1 { return reference }
        if reference.hasPrefix("urn:") || reference.hasPrefix("#") { return reference }
        var parts = reference.split(separator: "/", omittingEmptySubsequences: true)
        if let history = parts.lastIndex(of: "_history"), history >= 2 { parts = Array(parts[..<history]) }
        guard parts.count >= 2 else { return reference }
        return parts[parts.count - 2] + "/" + parts[parts.count - 1]
    }

    /// The year of a FHIR date (`2021-01-01`).
    static func year(_ date: String?) -> Int? {
        guard let date, date.utf8.count >= 4, let year = Int(date.prefix(4)), (1900...2999).contains(year) else { return nil }
        return year
    }
}
