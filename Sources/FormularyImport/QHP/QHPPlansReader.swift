import Foundation
import FormularyModel

/// Reads one `plans.json`: registers every plan (its name and years), and emits each plan's tier
/// definitions and cost sharing as soon as the plan's element has been read in full.
///
/// Plans and formularies themselves are emitted by the importer at the end, when drugs.json has
/// supplied the years a plan without `years` lacks. Fields the model does not use (`summary_url`,
/// `plan_contact`, `network`, …) are skipped without being checked, so a quirk there never blocks
/// an import; the fields it does use are checked strictly.
///
/// What cannot be right is a rejected row, charged to the `ProblemLedger`: a `marketing_name` with
/// a control character (`NameRules`) costs the plan; a copay or coinsurance outside
/// `CostShareRules` costs that `cost_sharing` entry, and the plan keeps its other rows. A tier or
/// pharmacy type stated twice (in one tier, or in a tier listed twice) keeps the first statement; a
/// later one that differs is a warning naming both (`CostShareDuplicates`), one that agrees is quiet.
struct QHPPlansReader {
    private(set) var planCount = 0
    private(set) var tierCount = 0
    private(set) var costShareCount = 0

    private let fileName: String
    private let sink: any ImportSink
    /// Cost sharing stated so far, to compare a tier's second statement with its first.
    private var duplicates = CostShareDuplicates()

    init(fileName: String, sink: any ImportSink) {
        self.fileName = fileName
        self.sink = sink
    }

    private static let planKeys = JSONKeySet(["plan_id", "plan_id_type", "marketing_name", "years", "formulary"])
    private static let tierKeys = JSONKeySet(["drug_tier", "mail_order", "cost_sharing"])
    private static let costKeys = JSONKeySet([
        "pharmacy_type", "copay_amount", "copay_opt", "coinsurance_rate", "coinsurance_opt",
    ])

    /// One `formulary` entry as read.
    private struct Tier {
        var code: String
        var mailOrder: Bool?
        var costs: [Cost] = []
        var place: String
    }

    /// One `cost_sharing` entry as read.
    private struct Cost {
        var pharmacyType: String?
        var copay: Decimal?
        /// `copay_amount` as written, and its line.
        var copayText: String?
        var copayLine = 0
        var copayOption: String?
        var coinsurance: Decimal?
        var coinsuranceText: String?
        var coinsuranceLine = 0
        var coinsuranceOption: String?
        /// Its JSON path (`$[0].formulary[1].cost_sharing[0]`).
        var path: String
        /// `plans.json:14 $[0].formulary[1].cost_sharing[0]`, for notes.
        var place: String
    }

    /// Reads the whole file. Problems with one plan are charged to `ledger`, which may let the
    /// import skip that plan; a broken file stops here.
    mutating func read(
        _ reader: JSONReader, registry: inout QHPPlanRegistry, ledger: inout ProblemLedger, notes: inout ImportNotes
    ) throws {
        try reader.beginArray()
        var element = -1
        while try reader.nextElement() {
            element += 1
            do {
                try readPlan(reader, element: element, registry: &registry, ledger: &ledger, notes: &notes)
            } catch let error as JSONError {
                guard case .shape = error else { throw error }
                ledger.reject(error.rowProblem(file: fileName), raw: "plan at $[\(element)]")
                if ledger.hasFailed { return }
                try reader.recover(toDepth: 1)
            }
            if ledger.hasFailed { return }
        }
        try reader.finish()
        if element < 0 {
            ledger.fileProblem(RowProblem(
                file: fileName, line: 1, field: "$",
                expected: "at least one plan (the plans.json schema requires minItems 1), found an empty array"))
        }
    }

    private mutating func readPlan(
        _ reader: JSONReader, element: Int, registry: inout QHPPlanRegistry, ledger: inout ProblemLedger,
        notes: inout ImportNotes
    ) throws {
        let start = try reader.valuePosition()
        let line = start.line
        var planID: String?
        var idType: String?
        var name: String?
        var nameLine = line
        var year: Int?
        var tiers: [Tier]?
        try reader.readObject(keys: Self.planKeys) { key in
            switch key {
            case 0:
                let id = try reader.readString()
                guard HIOSPlanID.isValid(id) else {
                    throw reader.shapeError(
                        expected: "a 14-character HIOS plan id matching \(HIOSPlanID.pattern)",
                        found: RowProblem.quoted(id))
                }
                planID = id
            case 1: idType = try reader.readStringOrNull()
            case 2:
                nameLine = try reader.valuePosition().line
                name = try reader.readString()
            case 3: year = try reader.readLatestYear()
            default: tiers = try readFormulary(reader)
            }
        }
        let place = "\(fileName):\(line) $[\(element)]"
        guard let planID else { throw missing("plan_id", in: reader, at: start) }
        guard let name else { throw missing("marketing_name", in: reader, at: start) }
        guard let tiers else { throw missing("formulary", in: reader, at: start) }
        if let problem = NameRules.problem(in: name, file: fileName, line: nameLine, field: "$[\(element)].marketing_name") {
            ledger.reject(problem, raw: "plan at $[\(element)]")
            return
        }
        if let idType, idType != "HIOS-PLAN-ID" {
            notes.note("plan_id_type \(RowProblem.quoted(idType)) is not HIOS-PLAN-ID; the plan_id was read as a HIOS id anyway", at: place)
        }

        let definition = QHPPlanRegistry.Definition(file: fileName, element: element, line: line)
        if let earlier = registry.define(planID, at: definition, name: name, year: year) {
            throw reader.shapeError(
                expected: "a unique plan_id",
                found: "plan_id \(planID) again; it is first defined at \(earlier.description)", at: start)
        }
        planCount += 1
        let planIndex = registry.intern(planID)
        try emit(tiers, planID: planID, planIndex: planIndex, registry: &registry, ledger: &ledger, notes: &notes)
    }

    private func missing(_ field: String, in reader: JSONReader, at position: JSONPosition) -> JSONError {
        reader.shapeError(expected: "a \"\(field)\" field", found: "an object without it", at: position)
    }

    /// `formulary` is an array of tiers, or (spec change of Aug 2015, issue #22) a single tier object.
    private func readFormulary(_ reader: JSONReader) throws -> [Tier] {
        var tiers: [Tier] = []
        switch try reader.peek() {
        case .beginArray:
            try reader.readArray { tiers.append(try readTier(reader)) }
        case .beginObject:
            tiers.append(try readTier(reader))
        default:
            throw reader.unexpectedValue(expected: "an array of tiers or one tier object")
        }
        return tiers
    }

    private func readTier(_ reader: JSONReader) throws -> Tier {
        let start = try reader.valuePosition()
        let place = "\(fileName):\(start.line) \(reader.path)"
        var code: String?
        var mailOrder: Bool?
        var costs: [Cost] = []
        try reader.readObject(keys: Self.tierKeys) { key in
            switch key {
            case 0:
                let text = try reader.readString()
                guard !text.isEmpty else { throw reader.shapeError(expected: "a tier name", found: "an empty string") }
                code = text
            case 1: mailOrder = try reader.readQHPFlag()
            default:
                if try reader.readNull() { return }
                try reader.readArray { costs.append(try readCost(reader)) }
            }
        }
        guard let code else { throw missing("drug_tier", in: reader, at: start) }
        return Tier(code: code, mailOrder: mailOrder, costs: costs, place: place)
    }

    private func readCost(_ reader: JSONReader) throws -> Cost {
        let start = try reader.valuePosition()
        let path = reader.path
        var cost = Cost(path: path, place: "\(fileName):\(start.line) \(path)")
        try reader.readObject(keys: Self.costKeys) { key in
            switch key {
            case 0: cost.pharmacyType = try reader.readStringOrNull()
            case 1:
                if try reader.readNull() { return }
                cost.copayLine = try reader.valuePosition().line
                (cost.copay, cost.copayText) = try reader.readDecimalAndText()
            case 2: cost.copayOption = try reader.readStringOrNull()
            case 3:
                if try reader.readNull() { return }
                cost.coinsuranceLine = try reader.valuePosition().line
                (cost.coinsurance, cost.coinsuranceText) = try reader.readDecimalAndText()
            default: cost.coinsuranceOption = try reader.readStringOrNull()
            }
        }
        guard cost.pharmacyType != nil else { throw missing("pharmacy_type", in: reader, at: start) }
        return cost
    }

    // MARK: - Rows

    private mutating func emit(
        _ tiers: [Tier], planID: String, planIndex: Int, registry: inout QHPPlanRegistry, ledger: inout ProblemLedger,
        notes: inout ImportNotes
    ) throws {
        let formulary = FormularyID(planID)
        for tier in tiers {
            let tierIndex = registry.internTier(tier.code)
            if registry.defineTier(tierIndex, forPlan: planIndex) {
                let category = TierNameMapping.category(for: tier.code)
                try sink.add(TierDefinition(
                    formulary: formulary, sourceCode: tier.code, category: category ?? .unknown,
                    isSpecialty: category == .specialty ? true : nil))
                tierCount += 1
            }
            // A tier listed twice merges its cost sharing; a pharmacy type both copies state is
            // compared below, each copy's mail_order applying to its own rows.
            for cost in tier.costs {
                guard let row = costShare(cost, tier: tier, plan: PlanID(planID), ledger: &ledger, notes: &notes) else {
                    if ledger.hasFailed { return }
                    continue
                }
                let fact = "plan \(planID) drug_tier \(RowProblem.quoted(tier.code)) pharmacy_type \(RowProblem.quoted(cost.pharmacyType ?? ""))"
                switch duplicates.check(row, at: cost.place, fact: fact) {
                case .first:
                    try sink.add(row)
                    costShareCount += 1
                case .repeated:
                    continue
                case .differs(let message):
                    notes.note(message, at: cost.place)
                }
            }
        }
    }

    /// One `cost_sharing` entry as one `CostShare` row holding both the copay and the coinsurance,
    /// or nil when an amount breaks `CostShareRules` (the entry is then a reject in `ledger`).
    ///
    /// The model has one qualifier per row, QHP one per amount. The row takes the qualifier of the
    /// amount that is in effect (non-zero and not NO-CHARGE); when both are in effect with different
    /// options it keeps the copay's and notes that the coinsurance's was dropped.
    private func costShare(
        _ cost: Cost, tier: Tier, plan: PlanID, ledger: inout ProblemLedger, notes: inout ImportNotes
    ) -> CostShare? {
        let copay: Decimal?
        let coinsurance: Decimal?
        do {
            copay = try cost.copay.map { amount throws(CostShareRules.Violation) in
                try CostShareRules.checkedAmount(amount, "a copay_amount")
            }
        } catch {
            reject(cost, field: "copay_amount", value: cost.copayText, line: cost.copayLine, error, ledger: &ledger)
            return nil
        }
        do {
            coinsurance = try cost.coinsurance.map { rate throws(CostShareRules.Violation) in
                try CostShareRules.coinsuranceFraction(rate, scale: .fractionOrPercent)
            }
        } catch {
            reject(cost, field: "coinsurance_rate", value: cost.coinsuranceText, line: cost.coinsuranceLine, error, ledger: &ledger)
            return nil
        }
        if let raw = cost.coinsurance, raw > 1 {
            notes.note("coinsurance_rate above 1 was read as a percent", at: cost.place)
        }
        let pharmacyType = cost.pharmacyType ?? ""
        let benefit = PharmacyTypeMapping.benefit(for: pharmacyType)
        if benefit == nil {
            notes.note("pharmacy_type \(RowProblem.quoted(pharmacyType)) is not <n>-MONTH-<IN|OUT>-<RETAIL|MAIL>; its channel is \"any\" and its days' supply unknown", at: cost.place)
        }
        let copayQualifier = CostShareOptionMapping.qualifier(cost.copayOption, notes: &notes, place: cost.place)
        let coinsuranceQualifier = CostShareOptionMapping.qualifier(cost.coinsuranceOption, notes: &notes, place: cost.place)

        let (qualifier, conflict) = CostShareOptionMapping.effectiveQualifier(
            copay: copay, copayQualifier: copayQualifier, coinsurance: coinsurance, coinsuranceQualifier: coinsuranceQualifier)
        if conflict {
            notes.note("copay_opt and coinsurance_opt differ while both amounts apply; the row keeps copay_opt", at: cost.place)
        }

        let isMail = benefit?.channel == .mailStandard || benefit?.channel == .mailOutOfNetwork
        return CostShare(
            plan: plan, tierCode: tier.code, phase: .any, channel: benefit?.channel ?? .any,
            daysSupply: benefit?.daysSupply, offered: !(isMail && tier.mailOrder == false),
            copay: copay, coinsurance: coinsurance, coinsuranceRaw: cost.coinsuranceText,
            deductibleApplies: CostShareOptionMapping.deductibleApplies(qualifier), qualifier: qualifier)
    }

    /// Charges a `cost_sharing` entry whose `field` broke `CostShareRules` to the ledger.
    private func reject(
        _ cost: Cost, field: String, value: String?, line: Int, _ violation: CostShareRules.Violation,
        ledger: inout ProblemLedger
    ) {
        ledger.reject(
            RowProblem(file: fileName, line: line, field: "\(cost.path).\(field)", value: value, expected: violation.expected),
            raw: "cost sharing at \(cost.path)")
    }
}
