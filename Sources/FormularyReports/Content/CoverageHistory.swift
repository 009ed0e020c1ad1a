import FormularyAnalysis
import FormularyCriteria

/// The treatment history as spans a person recognizes ("bupropion XL 300 mg, Mar 1, 2023 →
/// today, claims (25 fills), maker switch Feb 1, 2025"), and evidence lists with monthly fills
/// collapsed into one line per run of fills. Restates the analysis's trials and evidence.
enum CoverageHistory {
    /// One line per trial, oldest first: drug and dose, dates, source, outcome, maker switches,
    /// and how the plan's trial rules judge it, in words.
    static func trialItems(_ plan: PlanResult, asOf: Day) -> [[Inline]] {
        plan.trials.sorted { $0.start < $1.start }.map { trial in
            var head = trial.drug
            if let dose = TextFormat.dose(trial.mgPerDay, drug: trial.drug) { head += ", \(dose)" }
            var facts = ["\(TextFormat.day(trial.start)) → \(trial.end.map(TextFormat.day) ?? "today")", "\(TextFormat.plural(trial.daysOnDrug, "day")) on the drug", trial.source]
            if trial.previousPlan { facts.append("under a previous plan") }
            if trial.paidInCash { facts.append("paid in cash") }
            for event in plan.events where event.drug == trial.drug && event.date >= trial.start && event.date <= (trial.end ?? asOf) {
                facts.append("maker switch \(TextFormat.day(event.date))")
            }
            var line: [Inline] = [.strong(head), .text(", " + facts.joined(separator: ", "))]
            var outcome = "outcome: \(trial.documentedOutcome)"
            if trial.effectiveOutcome != trial.documentedOutcome { outcome += ", counted as \(trial.effectiveOutcome)" }
            line += [.lineBreak, .text(PlainWords.capitalized(outcome))]
            if let confounded = trial.confoundedBy { line.append(.emphasis(" (\(PlainWords.sentence(confounded)))")) }
            // Rules that judge the trial the same way share one sentence.
            var order: [String] = []
            var byText: [String: [String]] = [:]
            for rule in trial.adequacy.keys.sorted() {
                let text = PlainWords.sentence(trial.adequacy[rule] ?? "")
                if byText[text] == nil { order.append(text) }
                byText[text, default: []].append(PlainWords.adequacyRule(rule))
            }
            let judged = order.map { text in "\(QuestionList.list(byText[text] ?? [], "and")): \(text)" }
            if !judged.isEmpty { line += [.lineBreak, .text(PlainWords.capitalized(judged.joined(separator: "; ")) + ".")] }
            return line
        }
    }

    /// Evidence lines for the coverage report: a run of claims for one drug with the same
    /// judgement becomes one line ("25 fills, Mar 1, 2023 – Mar 30, 2025"); every text in plain
    /// words; no record references (those are the pre-check sheet's).
    static func evidenceLines(_ evidence: [Evidence], plan: PlanResult) -> [[Inline]] {
        var lines: [[Inline]] = []
        var index = 0
        while index < evidence.count {
            let item = evidence[index]
            var end = index
            if item.kind == .claim {
                while end + 1 < evidence.count, evidence[end + 1].kind == .claim, evidence[end + 1].drug == item.drug,
                      evidence[end + 1].counts == item.counts, evidence[end + 1].detail == item.detail {
                    end += 1
                }
            }
            if end > index {
                let run = evidence[index...end]
                let from = run.compactMap(\.from).min(), through = run.compactMap { $0.through ?? $0.from }.max()
                var line: [Inline] = [.strong(item.drug ?? "pharmacy claims")]
                var facts = [TextFormat.plural(run.count, "fill"), TextFormat.range(from, through)]
                if let value = item.value, value != item.drug { facts.insert(value, at: 0) }
                for event in plan.events where event.drug == item.drug {
                    if let from, let through, event.date >= from, event.date <= through { facts.append("maker switch \(TextFormat.day(event.date))") }
                }
                line.append(.text(" (" + facts.filter { !$0.isEmpty }.joined(separator: ", ") + "): " + PlainWords.sentence(item.detail)))
                if !item.counts { line.append(.emphasis(" (not counted)")) }
                lines.append(line)
            } else {
                lines.append(plainInlines(item))
            }
            index = end + 1
        }
        return lines
    }

    /// Evidence in a few words for a line that already says what was met: "sertraline (Jan 10,
    /// 2024 – Apr 30, 2024); bupropion XL 300 mg (25 fills, Mar 1, 2023 – Mar 30, 2025)".
    static func shortEvidence(_ evidence: [Evidence]) -> String {
        var parts: [String] = []
        var index = 0
        while index < evidence.count {
            let item = evidence[index]
            var end = index
            if item.kind == .claim {
                while end + 1 < evidence.count, evidence[end + 1].kind == .claim, evidence[end + 1].drug == item.drug { end += 1 }
            }
            let run = evidence[index...end]
            let head = item.drug ?? item.value.map(PlainWords.sentence) ?? EvidenceText.evidenceKind(item.kind)
            let from = run.compactMap(\.from).min(), through = run.compactMap { $0.through ?? $0.from }.max()
            var facts: [String] = []
            if run.count > 1 { facts.append(TextFormat.plural(run.count, "fill")) }
            let dates = item.kind == .score && item.through == nil ? from.map(TextFormat.day) ?? "" : TextFormat.range(from, through)
            if !dates.isEmpty { facts.append(dates) }
            let part = facts.isEmpty ? head : "\(head) (\(facts.joined(separator: ", ")))"
            if !parts.contains(part) { parts.append(part) }
            index = end + 1
        }
        return parts.joined(separator: "; ")
    }

    /// One piece of evidence in plain words, without its record reference.
    static func plainInlines(_ evidence: Evidence) -> [Inline] {
        var copy = evidence
        copy.detail = PlainWords.sentence(evidence.detail)
        copy.value = evidence.value.map(PlainWords.sentence)
        return EvidenceText.inlines(copy, showRef: false)
    }
}
