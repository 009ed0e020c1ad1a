import FormularyAnalysis
import FormularyCriteria
import Foundation

/// A draft letter of medical necessity in the words a prescriber would sign: the diagnosis and
/// episode, the severity from the latest scores, every trial that counts toward the plan's
/// criteria (drug, dose, dates, outcome), how each other requirement is met, the safety review
/// and any exception requested. Everything comes from the analysis's evidence; internal codes
/// (rule ids, adequacy rules, safety-rule numbers, patient-file field names) never reach it.
/// Every fact the analysis does not hold (names, member id, signature, a missing record) is a
/// visible blank, and the whole letter is marked as a draft; nothing is sent by the tool.
struct MedicalNecessityLetter {
    var plan: PlanResult
    var option: OptionResult
    var asOf: Day

    func blocks() -> [Block] {
        let name = VerdictWording.optionName(option)
        let applied = option.rules.filter(\.applied)
        let criteria = applied.flatMap(\.criteria)
        var blocks: [Block] = []
        blocks.append(.paragraph([.strong("DRAFT: for the prescriber to review, edit and sign. "),
                                  .text("Generated from the analysis as of \(TextFormat.day(asOf)). Check every statement against the chart, fill in each highlighted blank, and remove anything that does not apply. The tool sends nothing.")]))
        blocks.append(.paragraph([.placeholder("Date")]))
        let department = option.coverage.benefit == "medical" ? "medical prior authorization" : "pharmacy prior authorization"
        blocks.append(.paragraph([.strong("To: "), .text("\(plan.planName ?? plan.planID), \(department)")]))
        var subject: [Inline] = [.strong("Re: "), .text("Request for coverage of \(name)")]
        if !option.coverage.codes.isEmpty { subject.append(.text(" (billing codes \(option.coverage.codes.joined(separator: ", ")))")) }
        blocks.append(.paragraph(subject))
        blocks.append(.paragraph([.strong("Patient: "), .placeholder("Patient name"), .text(", date of birth "), .placeholder("DOB"),
                                  .text(", member ID "), .placeholder("Member ID")]))
        blocks.append(.paragraph([.text("Dear reviewer,")]))

        blocks.append(.paragraph(opening(name: name, criteria: criteria)))
        blocks.append(.paragraph(severity()))

        let history = treatmentHistory(criteria)
        if history.isEmpty {
            blocks.append(.paragraph([.text("Treatment so far: "), .placeholder("the antidepressant trials in this episode, with dose, dates and response")]))
        } else {
            blocks.append(.paragraph([.text("Treatment the patient has had, as your criteria count it:")]))
            blocks.append(.list(history))
        }
        let requirements = requirementSentences(applied)
        if !requirements.isEmpty {
            blocks.append(.paragraph([.text("In addition:")]))
            blocks.append(.list(requirements))
        }
        if !option.safety.isEmpty {
            blocks.append(.paragraph([.text("I have reviewed the safety considerations for this treatment:")]))
            blocks.append(.list(option.safety.map { [.text(Self.plain(TextFormat.clause($0.message)) + ".")] }))
        }
        for ground in option.exceptionGrounds {
            var line: [Inline] = [.text("I also request an exception: \(Self.plain(TextFormat.clause(ground.description)))")]
            if let citation = ground.citation.map(Self.plainCitation), !citation.isEmpty { line.append(.text(" (\(citation))")) }
            if let hours = ground.decisionHours { line.append(.text(". Please decide within \(TextFormat.hours(hours))")) }
            line.append(.text("."))
            blocks.append(.paragraph(line))
        }
        blocks.append(.paragraph([.text("For these reasons, \(name) is medically necessary for this patient. Please contact my office at "),
                                  .placeholder("phone"), .text(" with any questions.")]))
        blocks.append(.paragraph([.text("Sincerely,")]))
        blocks.append(.paragraph([.placeholder("Prescriber name, credentials")]))
        blocks.append(.paragraph([.text("NPI "), .placeholder("NPI"), .text(" · "), .placeholder("Practice name and address")]))
        return blocks
    }

    // MARK: Paragraphs

    func opening(name: String, criteria: [CriterionResult]) -> [Inline] {
        var seen = Set<String>()
        let diagnoses = (criteria + allCriteria).flatMap(\.evidence).filter { $0.kind == .diagnosis && $0.counts }
            .filter { seen.insert($0.value ?? $0.detail).inserted }
        var text: [Inline] = [.text("I am writing to request coverage of \(name) for my patient, whom I treat for ")]
        guard let first = diagnoses.first, let code = first.value else {
            return text + [.placeholder("diagnosis and ICD-10 code"), .text(".")]
        }
        let words = diagnoses.compactMap { evidence in evidence.value.map { code in Self.diagnosisWords(code).map { "\($0) (\(code))" } ?? code } }
        text.append(.text(words.joined(separator: "; ")))
        if let start = first.from, code.uppercased().hasPrefix("F3") { text.append(.text(", in the current episode since \(Self.longDay(start))")) }
        text.append(.text("."))
        return text
    }

    /// "The most recent PHQ-9 score is 19 (Mar 10, 2025), in the moderately severe range."
    func severity() -> [Inline] {
        let scores = latestScores()
        guard !scores.isEmpty else {
            return [.text("Current severity: "), .placeholder("most recent PHQ-9 or MADRS score and date"), .text(".")]
        }
        let parts = scores.map { score -> String in
            var text = "\(score.scale) \(score.value)" + (score.day.map { " on \(Self.longDay($0))" } ?? "")
            if let band = Self.band(scale: score.scale, value: score.value) { text += " (\(band))" }
            return text
        }
        var out: [Inline] = [.text("Current severity: the most recent " + (parts.count == 1 ? "score is " : "scores are ") + parts.joined(separator: "; ") + ".")]
        if !scores.contains(where: { $0.scale.uppercased() == "MADRS" }) {
            out += [.text(" "), .placeholder("MADRS or other clinician-rated score and date, if measured")]
        }
        return out
    }

    /// The most recent score of each scale on or before the as-of date: the analysis's
    /// `PlanResult.scores` (schema 1.1 addition), else the scores its criteria quote (older
    /// analyses carry scores only where a rule reads them).
    func latestScores() -> [(scale: String, value: String, day: Day?)] {
        var best: [String: (scale: String, value: String, day: Day?)] = [:]
        if let scores = plan.scores, !scores.isEmpty {
            for score in scores where score.date <= asOf {
                if let current = best[score.scale.uppercased()], let day = current.day, score.date < day { continue }
                let value = score.value == score.value.rounded() ? String(Int(score.value)) : String(score.value)
                best[score.scale.uppercased()] = (score.scale, value, score.date)
            }
            return best.values.sorted { $0.scale < $1.scale }
        }
        for evidence in allCriteria.flatMap(\.evidence) where evidence.kind == .score {
            guard let (scale, value) = Self.score(evidence) else { continue }
            if let current = best[scale.uppercased()], let day = current.day, let new = evidence.from, new <= day { continue }
            best[scale.uppercased()] = (scale, value, evidence.from)
        }
        return best.values.sorted { $0.scale < $1.scale }
    }

    /// The scale and value of a score evidence: the analyzer writes value "19" and detail
    /// "PHQ-9 19 on 2025-03-10 (most recent)"; older analyses value "PHQ-9 19".
    static func score(_ evidence: Evidence) -> (scale: String, value: String)? {
        let text = [evidence.value, evidence.detail].compactMap { $0 }.joined(separator: " ")
        guard let match = text.firstMatch(of: /(?i)\b(PHQ-?9|MADRS|HAM-?D(?:-17)?|HDRS|HRSD|BDI(?:-II)?|QIDS(?:-SR)?|Zung)\b/) else { return nil }
        let scale = String(match.1)
        if let value = evidence.value, Int(value) != nil { return (scale, value) }
        let rest = text[match.range.upperBound...]
        guard let number = rest.firstMatch(of: /\d+/) else { return nil }
        return (scale, String(number.0))
    }

    var allCriteria: [CriterionResult] { plan.options.flatMap(\.rules).filter(\.applied).flatMap(\.criteria) }

    /// Every trial and claim that counts toward the option's criteria (met or not: S2's one
    /// counting trial belongs in the letter), plus records to enclose for criteria met only with
    /// them, and psychotherapy, once per record.
    func treatmentHistory(_ criteria: [CriterionResult]) -> [[Inline]] {
        var seen = Set<String>()
        var trials: [[Inline]] = []
        var claimsByDrug: [(drug: String, from: Day?, through: Day?, value: String?, enclosed: Bool)] = []
        var therapy: [[Inline]] = []
        for criterion in criteria where !Self.isCurrentTherapy(criterion) {
            for evidence in criterion.evidence where [.trial, .claim, .procedure].contains(evidence.kind)
                && (evidence.counts || criterion.status == .needsDocumentation) {
                let enclosed = !evidence.counts || criterion.status == .needsDocumentation
                let key = evidence.ref ?? ((evidence.drug ?? "") + "|" + (evidence.from?.description ?? ""))
                guard seen.insert(key).inserted else { continue }
                switch evidence.kind {
                case .procedure:
                    var line: [Inline] = [.strong(Self.plain(evidence.drug ?? "Psychotherapy"))]
                    if let value = evidence.value { line.append(.text(", \(value)")) }
                    let range = Self.longRange(evidence.from, evidence.through)
                    if !range.isEmpty { line.append(.text(", \(range)")) }
                    line.append(.text(": \(Self.plain(Self.procedureOutcome(evidence)))."))
                    therapy.append(line)
                case .claim:
                    let drug = evidence.drug ?? "medication"
                    if let index = claimsByDrug.firstIndex(where: { $0.drug == drug }) {
                        if let from = evidence.from, claimsByDrug[index].from.map({ from < $0 }) ?? true { claimsByDrug[index].from = from }
                        let through = evidence.through ?? evidence.from
                        if let through, claimsByDrug[index].through.map({ through > $0 }) ?? true { claimsByDrug[index].through = through }
                        claimsByDrug[index].enclosed = claimsByDrug[index].enclosed || enclosed
                    } else {
                        claimsByDrug.append((drug, evidence.from, evidence.through ?? evidence.from, evidence.value, enclosed))
                    }
                default:
                    trials.append(trialLine(evidence, enclosed: enclosed))
                }
            }
        }
        // Pharmacy fills of a drug whose chart trial is already listed add nothing.
        let trialDrugs = Set(trials.compactMap { line -> String? in if case .strong(let drug)? = line.first { drug.lowercased() } else { nil } })
        let claims: [[Inline]] = claimsByDrug.filter { !trialDrugs.contains($0.drug.lowercased()) }.map { claim in
            var line: [Inline] = [.strong(claim.drug)]
            if let value = claim.value, value != claim.drug { line.append(.text(" \(value)")) }
            let range = Self.longRange(claim.from, claim.through)
            line.append(.text(", filled at the pharmacy" + (range.isEmpty ? "" : " \(range)") + "."))
            if claim.enclosed { line.append(.text(" Pharmacy records enclosed.")) }
            return line
        }
        return trials + claims + therapy
    }

    /// "sertraline 150 mg/day, January 10, 2024 – April 30, 2024 (16 weeks): inadequate response."
    func trialLine(_ evidence: Evidence, enclosed: Bool) -> [Inline] {
        let trial = evidence.ref.flatMap { ref in plan.trials.first { $0.ref == ref } }
        let drug = trial?.drug ?? evidence.drug ?? "antidepressant"
        var line: [Inline] = [.strong(drug)]
        if let dose = TextFormat.dose(trial?.mgPerDay, drug: drug) ?? (trial == nil ? evidence.value : nil) { line.append(.text(" \(dose)")) }
        let start = trial?.start ?? evidence.from
        let end = trial?.end ?? evidence.through
        let dates = Self.longRange(start, end)
        if !dates.isEmpty { line.append(.text(", \(dates)")) }
        let weeks = trial.flatMap { $0.daysOnDrug >= 14 ? "\($0.daysOnDrug / 7) weeks" : nil }
        switch (end == nil && start != nil, weeks) {
        case (true, let weeks?): line.append(.text(" (ongoing, \(weeks) so far)"))
        case (true, nil): line.append(.text(" (ongoing)"))
        case (false, let weeks?): line.append(.text(" (\(weeks))"))
        case (false, nil): break
        }
        let outcome = trial.map { Self.outcomeWords($0.effectiveOutcome) } ?? Self.plain(TextFormat.clause(evidence.detail))
        line.append(.text(": \(outcome)."))
        if enclosed {
            var why = "Records enclosed"
            if trial?.previousPlan == true { why += " (filled under a previous plan)" } else if trial?.paidInCash == true { why += " (paid without insurance)" }
            line.append(.text(" \(why)."))
        }
        return line
    }

    /// Each other requirement as a sentence the prescriber can sign, or a blank for what is not
    /// documented yet. Diagnosis, age, scores and trials are in the paragraphs above.
    func requirementSentences(_ rules: [RuleResult]) -> [[Inline]] {
        var out: [[Inline]] = []
        var seen = Set<String>()
        for rule in rules {
            for criterion in rule.criteria {
                let kinds = Set(criterion.evidence.map(\.kind))
                let met = criterion.status == .met || criterion.status == .needsDocumentation
                if met, !kinds.isDisjoint(with: [.diagnosis, .demographics, .score]) { continue }
                if met, !kinds.isDisjoint(with: [.trial, .claim, .procedure]), !Self.isCurrentTherapy(criterion) { continue }
                guard let sentence = sentence(criterion) else { continue }
                guard seen.insert(Self.plainText(sentence)).inserted else { continue }
                out.append(sentence)
            }
        }
        return out
    }

    /// "an antidepressant claim covering the as-of date": the drug the patient takes now.
    static func isCurrentTherapy(_ criterion: CriterionResult) -> Bool {
        criterion.id == "concurrent-ad" || criterion.label.contains("covering the as-of date")
    }

    func sentence(_ criterion: CriterionResult) -> [Inline]? {
        let met = criterion.status == .met || criterion.status == .needsDocumentation
        let flag = criterion.evidence.first { $0.kind == .flag }
        switch (flag?.ref, met) {
        case ("flags.prescriberSpecialty"?, true):
            return [.text("I am the patient's treating \(flag?.value == "psychiatry" ? "psychiatrist" : "prescriber (\(flag?.value ?? ""))").")]
        case (_, true) where criterion.label.lowercased().contains("psychiatr"):
            return [.text("I am the patient's treating psychiatrist.")]
        case ("flags.remsSite"?, true):
            return [.text("Treatment will be given at a healthcare setting certified in the Spravato REMS program, with the required monitoring after each dose: "),
                    .placeholder("treatment site name"), .text(".")]
        case ("flags.pdmpAttested"?, true):
            return [.text("I have reviewed the patient's record in the state prescription drug monitoring program (PDMP).")]
        case ("flags.medwatchFiled"?, true):
            return [.text("I have reported the adverse outcome to the FDA on MedWatch Form 3500 (copy enclosed).")]
        default:
            break
        }
        if let safetyRule = Self.safetyRule(criterion) {
            if met { return [.text("The patient has no contraindication to this treatment: \(Self.contraindicationWords(safetyRule)).")] }
            return [.placeholder("contraindication to review: \(Self.plain(criterion.detail))")]
        }
        if Self.isCurrentTherapy(criterion), met, let current = criterion.evidence.first(where: { $0.counts && $0.drug != nil }) {
            return [.text("The patient currently takes \(current.drug ?? "an antidepressant")\(current.value.map { " \($0)" } ?? ""), which will continue.")]
        }
        if met {
            return [.text(Self.sentenceCase(Self.plain(TextFormat.clause(criterion.detail))) + ".")]
        }
        var needed = Self.plain(criterion.documentationNeeded ?? criterion.label)
        // For trials, what the records show so far says what is still missing.
        if criterion.evidence.contains(where: { [.trial, .claim].contains($0.kind) }) { needed = Self.plain(criterion.detail) + " (" + needed + ")" }
        return [.placeholder("not yet documented: \(needed); complete or remove before sending")]
    }

    // MARK: Words

    /// "S11" from a contraindication criterion ("no contraindication (S11)", id "no-s11").
    static func safetyRule(_ criterion: CriterionResult) -> String? {
        if let match = criterion.id.wholeMatch(of: /no-s(\d+)/) { return "S" + match.1 }
        if let match = criterion.label.firstMatch(of: /contraindication \((S\d+)\)/) { return String(match.1) }
        return nil
    }

    static func contraindicationWords(_ rule: String) -> String {
        switch rule {
        case "S11": "no aneurysmal vascular disease, arteriovenous malformation or history of intracerebral hemorrhage"
        case "S14": "no seizure disorder and no implanted metal or device near the head"
        case "S5": "no seizure disorder, eating disorder or abrupt withdrawal from alcohol or sedatives"
        default: SafetyWording.topic(rule)
        }
    }

    static func outcomeWords(_ outcome: String) -> String {
        switch outcome.lowercased() {
        case "inadequate": "inadequate response"
        case "partial": "partial response only"
        case "intolerance": "stopped because of side effects"
        case "response": "response"
        case "confounded": "worsening after a change of generic manufacturer"
        default: outcome
        }
    }

    static func procedureOutcome(_ evidence: Evidence) -> String {
        evidence.detail.lowercased().contains("no remission") ? "no remission" : TextFormat.clause(evidence.detail)
    }

    /// ICD-10-CM depression codes in words (DOMAIN.md §1d); other codes stay codes.
    static func diagnosisWords(_ code: String) -> String? {
        switch code.uppercased() {
        case "F32.0": "major depressive disorder, single episode, mild"
        case "F32.1": "major depressive disorder, single episode, moderate"
        case "F32.2": "major depressive disorder, single episode, severe without psychotic features"
        case "F32.3": "major depressive disorder, single episode, severe with psychotic features"
        case "F32.4": "major depressive disorder, single episode, in partial remission"
        case "F32.5": "major depressive disorder, single episode, in full remission"
        case "F32.9", "F32.A": "major depressive disorder, single episode, unspecified"
        case "F33.0": "major depressive disorder, recurrent, mild"
        case "F33.1": "major depressive disorder, recurrent, moderate"
        case "F33.2": "major depressive disorder, recurrent, severe without psychotic features"
        case "F33.3": "major depressive disorder, recurrent, severe with psychotic features"
        case "F33.40", "F33.41", "F33.42": "major depressive disorder, recurrent, in remission"
        case "F33.9": "major depressive disorder, recurrent, unspecified"
        case "F53.0": "postpartum depression"
        default: nil
        }
    }

    /// The PHQ-9's published severity bands (Kroenke, Spitzer & Williams 2001) and MADRS's
    /// commonly used ones (Snaith et al. 1986); other scales get none.
    static func band(scale: String, value: String) -> String? {
        guard let score = Int(value) else { return nil }
        switch scale.uppercased() {
        case "PHQ-9", "PHQ9":
            return switch score {
            case ..<5: "minimal"
            case 5..<10: "mild"
            case 10..<15: "moderate"
            case 15..<20: "moderately severe"
            default: "severe"
            }
        case "MADRS":
            return switch score {
            case ..<7: "normal"
            case 7..<20: "mild"
            case 20..<35: "moderate"
            default: "severe"
            }
        default: return nil
        }
    }

    private static let longMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// "March 20, 2025", as a letter writes dates.
    static func longDay(_ day: Day) -> String { "\(longMonths[max(0, min(11, day.month - 1))]) \(day.day), \(day.year)" }

    static func longRange(_ from: Day?, _ through: Day?) -> String {
        switch (from, through) {
        case let (from?, through?): from == through ? longDay(from) : "\(longDay(from)) to \(longDay(through))"
        case let (from?, nil): "since \(longDay(from))"
        case let (nil, through?): "through \(longDay(through))"
        case (nil, nil): ""
        }
    }

    static func sentenceCase(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// Text with the analysis's internal names replaced by words: adequacy rules (ADQ-TRD,
    /// ADQ-ST), rule and overlay ids (PA-ESK, ST-2G, AZ-ST-EXCEPTION), safety-rule numbers
    /// (S11), patient-file field names (remsSite, flags.x, trials[0]) and the project's own
    /// reference file.
    static func plain(_ text: String) -> String {
        var out = PlainWords.sentence(text)
        out = out.replacing(/ADQ-TRD trials?/, with: { match in match.output.hasSuffix("s") ? "adequate antidepressant trials" : "adequate antidepressant trial" })
        out = out.replacing(/ADQ-ST\d*:?\s*/, with: "")
        out = out.replacing(/\b(PA|ST)-[A-Z0-9+-]+\b/, with: "")
        out = out.replacing(/\s*\(S\d+( [A-Za-z]+)?\)/, with: "")
        out = out.replacing(/\bS\d{1,2}\b:?\s*/, with: "")
        out = out.replacing(/\b(flags|patient|trials|claims|history|current|scores|procedures|diagnoses)(\.[A-Za-z]+|\[\d+\])+/, with: "")
        out = out.replacing(/\b(remsSite|pdmpAttested|prescriberSpecialty|medwatchFiled|highSuicideRisk|priorECTResponse|clinicianConfirmed)\b:?/, with: "")
        out = out.replacing(/\s*[—-]?\s*\(?DOMAIN\.md §[\d.]+[^);]*\)?/, with: "")
        out = out.replacing(/\s{2,}/, with: " ")
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// A legal or policy citation without the project's own file name.
    static func plainCitation(_ text: String) -> String {
        plain(text).trimmingCharacters(in: CharacterSet(charactersIn: " ;,"))
    }

    static func plainText(_ inlines: [Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text), .strong(let text), .emphasis(let text), .code(let text), .placeholder(let text): text
            case .badge(let badge): badge.text
            case .lineBreak: " "
            }
        }.joined()
    }
}
