import FormularyCriteria
import FormularyModel

/// Finds generic manufacturer switches (DOMAIN.md §3.1): the same RxCUI dispensed under a new
/// NDC labeler inside one continuous therapy episode. The formulary cannot see it (same
/// RxCUI); fill history keyed on NDC can. Every claim and chart trial of that episode is then
/// `confounded` for every rule until a clinician confirms the outcome.
enum ManufacturerSwitchDetector {
    /// Fills further apart than this (after the previous supply ran out) start a new episode.
    static let gapDays = 30

    struct Result {
        var claims: [TherapyItem]
        var trials: [TherapyItem]
        var events: [TimelineEvent]
    }

    /// What a person should know about the switch. The Budeprion and Watson history belongs to
    /// extended-release bupropion (XL) only; other drugs get the general advice.
    static func context(for claim: TherapyItem, previous labeler: String) -> String {
        let options = "Options: ask the pharmacy for labeler \(labeler), a brand dispense-as-written PA, or an FDA MedWatch 3500 report."
        let text = claim.drugText.lowercased()
        let extendedRelease = text.contains(" xl") || text.contains("24 hr") || text.contains("24hr") || text.contains("extended release")
        if claim.counting.contains("bupropion") && extendedRelease {
            return "Generic products of one RxCUI can differ in release profile: Budeprion XL 300 mg was rated BX by FDA in 2012 and withdrawn; Watson's version failed bioequivalence and was withdrawn in 2013. " + options
        }
        return "Generic products of one RxCUI are rated equivalent, but a new labeler's inactive ingredients or release can still differ for a patient. " + options
    }

    static func detect(claims: [TherapyItem], trials: [TherapyItem], scores: [ScoreRecord], asOf: Day) -> Result {
        var claims = claims
        var trials = trials
        var events: [TimelineEvent] = []
        let byRxCUI = Dictionary(grouping: claims.indices.filter { claims[$0].rxcui != nil && claims[$0].labeler != nil }) { claims[$0].rxcui! }
        for (rxcui, indices) in byRxCUI.sorted(by: { $0.key < $1.key }) {
            let ordered = indices.sorted { claims[$0].start < claims[$1].start }
            var episode: [Int] = []
            var switches: [(date: Day, from: String, to: String)] = []
            func closeEpisode() {
                guard !switches.isEmpty else { return }
                let description = switches.map { "labeler \($0.from) → \($0.to) on \($0.date)" }.joined(separator: "; ")
                for index in episode { claims[index] = claims[index].confounded(by: "manufacturer switch: \(description)") }
                let first = claims[episode[0]].start
                let last = claims[episode[episode.count - 1]].end ?? asOf
                for (t, trial) in trials.enumerated() where !Set(trial.counting).isDisjoint(with: claims[episode[0]].counting)
                    && trial.start <= last && (trial.end ?? asOf) >= first && switches.contains(where: { trial.isActive(on: $0.date) }) {
                    trials[t] = trials[t].confounded(by: "manufacturer switch: \(description)")
                }
                for change in switches {
                    let drug = claims[episode[0]].drugText
                    let before = scores.filter { $0.date < change.date }.max { $0.date < $1.date }
                    let after = scores.filter { $0.date >= change.date && $0.date <= asOf }.min { $0.date < $1.date }
                    events.append(TimelineEvent(
                        kind: .manufacturerSwitch, date: change.date, drug: drug, rxcui: rxcui, fromLabeler: change.from, toLabeler: change.to,
                        scoreBefore: before.map { "\($0.scale) \($0.value.clean) on \($0.date)" },
                        scoreAfter: after.map { "\($0.scale) \($0.value.clean) on \($0.date)" },
                        detail: "same RxCUI \(rxcui), NDC labeler \(change.from) → \(change.to): the formulary shows no change; the trial is CONFOUNDED until a clinician confirms the outcome",
                        context: context(for: claims[episode[0]], previous: change.from)))
                }
            }
            for index in ordered {
                if let previous = episode.last {
                    let gap = claims[index].start - (claims[previous].end ?? claims[previous].start)
                    if gap > gapDays {
                        closeEpisode()
                        episode = []
                        switches = []
                    } else if let old = claims[previous].labeler, let new = claims[index].labeler, old != new {
                        switches.append((claims[index].start, old, new))
                    }
                }
                episode.append(index)
            }
            closeEpisode()
        }
        return Result(claims: claims, trials: trials, events: events.sorted { $0.date < $1.date })
    }
}
