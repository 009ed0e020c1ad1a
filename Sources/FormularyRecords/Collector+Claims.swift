import FormularyCriteria
import FormularyImport
import FormularyModel

extension RecordCollector {
    /// Pharmacy claims (Blue Button Part D events, CARIN pharmacy EOBs) become fills; professional
    /// and institutional claims give procedure sessions (TMS, ECT, esketamine, psychotherapy),
    /// deliveries and diagnoses.
    func explanationOfBenefit(_ element: FHIRElement, _ context: Context) {
        let types = element.first("type")?.codings(path: "type") ?? []
        let pharmacy = types.contains { ["pharmacy", "pde"].contains($0.code.lowercased()) }
        if pharmacy {
            pharmacyClaim(element, context)
        } else {
            medicalClaim(element, context)
        }
    }

    // MARK: Pharmacy

    func pharmacyClaim(_ element: FHIRElement, _ context: Context) {
        let supply = daysSupply(element, context)
        let denied = element.string("outcome") == "error"
            || (element.all("item").flatMap { $0.all("adjudication") } + element.all("adjudication"))
                .contains { $0.first("category")?.hasCode("denialreason") == true }
        let items = element.all("item")
        if items.isEmpty {
            warn(context, "item", "a pharmacy claim without items names no drug; skipped")
            return
        }
        for (index, item) in items.enumerated() {
            let path = "item[\(index)]"
            let dateText = item.string("servicedDate") ?? item.at("servicedPeriod", "start")?.value ?? element.at("billablePeriod", "start")?.value
            let dateField = item.string("servicedDate") != nil ? "\(path).servicedDate"
                : item.first("servicedPeriod") != nil ? "\(path).servicedPeriod.start" : "billablePeriod.start"
            guard let dateText else {
                warn(context, "\(path).servicedDate", "no fill date (servicedDate, servicedPeriod or billablePeriod); the fill is skipped")
                continue
            }
            guard let date = day(dateText, context, dateField, what: "fill date") else {
                warn(context, dateField, "the fill is skipped (no usable fill date)")
                continue
            }
            var drugs: [(DrugCode, Double?)] = []
            var code = drugCode(concept: item.first("productOrService"), path: "\(path).productOrService", context)
            // Blue Button carries the NDC as an extension of productOrService on some claims.
            for (extIndex, ext) in (item.first("productOrService")?.all("extension") ?? []).enumerated()
            where CodeSystem(ext.string("url")) == .ndc {
                guard let coding = ext.first("valueCoding"), let text = coding.string("code") else { continue }
                if let ndc = Codes.ndc(text) { code.ndc = code.ndc ?? ndc } else {
                    warn(context, "\(path).productOrService.extension[\(extIndex)].valueCoding.code",
                         "\"\(text)\" is not an NDC (11 digits, or 4-4-2, 5-3-2 or 5-4-1 with hyphens); not used as one")
                }
                if code.text == nil { code.text = coding.string("display") }
            }
            let quantity = item.at("quantity", "value")?.number
            if code.ndc != nil || code.rxcui != nil {
                drugs.append((code, quantity))
            }
            // A compound: the drugs are in the item's details.
            for (detailIndex, detail) in item.all("detail").enumerated() {
                let detailCode = drugCode(concept: detail.first("productOrService"), path: "\(path).detail[\(detailIndex)].productOrService", context)
                guard detailCode.ndc != nil || detailCode.rxcui != nil else { continue }
                if drugs.contains(where: { $0.0.ndc != nil && $0.0.ndc == detailCode.ndc }) { continue }
                drugs.append((detailCode, detail.at("quantity", "value")?.number ?? quantity))
            }
            if drugs.isEmpty {
                // No usable code: keep the fill by its name when there is one (a placeholder NDC, a mislabeled code).
                let name = code.text ?? item.first("productOrService")?.conceptText()
                guard let name, !name.isEmpty else {
                    warn(context, "\(path).productOrService", "no NDC, RxNorm code or drug name; the fill is skipped")
                    continue
                }
                drugs.append((DrugCode(text: name), quantity))
            }
            guard let supply else {
                for (drug, _) in drugs {
                    uses.append(RawUse(kind: .request, drug: drug, start: date, end: nil, ongoing: false, endUnknown: false, status: "dispensed",
                                       outcomes: [], note: "a pharmacy claim on \(date) without days' supply: kept for interaction checks, not counted as supply",
                                       medicationOnly: true, sources: [context.source], resource: context.resource, file: context.file))
                }
                counted(context)
                continue
            }
            for (drug, amount) in drugs {
                var fill = RawFill(date: date, drug: drug, daysSupply: supply, quantity: amount, payer: denied ? .cash : .insurance, isClaim: true,
                                   sources: [context.source], resource: context.resource, file: context.file)
                if denied { fill.notes.append("the plan denied this claim: written as paid in cash (needs documentation); check it") }
                fills.append(fill)
                counted(context)
            }
        }
    }

    /// Days' supply from `supportingInfo` (category `dayssupply`): a Quantity, an integer, or the
    /// code of a coding (older CARIN exports). Nil, with a warning, when absent or not a number.
    func daysSupply(_ element: FHIRElement, _ context: Context) -> Int? {
        for (index, info) in element.all("supportingInfo").enumerated() {
            guard let category = info.first("category") else { continue }
            let named = category.hasCode("dayssupply") || category.string("text")?.lowercased().filter({ $0.isLetter }) == "dayssupply"
            guard named else { continue }
            let field = "supportingInfo[\(index)]"
            let text = info.at("valueQuantity", "value")?.value ?? info.string("valueInteger") ?? info.string("valueString")
                ?? info.at("code", "coding")?.string("code")
            guard let text, let number = Double(text.trimmingWhitespace()), number.isFinite else {
                warn(context, field, "days' supply \(text.map { "\"\($0)\"" } ?? "(no value)") is not a number; the fill is kept for interaction checks only")
                return nil
            }
            let days = Int(number.rounded())
            guard (1...400).contains(days) else {
                warn(context, field, "days' supply \(text) is outside 1…400; the fill is kept for interaction checks only")
                return nil
            }
            if Double(days) != number { warn(context, field, "days' supply \(text) rounded to \(days)") }
            return days
        }
        warn(context, "supportingInfo", "no days' supply (supportingInfo dayssupply); the fill is kept for interaction checks, not counted as supply")
        return nil
    }

    // MARK: Professional and institutional

    func medicalClaim(_ element: FHIRElement, _ context: Context) {
        let claimDate = (element.at("billablePeriod", "start")?.value).flatMap { text -> Day? in
            if case .day(let day) = FHIRDate.parse(text) { return day }
            return nil
        }
        var firstLineDate: Day?
        for (index, item) in element.all("item").enumerated() {
            let path = "item[\(index)]"
            let codings = item.first("productOrService")?.codings(path: "\(path).productOrService") ?? []
            var type: String?
            var delivery = false
            var unknown: Coding?
            for coding in codings {
                switch coding.system {
                case .cpt, .hcpcs:
                    if let found = Codes.procedureType(cptOrHCPCS: coding.code) { type = type ?? found }
                    if coding.system == .cpt || coding.code.allSatisfy(\.isNumber), Codes.isDeliveryProcedure(cpt: coding.code) { delivery = true }
                case .other: unknown = unknown ?? coding
                default: continue
                }
            }
            let dateText = item.string("servicedDate") ?? item.at("servicedPeriod", "start")?.value
            let lineDate = dateText.flatMap { text -> Day? in if case .day(let day) = FHIRDate.parse(text) { return day } else { return nil } }
            if firstLineDate == nil { firstLineDate = lineDate }
            guard type != nil || delivery else {
                if let unknown, !codings.contains(where: { $0.system.isKnown }) {
                    warn(context, unknown.path + ".system", "unknown code system \(unknown.system.name); the line is not read")
                } else {
                    let hasNDC = item.first("productOrService")?.all("extension").contains { CodeSystem($0.string("url")) == .ndc } == true
                        || item.all("detail").contains { $0.first("productOrService")?.codings(path: "").contains { $0.system == .ndc } == true }
                    skip(hasNDC ? "drugs given in a clinic on medical claims (not pharmacy fills)" : "claim lines for other services")
                }
                continue
            }
            let field = item.string("servicedDate") != nil ? "\(path).servicedDate" : "\(path).servicedPeriod.start"
            guard let dateText else {
                warn(context, "\(path).servicedDate", "no service date on the line; the \(type ?? "delivery") session is skipped")
                continue
            }
            guard let date = day(dateText, context, field, what: "service date") else { continue }
            if delivery {
                deliveries.append(RawDelivery(date: date, sources: [context.source]))
                counted(context)
            }
            if let type {
                var count = 1
                if let end = (item.at("servicedPeriod", "end")?.value).flatMap({ text -> Day? in
                    if case .day(let day) = FHIRDate.parse(text) { return day } else { return nil }
                }), end > date, let quantity = item.at("quantity", "value")?.number, quantity >= 2 {
                    count = Int(quantity.rounded())
                }
                sessions.append(RawSession(type: type, date: date, count: count, outcome: .unknown, outcomeText: nil, fromClaim: true,
                                           sources: [context.source]))
                counted(context)
            }
        }
        claimDiagnoses(element, context, date: claimDate ?? firstLineDate)
        let procedures = element.all("procedure").count
        if procedures > 0 { skip("inpatient procedure codes (ICD-10-PCS, ICD-9) on claims", procedures) }
    }

    func claimDiagnoses(_ element: FHIRElement, _ context: Context, date: Day?) {
        for (index, diagnosis) in element.all("diagnosis").enumerated() {
            let path = "diagnosis[\(index)].diagnosisCodeableConcept"
            guard let concept = diagnosis.first("diagnosisCodeableConcept") else {
                if diagnosis.first("diagnosisReference") != nil { skip("diagnosis references on claims (the Condition itself is read)") }
                continue
            }
            let codings = concept.codings(path: path)
            if let icd = codings.first(where: { $0.system == .icd10cm }) {
                guard let code = Codes.icd10(icd.code) else {
                    warn(context, icd.path + ".code", "\"\(icd.code)\" is not an ICD-10-CM code; skipped")
                    continue
                }
                diagnosisCode(code, description: icd.display, context, seenOn: date, fromClaim: true)
            } else if let snomed = codings.first(where: { $0.system == .snomed }) {
                snomedDiagnosis(snomed, context, onset: nil, abatement: nil, remitted: false, fromClaim: true, seenOn: date)
            } else if codings.contains(where: { $0.system == .icd9 }) {
                skip("ICD-9-CM diagnosis codes (not read)")
            } else if let other = codings.first(where: { !$0.system.isKnown }) {
                warn(context, other.path + ".system", "unknown code system \(other.system.name) for a diagnosis; skipped")
            } else {
                skip("diagnosis codes the analysis does not use")
            }
        }
    }

    /// An ICD-10-CM code from a claim or a Condition: depression and safety codes are kept, a
    /// delivery dates the postpartum rules, pregnancy codes from claims are not copied (the
    /// analysis would read them as a current pregnancy), the rest is counted and skipped.
    func diagnosisCode(_ code: String, description: String?, _ context: Context, seenOn: Day?, fromClaim: Bool,
                       onset: Day? = nil, abatement: Day? = nil, remitted: Bool = false) {
        if Codes.isDelivery(code), let day = seenOn ?? onset {
            deliveries.append(RawDelivery(date: day, sources: [context.source]))
            counted(context)
            return
        }
        if Codes.isPregnancy(code) {
            if fromClaim || remitted || abatement != nil {
                skip("pregnancy codes from claims or resolved conditions (the analysis reads any as a current pregnancy; add `pregnancy` to conditions if it is)")
                return
            }
        }
        let extra = Codes.extraConditions(icd10: code)
        if !extra.isEmpty {
            for condition in extra {
                conditions.append(RawCondition(condition: condition, note: "ICD-10-CM \(code)" + (description.map { " \($0)" } ?? ""), sources: [context.source]))
            }
            counted(context)
            return
        }
        guard Codes.isDepression(code) || !ClinicalCondition.implied(byICD10: code).isEmpty else {
            skip("diagnosis codes the analysis does not use")
            return
        }
        diagnoses.append(RawDiagnosis(code: code, description: description, onset: onset, abatement: abatement, remitted: remitted,
                                      seenOn: seenOn, fromClaim: fromClaim, sources: [context.source]))
        counted(context)
    }

    /// A SNOMED CT concept: depression concepts become a diagnosis with the ICD-10-CM code the
    /// analysis reads; safety concepts become conditions; the rest is counted and skipped.
    func snomedDiagnosis(_ coding: Coding, _ context: Context, onset: Day?, abatement: Day?, remitted: Bool, fromClaim: Bool, seenOn: Day?) {
        if let depression = Codes.snomedDepression[coding.code] {
            diagnoses.append(RawDiagnosis(code: depression.icd10, description: "SNOMED CT \(coding.code) \(coding.display ?? depression.meaning)",
                                          onset: onset, abatement: abatement, remitted: remitted, seenOn: seenOn, fromClaim: fromClaim,
                                          note: "mapped from SNOMED CT \(coding.code); the ICD-10-CM code does not say the severity",
                                          sources: [context.source]))
            counted(context)
        } else if let safety = Codes.snomedConditions[coding.code] {
            if safety.condition == .pregnancy, fromClaim || remitted || abatement != nil {
                skip("pregnancy codes from claims or resolved conditions (the analysis reads any as a current pregnancy; add `pregnancy` to conditions if it is)")
                return
            }
            conditions.append(RawCondition(condition: safety.condition, note: "SNOMED CT \(coding.code) \(coding.display ?? safety.meaning)",
                                           sources: [context.source]))
            counted(context)
        } else {
            skip("diagnosis codes the analysis does not use")
        }
    }

    // MARK: Dispenses

    func dispense(_ element: FHIRElement, _ context: Context) {
        let status = element.string("status") ?? "completed"
        guard ["completed", "in-progress", "on-hold", "unknown"].contains(status) else {
            skip("dispenses not handed over (status \(status))")
            return
        }
        guard let drug = medicationOf(element, context), !drug.isEmpty else {
            warn(context, "medicationCodeableConcept", "no drug code or name; skipped")
            return
        }
        let field = element.string("whenHandedOver") != nil ? "whenHandedOver" : "whenPrepared"
        guard let text = element.string("whenHandedOver") ?? element.string("whenPrepared") else {
            warn(context, "whenHandedOver", "no dispense date (whenHandedOver, whenPrepared); skipped")
            return
        }
        guard let date = day(text, context, field, what: "dispense date") else {
            warn(context, field, "the dispense is skipped (no usable date)")
            return
        }
        let quantity = element.at("quantity", "value")?.number
        guard let supplyText = element.at("daysSupply", "value")?.value else {
            warn(context, "daysSupply", "no days' supply; kept for interaction checks, not counted as supply")
            uses.append(RawUse(kind: .request, drug: drug, start: date, end: nil, ongoing: false, endUnknown: false, status: "dispensed",
                               note: "dispensed \(date) without days' supply: kept for interaction checks, not counted as supply",
                               medicationOnly: true, sources: [context.source], resource: context.resource, file: context.file))
            counted(context)
            return
        }
        guard let number = Double(supplyText.trimmingWhitespace()), number.isFinite, (1...400).contains(Int(number.rounded())) else {
            warn(context, "daysSupply.value", "days' supply \"\(supplyText)\" is not a number of days (1…400); kept for interaction checks only")
            uses.append(RawUse(kind: .request, drug: drug, start: date, end: nil, ongoing: false, endUnknown: false, status: "dispensed",
                               medicationOnly: true, sources: [context.source], resource: context.resource, file: context.file))
            counted(context)
            return
        }
        fills.append(RawFill(date: date, drug: drug, daysSupply: Int(number.rounded()), quantity: quantity, payer: .insurance, isClaim: false,
                             sources: [context.source], resource: context.resource, file: context.file))
        counted(context)
    }
}
