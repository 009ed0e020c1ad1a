import FormularyAnalysis

/// The trials table: each trial as the analysis assessed it, with every adequacy rule's
/// judgement, so a person can see why a trial counts for one rule and not another.
enum TrialTable {
    static func table(_ trials: [TrialAssessment], caption: String, showRefs: Bool = false) -> Table {
        let rows: [[[Inline]]] = trials.sorted { $0.start < $1.start }.map { trial in
            var name: [Inline] = [.text(trial.drug)]
            if let dose = TextFormat.dose(trial.mgPerDay, drug: trial.drug) { name.append(.text(", \(dose)")) }
            if showRefs { name += [.lineBreak, .code(trial.ref)] }
            var outcome: [Inline] = [.text(trial.documentedOutcome)]
            if trial.effectiveOutcome != trial.documentedOutcome { outcome.append(.text("; counted as \(trial.effectiveOutcome)")) }
            if let confounded = trial.confoundedBy { outcome += [.lineBreak, .emphasis("confounded by \(confounded)")] }
            var source = trial.source
            if trial.previousPlan { source += "; previous plan" }
            if trial.paidInCash { source += "; paid in cash" }
            var judged: [Inline] = []
            for (index, rule) in trial.adequacy.keys.sorted().enumerated() {
                if index > 0 { judged.append(.lineBreak) }
                judged += [.code(rule), .text(" \(trial.adequacy[rule] ?? "")")]
            }
            return [name, [.text(TextFormat.range(trial.start, trial.end) + (trial.end == nil ? " (ongoing)" : ""))],
                    [.text(String(trial.daysOnDrug))], [.text(source)], outcome, judged.isEmpty ? [.text("—")] : judged]
        }
        return Table(caption: caption, headers: ["Trial", "Dates", "Days", "Source", "Outcome", "How each rule judged it"], rows: rows)
    }
}
