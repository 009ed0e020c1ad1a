import Foundation
import FormularyModel

/// Reads `FHIRElement` resources as the Da Vinci US Drug Formulary profiles define them (STU1 and
/// STU2), into the small `FHIRResource` values the mapper turns into rows. The one place that knows
/// where each field lives, for JSON and XML alike.
///
/// What a resource is comes from its `meta.profile` when it has one and otherwise from its content,
/// because the reference implementation's seed data carries no profiles: an InsurancePlan typed
/// `DRUGPOL` is a Formulary, another with coverage or plan data a PayerInsurancePlan; a Basic coded
/// `formulary-item` a FormularyItem; a MedicationKnowledge with `usdf-PlanID-extension` an STU1
/// FormularyDrug. Extensions are matched through `FHIRCanonical`; unknown ones are counted and
/// ignored. A resource with a `modifierExtension` is skipped, as FHIR requires of a reader that
/// cannot understand one. A name the importer would store (a drug's, a plan's, a formulary's) with
/// a control character makes the resource a `FHIRDecodingProblem` (`NameRules`).
struct FHIRResourceDecoder {
    private var canonical = FHIRCanonical()
    /// Unknown extension URLs and how often each was seen.
    private(set) var unknownExtensions: [String: Int] = [:]
    private(set) var notes = ImportNotes()
    /// Profiles by canonical URL: every resource repeats one of a handful.
    private var profiles: [String: FHIRCanonical.Profile?] = [:]
    /// The display name of the file being read, for notes.
    var fileName = ""

    // MARK: - Dispatch

    mutating func decode(_ record: FHIRResourceRecord) throws -> FHIRResource {
        let root = record.element
        if root.first("modifierExtension") != nil {
            note("a resource with a modifierExtension was skipped (FHIR forbids ignoring one)", record)
            return .skipped("\(root.name) (with a modifierExtension)")
        }
        var profiles: Set<FHIRCanonical.Profile> = []
        for element in root.first("meta")?.all("profile") ?? [] {
            guard let url = element.value else { continue }
            if let cached = self.profiles[url] {
                if let cached { profiles.insert(cached) }
            } else {
                let profile = FHIRCanonical.profile(url)
                self.profiles[url] = profile
                if let profile { profiles.insert(profile) }
            }
        }
        switch root.name {
        case "Basic":
            let coded = codings(root.first("code")).contains { canonical.codeSystem($0.system) == .insuranceItemType && $0.code == "formulary-item" }
            guard profiles.contains(.formularyItem) || coded else { return .skipped("Basic (not a FormularyItem)") }
            return .formularyItem(try formularyItem(root, record))
        case "MedicationKnowledge":
            let isSTU1 = try root.all("extension").contains { try extensionKind($0, path: ".extension") == .planID }
            if isSTU1 { return .planDrug(try planDrug(root, record)) }
            return .formularyDrug(try formularyDrug(root))
        case "InsurancePlan":
            if profiles.contains(.payerInsurancePlan) { return .payerPlan(try payerPlan(root, record)) }
            if profiles.contains(.formulary) { return .formulary(try formulary(root)) }
            let isDrugPolicy = root.all("type").contains { type in
                codings(type).contains { canonical.codeSystem($0.system) == .actCode && $0.code == "DRUGPOL" }
            }
            if isDrugPolicy { return .formulary(try formulary(root)) }
            if root.first("coverage") != nil || root.first("plan") != nil { return .payerPlan(try payerPlan(root, record)) }
            return .skipped("InsurancePlan (neither a Formulary nor a PayerInsurancePlan)")
        case "List":
            let isDrugPolicy = codings(root.first("code")).contains { canonical.codeSystem($0.system) == .actCode && $0.code == "DRUGPOL" }
            guard profiles.contains(.coveragePlan) || isDrugPolicy else { return .skipped("List (not a CoveragePlan)") }
            return .coveragePlan(try coveragePlan(root, record))
        default:
            return .skipped(root.name)
        }
    }

    // MARK: - STU2

    private mutating func formularyItem(_ root: FHIRElement, _ record: FHIRResourceRecord) throws -> FHIRFormularyItem {
        var formulary: String?
        var tier: FHIRCoding?
        var status: String?
        var start: String?
        var end: String?
        var benefitTypes: [String] = []
        var pa = UMFlag.unknown
        var st = UMFlag.unknown
        var ql = QuantityLimit.unknown
        for (index, ext) in root.all("extension").enumerated() {
            let path = ".extension[\(index)]"
            switch try extensionKind(ext, path: path) {
            case .formularyReference:
                formulary = try required(ext.first("valueReference")?.string("reference"), ext, path + ".valueReference.reference", "a reference to the Formulary")
            case .availabilityStatus:
                status = try required(ext.string("valueCode"), ext, path + ".valueCode", "a publication status code")
            case .availabilityPeriod:
                start = ext.first("valuePeriod")?.string("start")
                end = ext.first("valuePeriod")?.string("end")
            case .pharmacyBenefitType:
                let coding = try firstCoding(ext.first("valueCodeableConcept"), ext, path + ".valueCodeableConcept", preferring: .pharmacyBenefitType)
                benefitTypes.append(coding.code)
            case .drugTierID:
                tier = try firstCoding(ext.first("valueCodeableConcept"), ext, path + ".valueCodeableConcept", preferring: .drugTier)
            case .priorAuthorization:
                pa.required = try boolean(ext, path)
            case .priorAuthorizationNewStartsOnly:
                pa.newStartsOnly = try boolean(ext, path)
            case .stepTherapyLimit:
                st.required = try boolean(ext, path)
            case .stepTherapyLimitNewStartsOnly:
                st.newStartsOnly = try boolean(ext, path)
            case .quantityLimit:
                ql.required = try boolean(ext, path)
            case .quantityLimitDetail:
                try quantityLimitDetail(ext, path: path, into: &ql, record)
            case .additionalCoverageInformation, .none:
                break
            default:
                break  // an IG extension that does not belong on a FormularyItem: nothing to read
            }
        }
        guard let formulary else {
            throw FHIRDecodingProblem(path: ".extension", line: root.line, expected: "a usdf-FormularyReference-extension (required, 1..1)")
        }
        guard let tier else {
            throw FHIRDecodingProblem(path: ".extension", line: root.line, expected: "a usdf-DrugTierID-extension (required, 1..1)")
        }
        let subject = try required(root.first("subject")?.string("reference"), root, ".subject.reference", "a reference to the FormularyDrug")
        return FHIRFormularyItem(
            id: root.string("id"), formularyReference: formulary, drugReference: subject, tier: tier,
            availabilityStatus: status, availabilityStart: start, availabilityEnd: end, pharmacyBenefitTypes: benefitTypes,
            priorAuthorization: pa, stepTherapy: st, quantityLimit: ql)
    }

    /// `usdf-QuantityLimitDetail-extension`: Rolling → amount per days, MaximumDaily, Description,
    /// and DaysSupply, which the model has no field for, described in words.
    private mutating func quantityLimitDetail(_ ext: FHIRElement, path: String, into limit: inout QuantityLimit, _ record: FHIRResourceRecord) throws {
        var descriptions: [String] = []
        for (index, part) in ext.all("extension").enumerated() {
            let partPath = path + ".extension[\(index)]"
            let url = try required(part.string("url"), part, partPath + ".url", "an extension url")
            switch url.lowercased() {
            case "rolling":
                let repeatElement = try required(part.first("valueTiming")?.first("repeat"), part, partPath + ".valueTiming.repeat", "a Timing with repeat")
                if let count = repeatElement.first("count") {
                    limit.amount = try number(count, partPath + ".valueTiming.repeat.count")
                }
                if let period = repeatElement.first("period") {
                    let unit = repeatElement.string("periodUnit") ?? "d"
                    let value = try number(period, partPath + ".valueTiming.repeat.period")
                    limit.days = days(value, unit: unit)
                    if limit.days == nil {
                        note("a Rolling quantity limit period of \(value) \(unit) is not a whole number of days; its days were left empty", record)
                    }
                }
            case "maximumdaily":
                let value = try required(part.first("valueQuantity")?.first("value"), part, partPath + ".valueQuantity.value", "a quantity value")
                limit.maximumDaily = try number(value, partPath + ".valueQuantity.value")
            case "description":
                if let text = part.string("valueString"), !text.isEmpty { descriptions.insert(text, at: 0) }
            case "dayssupply":
                if let repeatElement = part.first("valueTiming")?.first("repeat") {
                    descriptions.append(Self.describeDaysSupply(repeatElement))
                }
            default:
                countUnknown(FHIRCanonical.Extension.quantityLimitDetail.rawValue + "#" + url)
            }
        }
        if !descriptions.isEmpty { limit.description = descriptions.joined(separator: "; ") }
    }

    /// DaysSupply in words, without reading more into it than the IG says (its exact meaning is
    /// unsettled): `days supply: count 1 per 180 d, bounds 365 d`.
    private static func describeDaysSupply(_ repeatElement: FHIRElement) -> String {
        var text = "days supply:"
        if let count = repeatElement.string("count") { text += " count \(count)" }
        if let period = repeatElement.string("period") { text += " per \(period) \(repeatElement.string("periodUnit") ?? "")" }
        if let bounds = repeatElement.first("boundsDuration"), let value = bounds.string("value") {
            text += ", bounds \(value) \(bounds.string("code") ?? bounds.string("unit") ?? "")"
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    private func days(_ period: Double, unit: String) -> Int? {
        let factor: Double
        switch unit.lowercased() {
        case "d": factor = 1
        case "wk": factor = 7
        case "mo": factor = 30
        case "a": factor = 365
        default: return nil
        }
        let days = period * factor
        guard days >= 0, days <= Double(Int32.max), days.rounded() == days else { return nil }
        return Int(days)
    }

    private mutating func formularyDrug(_ root: FHIRElement) throws -> FHIRFormularyDrug {
        let code = root.first("code")
        let all = codings(code)
        let rxNorm = all.first { canonical.codeSystem($0.system) == .rxNorm }
        return FHIRFormularyDrug(id: root.string("id"), rxcui: rxNorm?.code, name: try drugName(root))
    }

    /// `code.text`, else the RxNorm coding's display, else any coding's display; checked by `NameRules`.
    private mutating func drugName(_ root: FHIRElement) throws -> String? {
        guard let code = root.first("code") else { return nil }
        if let text = code.first("text"), text.value != nil { return try name(text, ".code.text") }
        let elements = code.all("coding")
        let rxNorm = elements.firstIndex { element in
            FHIRCoding(element).map { canonical.codeSystem($0.system) == .rxNorm } ?? false
        }
        let chosen = rxNorm.flatMap { elements[$0].string("display") != nil ? $0 : nil }
            ?? elements.firstIndex { FHIRCoding($0) != nil && $0.string("display") != nil }
        guard let chosen else { return nil }
        return try name(elements[chosen].first("display"), ".code.coding[\(chosen)].display")
    }

    /// The value of a name element, refused when it holds a control character.
    private func name(_ element: FHIRElement?, _ path: @autoclosure () -> String) throws -> String? {
        guard let element, let text = element.value else { return nil }
        if let violation = NameRules.violation(in: text) {
            throw FHIRDecodingProblem(path: path(), line: element.line, value: NameRules.escaped(text), expected: violation)
        }
        return text
    }

    private mutating func payerPlan(_ root: FHIRElement, _ record: FHIRResourceRecord) throws -> FHIRPayerPlan {
        var references: [String] = []
        for (coverageIndex, coverage) in root.all("coverage").enumerated() {
            for (index, ext) in coverage.all("extension").enumerated() {
                let path = ".coverage[\(coverageIndex)].extension[\(index)]"
                guard try extensionKind(ext, path: path) == .formularyReference else { continue }
                references.append(try required(ext.first("valueReference")?.string("reference"), ext, path + ".valueReference.reference", "a reference to the Formulary"))
            }
        }
        var costs: [FHIRCostSharing] = []
        for (planIndex, plan) in root.all("plan").enumerated() {
            for (costIndex, specific) in plan.all("specificCost").enumerated() {
                let specificPath = ".plan[\(planIndex)].specificCost[\(costIndex)]"
                let category = try firstCoding(specific.first("category"), specific, specificPath + ".category", preferring: .pharmacyBenefitType)
                for (benefitIndex, benefit) in specific.all("benefit").enumerated() {
                    let benefitPath = specificPath + ".benefit[\(benefitIndex)]"
                    let tier = try firstCoding(benefit.first("type"), benefit, benefitPath + ".type", preferring: .drugTier)
                    var sharing = FHIRCostSharing(
                        benefitType: category.code, tier: tier, coinsuranceIsFraction: false, line: benefit.line, path: benefitPath)
                    for (index, cost) in benefit.all("cost").enumerated() {
                        try addCost(cost, path: benefitPath + ".cost[\(index)]", to: &sharing, record)
                    }
                    costs.append(sharing)
                }
            }
        }
        let types = root.all("type").flatMap { codings($0) }
        return FHIRPayerPlan(
            id: root.string("id"), identifier: Self.identifier(root), name: try name(root.first("name"), ".name"),
            productType: types.first { canonical.codeSystem($0.system) == .insuranceProductType } ?? types.first,
            periodStart: root.first("period")?.string("start"), formularyReferences: references, costs: costs)
    }

    /// One `cost` of a 2.x benefit: a copay in dollars or a coinsurance in percent. A benefit that
    /// states one twice keeps the first; a second that differs is noted with both.
    private mutating func addCost(_ cost: FHIRElement, path: String, to sharing: inout FHIRCostSharing, _ record: FHIRResourceRecord) throws {
        let type = try firstCoding(cost.first("type"), cost, path + ".type", preferring: .benefitCostType)
        let qualifier = cost.all("qualifiers").compactMap { codings($0).first?.code }.first
        let valueElement = cost.first("value")?.first("value")
        let amount = try valueElement.map { try decimal($0, path + ".value.value") }
        let place = valueElement.map { FHIRValuePlace(path: path + ".value.value", line: $0.line, text: $0.value) }
        switch type.code.lowercased() {
        case "copay":
            guard sharing.copay == nil && sharing.copayOption == nil else {
                noteSecond(
                    "copay", amount, qualifier, first: (sharing.copay, sharing.copayOption, sharing.copayPlace?.path ?? sharing.path),
                    path: path, record)
                return
            }
            sharing.copay = amount
            sharing.copayOption = qualifier
            sharing.copayPlace = place
        case "coinsurance":
            guard sharing.coinsurance == nil && sharing.coinsuranceOption == nil else {
                noteSecond(
                    "coinsurance", amount, qualifier,
                    first: (sharing.coinsurance, sharing.coinsuranceOption, sharing.coinsurancePlace?.path ?? sharing.path),
                    path: path, record)
                return
            }
            sharing.coinsurance = amount
            sharing.coinsuranceOption = qualifier
            sharing.coinsurancePlace = place
            if let text = valueElement?.value {
                let unit = cost.first("value")?.string("code") ?? cost.first("value")?.string("unit")
                sharing.coinsuranceText = text + " %"
                if let unit, unit != "%" {
                    note("a coinsurance value in unit \(RowProblem.quoted(unit)) was read as percent, as the IG defines it", record)
                }
            }
        default:
            note("a cost of type \(RowProblem.quoted(type.code)) (neither copay nor coinsurance) was ignored", record)
        }
    }

    /// A benefit's second copay or coinsurance: quiet when it says what the first said, noted with
    /// both values and places when it differs.
    private mutating func noteSecond(
        _ what: String, _ amount: Decimal?, _ qualifier: String?, first: (amount: Decimal?, qualifier: String?, path: String),
        path: String, _ record: FHIRResourceRecord
    ) {
        guard amount != first.amount || qualifier != first.qualifier else { return }
        let describe = { (amount: Decimal?, qualifier: String?) in
            [amount.map { "\($0)" }, qualifier].compactMap { $0 }.joined(separator: " ")
        }
        note(
            "a benefit states its \(what) twice with different values; the first is kept: "
                + "\(describe(first.amount, first.qualifier)) at \(first.path), and \(describe(amount, qualifier)) at \(path)",
            record)
    }

    private func formulary(_ root: FHIRElement) throws -> FHIRFormularyDefinition {
        FHIRFormularyDefinition(
            id: root.string("id"), identifier: Self.identifier(root), name: try name(root.first("name"), ".name"),
            periodStart: root.first("period")?.string("start"))
    }

    // MARK: - STU1

    private mutating func coveragePlan(_ root: FHIRElement, _ record: FHIRResourceRecord) throws -> FHIRCoveragePlan {
        var plan = FHIRCoveragePlan(
            id: root.string("id"), identifier: Self.identifier(root), title: try name(root.first("title"), ".title"), tiers: [], costs: [])
        for (index, ext) in root.all("extension").enumerated() {
            let path = ".extension[\(index)]"
            switch try extensionKind(ext, path: path) {
            case .drugTierDefinition:
                try tierDefinition(ext, path: path, into: &plan, record)
            case .planIDType:
                plan.planIDType = ext.string("valueString") ?? ext.string("valueCode")
            default:
                break
            }
        }
        return plan
    }

    /// `usdf-DrugTierDefinition-extension`: drugTierID, mailOrder, costSharing[] (coinsurance a fraction).
    private mutating func tierDefinition(_ ext: FHIRElement, path: String, into plan: inout FHIRCoveragePlan, _ record: FHIRResourceRecord) throws {
        var tier: FHIRCoding?
        var mailOrder: Bool?
        var sharings: [(FHIRElement, String)] = []
        for (index, part) in ext.all("extension").enumerated() {
            let partPath = path + ".extension[\(index)]"
            let url = try required(part.string("url"), part, partPath + ".url", "an extension url")
            switch url.lowercased() {
            case "drugtierid": tier = try firstCoding(part.first("valueCodeableConcept"), part, partPath + ".valueCodeableConcept", preferring: .drugTier)
            case "mailorder": mailOrder = try boolean(part, partPath)
            case "costsharing": sharings.append((part, partPath))
            default: countUnknown(FHIRCanonical.Extension.drugTierDefinition.rawValue + "#" + url)
            }
        }
        guard let tier else {
            throw FHIRDecodingProblem(path: path, line: ext.line, expected: "a drugTierID in usdf-DrugTierDefinition-extension")
        }
        plan.tiers.append(tier)
        for (part, partPath) in sharings {
            var sharing = FHIRCostSharing(tier: tier, coinsuranceIsFraction: true, mailOrder: mailOrder, line: part.line, path: partPath)
            for (index, field) in part.all("extension").enumerated() {
                let fieldPath = partPath + ".extension[\(index)]"
                let url = try required(field.string("url"), field, fieldPath + ".url", "an extension url")
                switch url.lowercased() {
                case "pharmacytype":
                    sharing.benefitType = try firstCoding(field.first("valueCodeableConcept"), field, fieldPath + ".valueCodeableConcept", preferring: .pharmacyBenefitType).code
                case "copayamount":
                    let value = try required(field.first("valueMoney")?.first("value"), field, fieldPath + ".valueMoney.value", "an amount")
                    sharing.copay = try decimal(value, fieldPath + ".valueMoney.value")
                    sharing.copayPlace = FHIRValuePlace(path: fieldPath + ".valueMoney.value", line: value.line, text: value.value)
                case "copayoption":
                    sharing.copayOption = codings(field.first("valueCodeableConcept")).first?.code
                case "coinsurancerate":
                    let value = try required(field.first("valueDecimal"), field, fieldPath + ".valueDecimal", "a decimal rate")
                    sharing.coinsurance = try decimal(value, fieldPath + ".valueDecimal")
                    sharing.coinsuranceText = value.value
                    sharing.coinsurancePlace = FHIRValuePlace(path: fieldPath + ".valueDecimal", line: value.line, text: value.value)
                case "coinsuranceoption":
                    sharing.coinsuranceOption = codings(field.first("valueCodeableConcept")).first?.code
                default:
                    countUnknown(FHIRCanonical.Extension.drugTierDefinition.rawValue + "#costSharing#" + url)
                }
            }
            plan.costs.append(sharing)
        }
    }

    private mutating func planDrug(_ root: FHIRElement, _ record: FHIRResourceRecord) throws -> FHIRPlanDrug {
        var planID: String?
        var tier: FHIRCoding?
        var pa: Bool?
        var st: Bool?
        var ql: Bool?
        for (index, ext) in root.all("extension").enumerated() {
            let path = ".extension[\(index)]"
            switch try extensionKind(ext, path: path) {
            case .planID: planID = try required(ext.string("valueString"), ext, path + ".valueString", "a plan id")
            case .drugTierID: tier = try firstCoding(ext.first("valueCodeableConcept"), ext, path + ".valueCodeableConcept", preferring: .drugTier)
            case .priorAuthorization: pa = try boolean(ext, path)
            case .stepTherapyLimit: st = try boolean(ext, path)
            case .quantityLimit: ql = try boolean(ext, path)
            default: break
            }
        }
        guard let planID else {
            throw FHIRDecodingProblem(path: ".extension", line: root.line, expected: "a usdf-PlanID-extension")
        }
        guard let tier else {
            throw FHIRDecodingProblem(path: ".extension", line: root.line, expected: "a usdf-DrugTierID-extension (required, 1..1)")
        }
        let drug = try formularyDrug(root)
        return FHIRPlanDrug(id: drug.id, planID: planID, rxcui: drug.rxcui, name: drug.name, tier: tier,
                            priorAuthorization: pa, stepTherapy: st, quantityLimit: ql)
    }

    // MARK: - Values

    /// The extension's kind; unknown URLs are counted and return nil.
    private mutating func extensionKind(_ ext: FHIRElement, path: String) throws -> FHIRCanonical.Extension? {
        let url = try required(ext.string("url"), ext, path + ".url", "an extension url")
        if let kind = canonical.extensionKind(url) { return kind }
        countUnknown(url)
        return nil
    }

    private mutating func countUnknown(_ url: String) {
        unknownExtensions[url, default: 0] += 1
    }

    private func codings(_ concept: FHIRElement?) -> [FHIRCoding] {
        concept?.all("coding").compactMap(FHIRCoding.init) ?? []
    }

    /// The coding from `system` in a CodeableConcept, else its first coding.
    private mutating func firstCoding(
        _ concept: FHIRElement?, _ owner: FHIRElement, _ path: String, preferring system: FHIRCanonical.CodeSystem
    ) throws -> FHIRCoding {
        let all = codings(concept)
        if let preferred = all.first(where: { canonical.codeSystem($0.system) == system }) { return preferred }
        if let first = all.first { return first }
        throw FHIRDecodingProblem(path: path + ".coding", line: concept?.line ?? owner.line, expected: "a coding with a code")
    }

    private func required<T>(_ value: T?, _ owner: FHIRElement, _ path: @autoclosure () -> String, _ expected: String) throws -> T {
        guard let value else { throw FHIRDecodingProblem(path: path(), line: owner.line, expected: expected) }
        return value
    }

    /// `valueBoolean` of an extension: `true` or `false`, nothing else.
    private func boolean(_ ext: FHIRElement, _ path: @autoclosure () -> String) throws -> Bool {
        guard let element = ext.first("valueBoolean") else {
            throw FHIRDecodingProblem(path: path() + ".valueBoolean", line: ext.line, expected: "a valueBoolean")
        }
        switch element.value {
        case "true": return true
        case "false": return false
        default:
            throw FHIRDecodingProblem(path: path() + ".valueBoolean", line: element.line, value: element.value, expected: "true or false")
        }
    }

    private func decimal(_ element: FHIRElement, _ path: @autoclosure () -> String) throws -> Decimal {
        guard let text = element.value, Self.isDecimal(text), let value = JSONReader.decimal(from: text) else {
            throw FHIRDecodingProblem(path: path(), line: element.line, value: element.value, expected: "a decimal number")
        }
        return value
    }

    private func number(_ element: FHIRElement, _ path: @autoclosure () -> String) throws -> Double {
        guard let text = element.value, Self.isDecimal(text), let value = Double(text), value.isFinite else {
            throw FHIRDecodingProblem(path: path(), line: element.line, value: element.value, expected: "a number")
        }
        return value
    }

    /// FHIR's decimal lexical form: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, leniently
    /// allowing leading zeros.
    static func isDecimal(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits() -> Int {
            let count = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        guard digits() > 0 else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    private static func identifier(_ root: FHIRElement) -> String? {
        root.all("identifier").lazy.compactMap { $0.string("value") }.first { !$0.isEmpty }
    }

    private mutating func note(_ message: String, _ record: FHIRResourceRecord) {
        notes.note(message, at: "\(fileName) \(record.label)")
    }
}
