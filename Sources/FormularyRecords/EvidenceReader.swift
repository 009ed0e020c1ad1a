import FormularyCriteria
import FormularyModel

/// Reads what records show together (RECORDS.md, "Monitoring evidence"):
///
/// - an AllergyIntolerance to a drug, and a side effect of at least moderate severity that led to
///   stopping it (the log says `stopped: yes`, or the drug's trial ends within 30 days of the
///   report), is intolerance evidence for that drug: added to the trial running then (or ended
///   within 30 days before), else a one-day trial of its own with outcome `intolerance`;
/// - sustained improvement is response: on a trial with no documented outcome, a baseline score
///   (the last on or before the start + 7 days, at most 90 days before it) and a final run of at
///   least two scores of the same scale, from day 28 of the trial on, spanning ≥ 14 days, each at
///   most half the baseline;
/// - a score rise after a generic labeler switch (same RxCUI, new NDC labeler between consecutive
///   fills): ≥ 5 points (PHQ-9) or ≥ 20% and ≥ 3 points (other scales) from the last score in the
///   120 days before the switch to the first in the 120 days after is flagged next to the switch.
struct EvidenceReader {
    static let depressionScales: Set<String> = ["phq9", "madrs", "hamd", "qids", "bdi"]
    static let stopWindowDays = 30
    static let baselineBeforeDays = 90
    static let baselineAfterDays = 7
    static let followUpFromDay = 28
    static let sustainedDays = 14
    static let switchWindowDays = 120

    let resolver: DrugResolver
    let collector: RecordCollector

    mutating func apply(to trials: inout [ChartTrial], derived: Set<Int>, scores: [ScoreRecord], claims: inout [PharmacyClaim],
                        findings: inout [String]) {
        func key(of text: String) -> String? { resolver.reference.option(named: text).map(resolver.trialKey) }
        func key(ofCode code: DrugCode) -> String? {
            let drug = resolver.resolve(code)
            guard drug.isTreatment, let option = drug.option else { return nil }
            return resolver.trialKey(option)
        }
        // Intolerance from allergies.
        for allergy in collector.intolerances {
            guard let drugKey = key(ofCode: allergy.drug) else {
                collector.skip("allergies to drugs that are not TRD treatments (kept out of the profile)")
                continue
            }
            addIntolerance(drugKey, on: allergy.date, note: "intolerance evidence: " + (allergy.note ?? "AllergyIntolerance"), sources: allergy.sources,
                           trials: &trials, findings: &findings)
        }
        // Side effects.
        for effect in collector.sideEffects {
            let label = "\(effect.symptom) (\(effect.severity.word)) on \(effect.date)"
            guard let drugText = effect.drug else {
                collector.skip("side effects with no suspected drug (noted nowhere: name the drug to link them)")
                continue
            }
            guard let drugKey = key(of: drugText) else {
                if let source = effect.sources.first {
                    collector.warnings.append(RecordWarning(file: source.file, resource: source.resource, field: "drug",
                                                            message: "suspected drug \"\(drugText)\" is not a treatment the drug reference knows; the side effect is not linked"))
                }
                continue
            }
            let trialIndex = trials.indices.first { index in
                trials[index].matches(drugKey, resolver) && trials[index].start <= effect.date
                    && (trials[index].end.map { effect.date <= $0 + Self.stopWindowDays } ?? true)
            }
            let endedSoon = trialIndex.flatMap { trials[$0].end }.map { $0 >= effect.date - 1 && $0 - effect.date <= Self.stopWindowDays } ?? false
            let stopped = effect.stopped ?? endedSoon
            if effect.severity >= .moderate, stopped {
                let why = effect.stopped == true ? "led to stopping it" : "the drug stopped within \(Self.stopWindowDays) days"
                addIntolerance(drugKey, on: effect.date, note: "intolerance evidence: side effect \(label); \(why)" + (effect.note.map { " (\($0))" } ?? ""),
                               sources: effect.sources, trials: &trials, findings: &findings)
            } else if let index = trialIndex {
                trials[index].appendNote("side effect reported: \(label)" + (effect.stopped == false ? ", drug continued" : ""))
                trials[index].appendSources(effect.sources)
            } else {
                collector.skip("side effects with no trial of the suspected drug at that date")
            }
        }
        // Response from scores, on trials with no documented outcome.
        for index in trials.indices where trials[index].outcome == .unknown && trials[index].outcomes.allSatisfy({ !$0.isAdverse }) {
            let trial = trials[index]
            guard let result = Self.response(trial, scores: scores) else { continue }
            if result.response {
                trials[index].outcome = .response
                trials[index].outcomes = [.response]
                trials[index].outcomeText = "response"
                trials[index].appendNote("outcome response from monitoring: \(result.summary)")
                trials[index].appendSources(result.sources)
                findings.append("\(trial.drug) from \(trial.start): sustained improvement (\(result.summary)) read as response")
            } else {
                trials[index].appendNote("scores during the trial: \(result.summary)")
            }
        }
        flagSwitches(scores: scores, claims: &claims, trials: &trials, findings: &findings)
    }

    /// Adds intolerance to the trial of `drugKey` running on `date` (or ended within 30 days before
    /// it), else a one-day trial of its own.
    func addIntolerance(_ drugKey: String, on date: Day, note: String, sources: [FactSource], trials: inout [ChartTrial], findings: inout [String]) {
        let index = trials.indices.first { index in
            trials[index].matches(drugKey, resolver) && trials[index].start <= date
                && (trials[index].end.map { date <= $0 + Self.stopWindowDays } ?? true)
        }
        if let index {
            if !trials[index].outcomes.contains(.intolerance) {
                if trials[index].outcomes == [.unknown] {
                    trials[index].outcomes = [.intolerance]
                    trials[index].outcome = .intolerance
                    trials[index].outcomeText = "intolerance"
                } else {
                    trials[index].outcomes.append(.intolerance)
                    trials[index].outcomeText = nil
                }
            }
            trials[index].appendNote(note)
            trials[index].appendSources(sources)
            findings.append("\(trials[index].drug) from \(trials[index].start): \(note)")
            return
        }
        let trial = ChartTrial(drug: resolver.trialName(drugKey), start: date, end: date, outcome: .intolerance, outcomes: [.intolerance],
                               outcomeText: "intolerance", note: note + "; no trial of the drug at that date: a one-day record of the intolerance",
                               sources: sources)
        trials.append(trial)
        findings.append("\(trial.drug) on \(date): \(note)")
    }

    struct ResponseReading {
        var response: Bool
        var summary: String
        var sources: [FactSource]
    }

    static func response(_ trial: ChartTrial, scores: [ScoreRecord]) -> ResponseReading? {
        let bySale = Dictionary(grouping: scores.filter { depressionScales.contains(ScoreRecord.scaleKey($0.scale)) }) { ScoreRecord.scaleKey($0.scale) }
        for scale in ["phq9", "madrs", "hamd", "qids", "bdi"] {
            guard let series = bySale[scale]?.sorted(by: { $0.date < $1.date }) else { continue }
            guard let baseline = series.last(where: { $0.date <= trial.start + baselineAfterDays && $0.date >= trial.start - baselineBeforeDays }),
                  baseline.value > 0 else { continue }
            let end = trial.end ?? Day(ordinal: Int.max / 4)
            let followUps = series.filter { $0.date >= trial.start + followUpFromDay && $0.date <= end && $0.date > baseline.date }
            guard let last = followUps.last else { continue }
            var run: [ScoreRecord] = []
            for score in followUps.reversed() {
                guard score.value <= baseline.value / 2 else { break }
                run.insert(score, at: 0)
            }
            let change = (last.value - baseline.value) / baseline.value * 100
            let summary = "\(last.scale) \(PatientProfileWriter.number(baseline.value)) on \(baseline.date) → \(PatientProfileWriter.number(last.value)) on \(last.date) (\(change >= 0 ? "+" : "")\(Int(change.rounded()))%)"
            if run.count >= 2, let first = run.first, last.date - first.date >= sustainedDays {
                return ResponseReading(response: true, summary: summary + ", at most half the baseline from \(first.date)",
                                       sources: ([baseline] + run).flatMap(\.sources))
            }
            return ResponseReading(response: false, summary: summary, sources: [])
        }
        return nil
    }

    /// Labeler switches inside a run of fills of one product, with the scores around them.
    func flagSwitches(scores: [ScoreRecord], claims: inout [PharmacyClaim], trials: inout [ChartTrial], findings: inout [String]) {
        let groups = Dictionary(grouping: claims.indices.filter { claims[$0].ndc != nil }) { index -> String in
            claims[index].rxcui.map { "rx:" + $0.rawValue } ?? "name:" + (claims[index].drug ?? "").lowercased()
        }
        for (_, indexes) in groups.sorted(by: { $0.key < $1.key }) {
            let ordered = indexes.sorted { claims[$0].fillDate < claims[$1].fillDate }
            for (previous, next) in zip(ordered, ordered.dropFirst()) {
                let before = claims[previous]
                let after = claims[next]
                guard let old = before.labeler, let new = after.labeler, old != new,
                      after.fillDate - before.coverageEnd <= ProfileAssembler.trialGapDays else { continue }
                let date = after.fillDate
                var text = "NDC labeler \(old) → \(new) on \(date) (same \(after.rxcui.map { "RxCUI \($0.rawValue)" } ?? "drug"))"
                if let rise = Self.rise(around: date, scores: scores) {
                    text += ": \(rise.scale) rose \(PatientProfileWriter.number(rise.before.value)) (\(rise.before.date)) → \(PatientProfileWriter.number(rise.after.value)) (\(rise.after.date)) after the switch"
                    if claims[next].note?.contains(text) != true {
                        claims[next].note = [claims[next].note, text].compactMap { $0 }.joined(separator: "; ")
                    }
                    if let index = trials.indices.first(where: { trials[$0].start <= date && (trials[$0].end ?? date) >= date
                        && resolver.reference.option(named: trials[$0].drug).map(resolver.trialKey) == after.drug.flatMap({ resolver.reference.option(named: $0) }).map(resolver.trialKey) }) {
                        trials[index].appendNote(text)
                    }
                    findings.append("\(after.drug ?? "a drug"): \(text) — the analysis marks the trial CONFOUNDED until a clinician confirms the outcome")
                }
            }
        }
    }

    struct Rise {
        var scale: String
        var before: ScoreRecord
        var after: ScoreRecord
    }

    static func rise(around date: Day, scores: [ScoreRecord]) -> Rise? {
        for scale in ["phq9", "madrs", "hamd", "qids", "bdi", "gad7"] {
            let series = scores.filter { ScoreRecord.scaleKey($0.scale) == scale }.sorted { $0.date < $1.date }
            guard let before = series.last(where: { $0.date < date && $0.date >= date - switchWindowDays }),
                  let after = series.first(where: { $0.date >= date && $0.date <= date + switchWindowDays }) else { continue }
            let delta = after.value - before.value
            let flagged = scale == "phq9" ? delta >= 5 : delta >= 3 && before.value > 0 && delta / before.value >= 0.2
            if flagged { return Rise(scale: after.scale, before: before, after: after) }
        }
        return nil
    }
}

extension ChartTrial {
    /// True when the trial is of the drug `key` groups (its ingredient, or the combination).
    func matches(_ key: String, _ resolver: DrugResolver) -> Bool {
        resolver.reference.option(named: drug).map(resolver.trialKey) == key
    }

    /// Adds `text` to the note, once (a profile imported again with its records keeps one copy).
    mutating func appendNote(_ text: String) {
        if note?.contains(text) == true { return }
        note = [note, text].compactMap { $0 }.joined(separator: "; ")
    }

    mutating func appendSources(_ more: [FactSource]) {
        for source in more where !sources.contains(source) && sources.count < ProfileAssembler.maxTrialSources { sources.append(source) }
    }
}
