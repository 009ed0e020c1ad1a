import FormularyCriteria
import FormularyImport
import FormularyModel

extension RecordCollector {
    /// An Observation: a PHQ-9, PHQ-2 or GAD-7 total (LOINC; a number or numeric text), a scale
    /// named in its text (MADRS, HAM-D), a PHQ-9 panel (its items summed) or one PHQ-9 item
    /// (kept for its panel). Anything else (vital signs, labs) is counted and skipped.
    func observation(_ element: FHIRElement, resource: FHIRStreamedResource, _ context: Context) {
        let status = element.string("status") ?? "final"
        guard ["final", "amended", "corrected", "preliminary", "unknown"].contains(status) else {
            skip("observations not final (status \(status))")
            return
        }
        let code = element.first("code")
        let codings = code?.codings(path: "code") ?? []
        let loinc = codings.first { $0.system == .loinc }?.code
        let dateField = element.string("effectiveDateTime") != nil ? "effectiveDateTime"
            : element.first("effectivePeriod") != nil ? "effectivePeriod.start"
            : element.string("effectiveInstant") != nil ? "effectiveInstant" : "issued"
        let dateText = element.string("effectiveDateTime") ?? element.at("effectivePeriod", "start")?.value
            ?? element.string("effectiveInstant") ?? element.string("issued")

        if let loinc, Codes.phq9Items.contains(loinc) {
            // An item: kept for the panel that lists it.
            let value = Self.answerScore(element)
            let day = dateText.flatMap { text -> Day? in if case .day(let day) = FHIRDate.parse(text) { return day } else { return nil } }
            let item = ScoredItem(code: loinc, date: day, value: value, sources: [context.source], file: context.file)
            if let id = resource.id { items["Observation/" + id] = item }
            if let url = resource.fullURL { items[url] = item }
            skip("PHQ-9 item answers (summed through their panel)")
            return
        }
        if loinc == Codes.phq9Panel, element.first("valueQuantity") == nil, element.first("valueInteger") == nil {
            guard let dateText, let date = day(dateText, context, dateField, what: "date") else {
                warn(context, dateField, "no date; the PHQ-9 panel is skipped")
                return
            }
            let members = element.all("hasMember").compactMap(\.reference)
            panels.append(ScorePanel(scale: "PHQ-9", date: date, members: members, sources: [context.source], resource: context.resource,
                                     file: context.file))
            return
        }
        var scale = loinc.flatMap { Codes.loincTotals[$0] }
        if loinc == Codes.phq9Panel { scale = "PHQ-9" }
        if scale == nil, let text = code?.conceptText() { scale = Codes.scale(text: text) }
        guard let scale else {
            if let other = codings.first(where: { !$0.system.isKnown }), !codings.contains(where: { $0.system.isKnown }) {
                warn(context, other.path + ".system", "unknown code system \(other.system.name) for an observation; skipped")
            } else {
                skip("observations that are not depression or anxiety scores")
            }
            return
        }
        guard let dateText else {
            warn(context, "effectiveDateTime", "no date (effective, issued); the \(scale) score is skipped")
            return
        }
        guard let date = day(dateText, context, dateField, what: "date") else {
            warn(context, dateField, "the \(scale) score is skipped (no usable date)")
            return
        }
        guard let (field, written) = Self.valueText(element) else {
            warn(context, "value[x]", "no value; the \(scale) score is skipped")
            return
        }
        guard let value = Double(written.trimmingWhitespace()), value.isFinite else {
            warn(context, field, "\(scale) value \"\(written)\" is not a number; the score is skipped")
            return
        }
        scores.append(RawScore(scale: scale, value: value, date: date, sources: [context.source]))
        counted(context)
    }

    /// The value as written and its field: `valueQuantity.value`, `valueInteger`, `valueDecimal`, `valueString`.
    static func valueText(_ element: FHIRElement) -> (String, String)? {
        if let value = element.at("valueQuantity", "value")?.value { return ("valueQuantity.value", value) }
        for name in ["valueInteger", "valueDecimal", "valueString"] {
            if let value = element.string(name) { return (name, value) }
        }
        if let concept = element.first("valueCodeableConcept") { return ("valueCodeableConcept", concept.conceptText() ?? "(coded)") }
        return nil
    }

    /// An item answer's score: a LOINC answer code (`LA6570-1` = 2), an ordinal value, or a number.
    static func answerScore(_ element: FHIRElement) -> Double? {
        if let concept = element.first("valueCodeableConcept") {
            for coding in concept.all("coding") {
                if let code = coding.string("code"), let score = Codes.answerScores[code] { return score }
            }
            return nil
        }
        if let (_, text) = valueText(element) { return Double(text.trimmingWhitespace()) }
        return nil
    }

    /// A QuestionnaireResponse: a PHQ-9 (its total item, else its nine answers summed) or a
    /// response whose total item is a GAD-7 or PHQ-2 total.
    func questionnaireResponse(_ element: FHIRElement, _ context: Context) {
        let status = element.string("status") ?? "completed"
        guard ["completed", "amended"].contains(status) else {
            skip("questionnaire responses not completed (status \(status))")
            return
        }
        var answers: [(linkID: String, answer: FHIRElement?, path: String)] = []
        func walk(_ node: FHIRElement, _ path: String) {
            for (index, item) in node.all("item").enumerated() {
                let itemPath = "\(path)item[\(index)]"
                let link = item.string("linkId") ?? ""
                answers.append((link, item.first("answer"), itemPath))
                walk(item, itemPath + ".")
            }
        }
        walk(element, "")
        func loinc(_ link: String) -> String? {
            // `/44250-9`, `44250-9`, `phq9-44250-9`: the LOINC code at the end of the link id.
            let tail = link.split(whereSeparator: { $0 == "/" || $0 == "_" || $0 == "." }).last.map(String.init) ?? link
            let parts = tail.split(separator: "-")
            guard parts.count >= 2 else { return nil }
            let candidate = parts.suffix(2).joined(separator: "-")
            return candidate.first?.isNumber == true ? candidate : nil
        }
        let questionnaire = (element.string("questionnaire") ?? "").lowercased()
        let codes = answers.compactMap { loinc($0.linkID) }
        let isPHQ9 = questionnaire.contains("phq-9") || questionnaire.contains("phq9") || questionnaire.contains("44249-1")
            || codes.contains(where: Codes.phq9Items.contains)
        let totalScale = codes.lazy.compactMap { Codes.loincTotals[$0] }.first
        guard isPHQ9 || totalScale != nil else {
            skip("questionnaire responses that are not a PHQ-9, PHQ-2 or GAD-7")
            return
        }
        guard let text = element.string("authored") else {
            warn(context, "authored", "no date (authored); the score is skipped")
            return
        }
        guard let date = day(text, context, "authored", what: "date") else {
            warn(context, "authored", "the score is skipped (no usable date)")
            return
        }
        let scale = isPHQ9 ? "PHQ-9" : totalScale ?? "PHQ-9"
        // The total item, when the response has one.
        for entry in answers {
            guard let code = loinc(entry.linkID), Codes.loincTotals[code] == scale, let answer = entry.answer else { continue }
            guard let (field, written) = Self.valueText(answer) else { continue }
            guard let value = Double(written.trimmingWhitespace()), value.isFinite else {
                warn(context, "\(entry.path).answer.\(field)", "\(scale) total \"\(written)\" is not a number; the score is skipped")
                return
            }
            let sum = Self.sum(answers.filter { loinc($0.linkID).map(Codes.phq9Items.contains) ?? false }.map(\.answer))
            var raw = RawScore(scale: scale, value: value, date: date, sources: [context.source])
            if scale == "PHQ-9", let sum, sum != value {
                warn(context, "\(entry.path).answer", "the PHQ-9 total \(PatientProfileWriter.number(value)) is not the sum of its answers (\(PatientProfileWriter.number(sum))); the total is kept")
                raw.note = "total \(PatientProfileWriter.number(value)); answers sum to \(PatientProfileWriter.number(sum))"
            }
            scores.append(raw)
            counted(context)
            return
        }
        let itemAnswers = answers.filter { loinc($0.linkID).map(Codes.phq9Items.contains) ?? false }
        guard scale == "PHQ-9", itemAnswers.count == 9 else {
            warn(context, "item", "\(itemAnswers.count) of the 9 PHQ-9 answers and no total; the score is skipped")
            return
        }
        guard let sum = Self.sum(itemAnswers.map(\.answer)) else {
            warn(context, "item", "a PHQ-9 answer has no score (a LOINC answer code LA6568-5 … LA6571-9, or a number); the score is skipped")
            return
        }
        scores.append(RawScore(scale: "PHQ-9", value: sum, date: date, note: "the nine answers summed", sources: [context.source]))
        counted(context)
    }

    /// The sum of answers (`valueCoding` LOINC answer codes, an ordinal value extension, or
    /// numbers); nil when one has no score.
    static func sum(_ answers: [FHIRElement?]) -> Double? {
        var total = 0.0
        for answer in answers {
            guard let answer else { return nil }
            if let coding = answer.first("valueCoding") {
                if let code = coding.string("code"), let score = Codes.answerScores[code] {
                    total += score
                    continue
                }
                let ordinal = coding.all("extension").first { ($0.string("url") ?? "").hasSuffix("ordinalValue") || ($0.string("url") ?? "").hasSuffix("itemWeight") }
                if let value = ordinal?.first("valueDecimal")?.number {
                    total += value
                    continue
                }
                return nil
            }
            guard let (_, text) = valueText(answer), let value = Double(text.trimmingWhitespace()) else { return nil }
            total += value
        }
        return total
    }
}
