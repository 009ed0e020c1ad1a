import FormularyAnalysis
import FormularyCriteria

/// A draft letter of medical necessity filled from the analysis's evidence: diagnosis,
/// treatment history, each criterion and how it is met, safety, and exception grounds. Every
/// fact the analysis does not hold (names, member id, signature) is a visible blank, and the
/// whole letter is marked as a draft for the prescriber to edit; nothing is sent by the tool.
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
        if !option.coverage.codes.isEmpty { subject.append(.text(" (\(option.coverage.codes.joined(separator: ", ")))")) }
        blocks.append(.paragraph(subject))
        blocks.append(.paragraph([.strong("Patient: "), .placeholder("Patient name"), .text(", date of birth "), .placeholder("DOB"),
                                  .text(", member ID "), .placeholder("Member ID")]))
        blocks.append(.paragraph([.text("Dear reviewer,")]))

        let diagnoses = unique(criteria.flatMap(\.evidence).filter { $0.kind == .diagnosis && $0.counts }.compactMap { $0.value ?? $0.detail })
        var opening: [Inline] = [.text("I am writing to request coverage of \(name) for my patient, whom I treat for ")]
        opening += diagnoses.isEmpty ? [.placeholder("diagnosis and ICD-10 code")] : [.text(diagnoses.joined(separator: ", "))]
        opening.append(.text(". "))
        opening.append(.placeholder("One or two sentences on the current episode, symptoms and severity"))
        blocks.append(.paragraph(opening))

        let history = treatmentHistory(criteria)
        if !history.isEmpty {
            blocks.append(.paragraph([.text("Treatment history relevant to this request:")]))
            blocks.append(.list(history))
        }
        for rule in applied {
            var line: [Inline] = [.text("Your policy \(rule.ruleID)")]
            if let title = rule.title { line.append(.text(" (\(title))")) }
            line.append(.text(", version \(rule.ruleVersion), requires the following. Each is documented in the enclosed records:"))
            blocks.append(.paragraph(line))
            blocks.append(.list(rule.criteria.map { criterion in
                switch criterion.status {
                case .met, .needsDocumentation:
                    var item: [Inline] = [.strong(criterion.label), .text(": \(criterion.detail).")]
                    if criterion.status == .needsDocumentation, let needed = criterion.documentationNeeded { item += [.text(" Enclosed: "), .placeholder(needed)] }
                    return item
                case .unmet, .unknown:
                    return [.strong(criterion.label), .text(": "), .placeholder("not yet documented: \(criterion.documentationNeeded ?? criterion.detail); complete or remove before sending")]
                }
            }))
        }
        if !option.safety.isEmpty {
            blocks.append(.paragraph([.text("Safety considerations I have reviewed:")]))
            blocks.append(.list(option.safety.map { [.text("\($0.message) (\($0.ruleID))")] }))
        }
        for ground in option.exceptionGrounds {
            var line: [Inline] = [.text("I also request an exception: \(TextFormat.clause(ground.description))")]
            if let citation = ground.citation { line.append(.text(" (\(citation))")) }
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

    /// Trial, claim and procedure evidence behind the met criteria, once per record.
    func treatmentHistory(_ criteria: [CriterionResult]) -> [[Inline]] {
        var seen = Set<String>()
        var out: [[Inline]] = []
        for criterion in criteria where criterion.status == .met || criterion.status == .needsDocumentation {
            // Evidence that counts; for a criterion met only with records, also the records to enclose.
            for evidence in criterion.evidence where [.trial, .claim, .procedure].contains(evidence.kind)
                && (evidence.counts || criterion.status == .needsDocumentation) {
                let key = (evidence.ref ?? "") + "|" + (evidence.drug ?? "") + "|" + (evidence.from?.description ?? "")
                guard seen.insert(key).inserted else { continue }
                var line: [Inline] = [.strong(evidence.drug ?? evidence.value ?? EvidenceText.evidenceKind(evidence.kind))]
                let range = TextFormat.range(evidence.from, evidence.through)
                if let value = evidence.value, value != evidence.drug, evidence.drug != nil { line.append(.text(" \(value)")) }
                if !range.isEmpty { line.append(.text(", \(range)")) }
                line.append(.text(": \(evidence.detail)"))
                if !evidence.counts { line.append(.text(" (records enclosed)")) }
                out.append(line)
            }
        }
        return out
    }

    func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
