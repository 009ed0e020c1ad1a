import FormularyCriteria
import FormularyImport
import FormularyModel

extension RecordCollector {
    /// A prescription (MedicationRequest): a trial's start (and end, when the order says), or a
    /// co-medication. Proposals and plans are not taken yet; a self-reported plan is a medication.
    func request(_ element: FHIRElement, _ context: Context) {
        let status = element.string("status") ?? "unknown"
        guard ["active", "on-hold", "completed", "stopped", "unknown"].contains(status) else {
            skip("prescriptions never started (status \(status))")
            return
        }
        let intent = element.string("intent") ?? "order"
        let reported = element.string("reportedBoolean") == "true" || element.first("reportedReference") != nil
        var medicationOnly = false
        switch intent {
        case "order", "original-order", "reflex-order", "filler-order", "instance-order": break
        case "plan" where reported: medicationOnly = true
        default:
            skip("medication proposals and plans (not taken yet)")
            return
        }
        guard let drug = medicationOf(element, context), !drug.isEmpty else {
            warn(context, "medicationCodeableConcept", "no drug code or name; skipped")
            return
        }
        let dosage = element.first("dosageInstruction")
        let bounds = dosage?.at("timing", "repeat", "boundsPeriod")
        let startField = bounds?.string("start") != nil ? "dosageInstruction[0].timing.repeat.boundsPeriod.start" : "authoredOn"
        guard let startText = bounds?.string("start") ?? element.string("authoredOn") else {
            warn(context, "authoredOn", "no date (authoredOn, dosage bounds); skipped")
            return
        }
        guard let start = day(startText, context, startField, what: "start date") else {
            warn(context, startField, "the prescription is skipped (no usable date)")
            return
        }
        let end = bounds?.string("end").flatMap { day($0, context, "dosageInstruction[0].timing.repeat.boundsPeriod.end", what: "end date") }
        var use = RawUse(kind: .request, drug: drug, start: start, end: end, ongoing: ["active", "on-hold"].contains(status) && end == nil,
                         endUnknown: ["completed", "stopped"].contains(status) && end == nil, status: status,
                         medicationOnly: medicationOnly, sources: [context.source], resource: context.resource, file: context.file)
        readDose(dosage, into: &use)
        if let duration = element.at("dispenseRequest", "expectedSupplyDuration", "value")?.number {
            let repeats = element.at("dispenseRequest", "numberOfRepeatsAllowed")?.number ?? 0
            use.note = "prescribed for \(Int(duration)) days" + (repeats > 0 ? " with \(Int(repeats)) refill\(repeats == 1 ? "" : "s")" : "")
        }
        if reported { use.note = [use.note, "self-reported"].compactMap { $0 }.joined(separator: "; ") }
        uses.append(use)
        counted(context)
    }

    /// A statement of use (MedicationStatement): a trial as the chart documents it, with its
    /// outcome in `statusReason` (`inadequate response`, `intolerance`, `n/a (hypnotic)`).
    func statement(_ element: FHIRElement, _ context: Context) {
        let status = element.string("status") ?? "unknown"
        guard ["active", "completed", "stopped", "on-hold", "unknown"].contains(status) else {
            skip("medication statements not taken (status \(status))")
            return
        }
        guard let drug = medicationOf(element, context), !drug.isEmpty else {
            warn(context, "medicationCodeableConcept", "no drug code or name; skipped")
            return
        }
        let period = element.first("effectivePeriod")
        let startField = period?.string("start") != nil ? "effectivePeriod.start" : "effectiveDateTime"
        guard let startText = period?.string("start") ?? element.string("effectiveDateTime") else {
            warn(context, "effectivePeriod.start", "no start date (effectivePeriod, effectiveDateTime); skipped")
            return
        }
        guard let start = day(startText, context, startField, what: "start date") else {
            warn(context, startField, "the statement is skipped (no usable date)")
            return
        }
        var end = period?.string("end").flatMap { day($0, context, "effectivePeriod.end", what: "end date") }
        if let stop = end, stop < start {
            warn(context, "effectivePeriod.end", "ends \(stop), before it starts (\(start)); the end is not used")
            end = nil
        }
        var use = RawUse(kind: .statement, drug: drug, start: start, end: end, ongoing: ["active", "on-hold"].contains(status) && end == nil,
                         endUnknown: ["completed", "stopped"].contains(status) && end == nil, status: status,
                         sources: [context.source], resource: context.resource, file: context.file)
        readDose(element.first("dosage"), into: &use)
        var texts: [String] = []
        for (index, reason) in element.all("statusReason").enumerated() {
            guard let text = reason.conceptText() else { continue }
            guard let outcome = TrialOutcome(text: text) else {
                warn(context, "statusReason[\(index)]", "\"\(text)\" is not an outcome the profile knows (inadequate, partial, intolerance, contraindication, response, n/a); kept as a note")
                use.note = [use.note, "status reason: \(text)"].compactMap { $0 }.joined(separator: "; ")
                continue
            }
            if !use.outcomes.contains(outcome) {
                use.outcomes.append(outcome)
                texts.append(text)
            }
        }
        if !texts.isEmpty { use.outcomeText = texts.joined(separator: ", ") }
        let notes = element.all("note").compactMap { $0.string("text")?.trimmingWhitespace() }.filter { !$0.isEmpty }
        if !notes.isEmpty { use.note = ([use.note].compactMap { $0 } + notes).joined(separator: "; ") }
        uses.append(use)
        counted(context)
    }

    /// Dose per administration and administrations per day from a Dosage.
    func readDose(_ dosage: FHIRElement?, into use: inout RawUse) {
        guard let dosage else { return }
        if let quantity = dosage.at("doseAndRate", "doseQuantity"), let value = quantity.first("value")?.number {
            use.dose = value
            use.doseUnit = (quantity.string("code") ?? quantity.string("unit"))?.trimmingWhitespace()
        }
        if let repeatElement = dosage.at("timing", "repeat") {
            let frequency = repeatElement.first("frequency")?.number ?? 1
            let period = repeatElement.first("period")?.number ?? 1
            let unit = repeatElement.string("periodUnit") ?? "d"
            let perUnit: Double? = switch unit {
            case "d": 1
            case "h": 24
            case "wk": 1.0 / 7
            case "mo": 1.0 / 30
            default: nil
            }
            if let perUnit, period > 0 { use.dosesPerDay = frequency / period * perUnit }
        }
        if let text = dosage.string("text") { use.frequencyText = text }
    }

    /// An AllergyIntolerance to a medicine: evidence of intolerance of that drug on its date.
    func allergy(_ element: FHIRElement, _ context: Context) {
        if element.at("verificationStatus").map({ $0.hasCode("refuted") }) == true {
            skip("allergies refuted")
            return
        }
        let categories = element.all("category").compactMap(\.value)
        if !categories.isEmpty, !categories.contains("medication") {
            skip("allergies that are not to a medicine")
            return
        }
        let drug = drugCode(concept: element.first("code"), path: "code", context)
        guard drug.ndc != nil || drug.rxcui != nil || !(drug.text ?? "").isEmpty else {
            warn(context, "code", "no substance code or name; skipped")
            return
        }
        let candidates: [(String, String?)] = [("onsetDateTime", element.string("onsetDateTime")),
                                               ("reaction[0].onset", element.at("reaction", "onset")?.value),
                                               ("recordedDate", element.string("recordedDate")),
                                               ("lastOccurrence", element.string("lastOccurrence"))]
        guard let (field, text) = candidates.first(where: { $0.1 != nil }), let text else {
            warn(context, "onsetDateTime", "no date (onset, reaction onset, recordedDate); intolerance evidence needs one; skipped")
            return
        }
        guard let date = day(text, context, field, what: "date") else {
            warn(context, field, "intolerance evidence needs a date; skipped")
            return
        }
        let reactions = element.all("reaction").flatMap { $0.all("manifestation") }.compactMap { $0.conceptText() }
        let kind = element.string("type") ?? "intolerance"
        var note = "\(kind) recorded \(field == "recordedDate" ? "on" : "from") \(date)"
        if !reactions.isEmpty { note += ": " + reactions.joined(separator: ", ") }
        if let severity = element.at("reaction", "severity")?.value { note += " (\(severity))" }
        intolerances.append(RawIntolerance(drug: drug, date: date, note: note, sources: [context.source]))
        counted(context)
    }
}
