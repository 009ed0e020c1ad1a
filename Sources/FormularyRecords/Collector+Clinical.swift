import FormularyCriteria
import FormularyImport
import FormularyModel

extension RecordCollector {
    /// A Condition: ICD-10-CM first, else SNOMED CT mapped to the depression and safety
    /// conditions the analysis uses, else its text when it names a safety condition.
    func condition(_ element: FHIRElement, _ context: Context) {
        if element.at("verificationStatus").map({ $0.hasCode("refuted") }) == true {
            skip("conditions refuted")
            return
        }
        let status = element.first("clinicalStatus")
        let remitted = status.map { $0.hasCode("remission") || $0.hasCode("resolved") || $0.hasCode("inactive") } ?? false
        let onsetField = element.string("onsetDateTime") != nil ? "onsetDateTime" : "onsetPeriod.start"
        let onset = (element.string("onsetDateTime") ?? element.at("onsetPeriod", "start")?.value).flatMap { day($0, context, onsetField, what: "onset") }
        let abatementField = element.string("abatementDateTime") != nil ? "abatementDateTime" : "abatementPeriod.end"
        var abatement = (element.string("abatementDateTime") ?? element.at("abatementPeriod", "end")?.value)
            .flatMap { day($0, context, abatementField, what: "abatement") }
        if let end = abatement, let start = onset, end < start {
            warn(context, abatementField, "abates \(end), before its onset \(start); not used")
            abatement = nil
        }
        let codings = element.first("code")?.codings(path: "code") ?? []
        let recorded = element.string("recordedDate")
        if let icd = codings.first(where: { $0.system == .icd10cm }) {
            guard let code = Codes.icd10(icd.code) else {
                warn(context, icd.path + ".code", "\"\(icd.code)\" is not an ICD-10-CM code; skipped")
                return
            }
            let before = diagnoses.count
            diagnosisCode(code, description: icd.display ?? element.first("code")?.conceptText(), context, seenOn: nil, fromClaim: false,
                          onset: onset, abatement: abatement, remitted: remitted)
            if diagnoses.count > before, onset == nil, Codes.isDepression(code) {
                diagnoses[diagnoses.count - 1].note = "onset not recorded" + (recorded.map { " (recorded \($0.prefix(10)))" } ?? "")
                    + ": the current episode's start is unknown"
            }
            return
        }
        if let snomed = codings.first(where: { $0.system == .snomed }) {
            snomedDiagnosis(snomed, context, onset: onset, abatement: abatement, remitted: remitted, fromClaim: false, seenOn: nil)
            return
        }
        if codings.contains(where: { $0.system == .icd9 }) {
            skip("ICD-9-CM diagnosis codes (not read)")
            return
        }
        if let text = element.first("code")?.conceptText(), let condition = ClinicalCondition(text: text) {
            conditions.append(RawCondition(condition: condition, note: "condition named \"\(text)\"", sources: [context.source]))
            counted(context)
            return
        }
        if let other = codings.first(where: { !$0.system.isKnown }) {
            warn(context, other.path + ".system", "unknown code system \(other.system.name) for a condition; skipped")
            return
        }
        if codings.isEmpty {
            warn(context, "code", "no ICD-10-CM or SNOMED CT code; skipped")
            return
        }
        skip("diagnosis codes the analysis does not use")
    }

    /// A Procedure: a session of TMS, ECT, esketamine or psychotherapy (CPT/HCPCS, SNOMED CT or
    /// its text), or a delivery (postpartum rules).
    func procedure(_ element: FHIRElement, _ context: Context) {
        let status = element.string("status") ?? "completed"
        guard ["completed", "in-progress", "unknown"].contains(status) else {
            skip("procedures not done (status \(status))")
            return
        }
        let code = element.first("code")
        let codings = code?.codings(path: "code") ?? []
        var type: String?
        var delivery = false
        for coding in codings {
            switch coding.system {
            case .cpt, .hcpcs:
                type = type ?? Codes.procedureType(cptOrHCPCS: coding.code)
                if Codes.isDeliveryProcedure(cpt: coding.code) { delivery = true }
            case .snomed:
                if let found = Codes.snomedProcedures[coding.code] {
                    if found == "delivery" { delivery = true } else { type = type ?? found }
                }
            default: continue
            }
        }
        if type == nil, !delivery, let text = code?.conceptText() {
            type = Codes.procedureType(text: text)
        }
        guard type != nil || delivery else {
            if let other = codings.first(where: { !$0.system.isKnown }), !codings.contains(where: { $0.system.isKnown }) {
                warn(context, other.path + ".system", "unknown code system \(other.system.name) for a procedure; skipped")
            } else {
                skip("procedures the analysis does not use")
            }
            return
        }
        let field = element.string("performedDateTime") != nil ? "performedDateTime" : "performedPeriod.start"
        guard let text = element.string("performedDateTime") ?? element.at("performedPeriod", "start")?.value else {
            warn(context, "performedDateTime", "no date (performedDateTime, performedPeriod); skipped")
            return
        }
        guard let date = day(text, context, field, what: "date") else {
            warn(context, field, "the procedure is skipped (no usable date)")
            return
        }
        if delivery {
            deliveries.append(RawDelivery(date: date, sources: [context.source]))
            counted(context)
            return
        }
        guard let type else { return }
        var outcome = ProcedureOutcome.unknown
        var outcomeText: String?
        if let text = element.first("outcome")?.conceptText() {
            if let parsed = ProcedureOutcome(text: text) {
                outcome = parsed
                outcomeText = text
            } else {
                warn(context, "outcome", "\"\(text)\" is not an outcome the profile knows (no remission, remission, response, ongoing); not used")
            }
        }
        sessions.append(RawSession(type: type, date: date, count: 1, outcome: outcome, outcomeText: outcomeText, fromClaim: false,
                                   sources: [context.source]))
        counted(context)
    }

    /// Birth date, sex and state; names and identifiers are only remembered to keep them out.
    func patient(_ element: FHIRElement, _ context: Context) {
        noteSensitive(names: element.all("name"), identifiers: element.all("identifier"))
        var facts = RawDemographics(sources: [context.source])
        facts.birthDate = element.string("birthDate").flatMap { day($0, context, "birthDate", what: "birth date") }
        switch element.string("gender") {
        case "female": facts.sex = .female
        case "male": facts.sex = .male
        case "other": facts.sex = .other
        default: break
        }
        let addresses = element.all("address")
        let home = addresses.first { $0.string("use") == "home" && $0.first("period")?.first("end") == nil } ?? addresses.first
        if let text = home?.string("state") {
            if let state = Codes.state(text) { facts.state = state } else {
                warn(context, "address.state", "\"\(text)\" is not a US state; not used")
            }
        }
        if let text = element.string("deceasedDateTime"), let deceased = day(text, context, "deceasedDateTime", what: "date of death") {
            if deceased == facts.birthDate {
                warn(context, "deceasedDateTime", "the date of death equals the birth date (a placeholder?); not used")
            } else {
                facts.deceased = deceased
            }
        }
        guard facts.birthDate != nil || facts.sex != nil || facts.state != nil else {
            skip("resources not used: Patient (no birth date, sex or state)")
            return
        }
        demographics.append(facts)
        counted(context)
    }

    /// A Coverage whose plan class is a formulary plan id (`H9990-001-000`, a 14-character HIOS
    /// id) names the plan; its member and subscriber ids are only remembered to keep them out.
    func coverage(_ element: FHIRElement, _ context: Context) {
        noteSensitive(names: [], identifiers: element.all("identifier"))
        if let subscriber = element.string("subscriberId"), subscriber.count >= 3 { sensitive.insert(subscriber.lowercased()) }
        if element.string("status") == "cancelled" {
            skip("coverages cancelled")
            return
        }
        let planValues = element.all("class").filter { $0.first("type")?.hasCode("plan") == true }.compactMap { $0.string("value") }
        for value in planValues {
            if let plan = Self.planID(value) {
                plans.append((plan, context.source))
                counted(context)
                return
            }
        }
        skip("coverages without a formulary plan id (Part D H1234-567-000, or a 14-character HIOS id)")
    }

    /// `H9990-001-000`, `H9990-001` (segment 000), or a HIOS plan id `99990AZ0010001`.
    static func planID(_ text: String) -> String? {
        let value = text.trimmingWhitespace().uppercased()
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if (2...3).contains(parts.count), parts[0].count == 5, let first = parts[0].first, "HRSE".contains(first),
           parts[0].dropFirst().allSatisfy(\.isNumber), parts[1].count == 3, parts[1].allSatisfy(\.isNumber),
           parts.count == 2 || (parts[2].count == 3 && parts[2].allSatisfy(\.isNumber)) {
            return parts.count == 2 ? value + "-000" : value
        }
        let chars = Array(value)
        if chars.count == 14, chars[0..<5].allSatisfy(\.isNumber), chars[5..<7].allSatisfy({ $0.isLetter && $0.isASCII }),
           chars[7..<14].allSatisfy(\.isNumber) {
            return value
        }
        return nil
    }
}
