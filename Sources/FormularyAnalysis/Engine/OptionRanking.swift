import Foundation
import FormularyCriteria

/// The order options are shown in (issue 13 §2): next options new to the patient first, grouped
/// by strategy in the order `safety_rules.yaml` gives (another antidepressant first before
/// treatment resistance; augmentation, esketamine and neuromodulation first after it); then
/// options tried in the current episode; then what the patient takes now;
/// then options the plan does not cover; contraindicated options last. Within a group: covered
/// now, then PA met, then fewest remaining steps, then earliest start, then lowest cost.
enum OptionRanking {
    /// New and usable 0, tried 1, current 2, not covered 3, contraindicated 4. Results pass their
    /// fields, not themselves: a result passed whole was copied (perf).
    static func bucket(verdict: Verdict, history: OptionHistory.Status?) -> Int {
        if verdict == .contraindicated { return 4 }
        if verdict == .notCovered { return 3 }
        switch history {
        case .current?: return 2
        case .tried?: return 1
        case nil: return 0
        }
    }

    /// How ready an option is: covered now 0, PA met 1, met with documentation 2, a path 3, none 4.
    static func readiness(verdict: Verdict, reachable: Bool) -> Int {
        switch verdict {
        case .coveredNoUM, .stMet: 0
        case .coveredPAMet: 1
        case .needsDocumentation: 2
        case .paNotMet, .stNotMet: reachable ? 3 : 4
        case .contraindicated, .notCovered: 5
        }
    }

    /// What the order compares, computed once per option.
    struct Key {
        var bucket: Int
        var strategy: Int
        var readiness: Int
        var steps: Int
        var date: Int
        var cost: Double
        var name: String

        /// The key of `results[index]`, read field by field through the buffer: passed whole, or
        /// read through the array's subscript, each result was copied and destroyed (a twentieth
        /// of a many-plan analysis, perf).
        init(_ results: UnsafeBufferPointer<OptionResult>, _ index: Int, order: [Strategy]) {
            bucket = OptionRanking.bucket(verdict: results[index].verdict, history: results[index].history?.status)
            strategy = order.firstIndex(of: results[index].strategy) ?? order.count
            readiness = OptionRanking.readiness(verdict: results[index].verdict, reachable: results[index].remaining?.reachable == true)
            steps = results[index].remaining?.stepCount ?? 0
            date = results[index].earliestStart?.ordinal ?? Int.max
            cost = results[index].coverage.costShare?.rank ?? 10_000
            name = results[index].name.lowercased()
        }

        func precedes(_ other: Key) -> Bool {
            if bucket != other.bucket { return bucket < other.bucket }
            if strategy != other.strategy { return strategy < other.strategy }
            if readiness != other.readiness { return readiness < other.readiness }
            if steps != other.steps { return steps < other.steps }
            if date != other.date { return date < other.date }
            if cost != other.cost { return cost < other.cost }
            return name < other.name
        }
    }

    /// The results in rank order, with `rank` set (1 = first). Sorts keys, then permutes the
    /// (large) results in place by swapping, so no result is copied.
    static func ranked(_ results: consuming [OptionResult], order: [Strategy] = Strategy.allCases) -> [OptionResult] {
        var ranked = consume results
        let keys = ranked.withUnsafeBufferPointer { buffer in buffer.indices.map { Key(buffer, $0, order: order) } }
        let order = ranked.indices.sorted { keys[$0].precedes(keys[$1]) || (!keys[$1].precedes(keys[$0]) && $0 < $1) }
        // Position p takes the result now at order[p]; follow each cycle of the permutation.
        // In the buffer: the array's `swapAt` and subscript setter copied results (perf).
        var placed = [Bool](repeating: false, count: order.count)
        ranked.withUnsafeMutableBufferPointer { buffer in
            for start in order.indices where !placed[start] {
                var position = start
                while order[position] != start {
                    buffer.swapAt(position, order[position])
                    placed[position] = true
                    let next = order[position]
                    position = next
                }
                placed[position] = true
            }
            for index in buffer.indices { buffer[index].rank = index + 1 }
        }
        return ranked
    }
}

/// The at most five next options a person reads first: new to the patient, usable (covered,
/// not contraindicated, with a way in), the readiest first, one per strategy before a second of
/// any, each with a one-line reason.
enum Shortlist {
    static let size = 5

    /// `order` is the strategy order in force: the shortlist takes the best option of each
    /// strategy in that order, then fills up with the next best.
    static func build(_ results: [OptionResult], order: [Strategy] = Strategy.allCases) -> [ShortlistItem] {
        results.withUnsafeBufferPointer { build($0, order: order) }
    }

    /// Results are read in place through the buffer (the array's subscript copied each one, perf).
    private static func build(_ options: UnsafeBufferPointer<OptionResult>, order: [Strategy]) -> [ShortlistItem] {
        // Among equally ready options, the one with fewer questions left open first. Each key is
        // computed once, and indices are sorted and picked, never the (large) results: sorting
        // and copying results took a fifth of an analysis (perf).
        var keyed: [(index: Int, key: (Int, Int, Int, Int, Double, Int))] = []
        for index in options.indices where OptionRanking.bucket(verdict: options[index].verdict, history: options[index].history?.status) == 0 {
            let readiness = OptionRanking.readiness(verdict: options[index].verdict, reachable: options[index].remaining?.reachable == true)
            guard readiness < 4 else { continue }
            keyed.append((index, (readiness, options[index].remaining?.stepCount ?? 0, unknowns(options[index]),
                                  options[index].earliestStart?.ordinal ?? Int.max, options[index].coverage.costShare?.rank ?? 10_000, options[index].rank)))
        }
        keyed.sort { $0.key < $1.key }
        var picked: [Int] = []
        for strategy in order {
            if picked.count < size, let best = keyed.first(where: { options[$0.index].strategy == strategy }) { picked.append(best.index) }
        }
        for (index, _) in keyed where picked.count < size && !picked.contains(where: { options[$0].optionID == options[index].optionID }) {
            picked.append(index)
        }
        picked.sort { options[$0].rank < options[$1].rank }
        return picked.map { item(options[$0]) }
    }

    /// Criteria of applied rules nobody has answered yet.
    static func unknowns(_ option: borrowing OptionResult) -> Int {
        var count = 0
        for rule in option.rules where rule.applied {
            for criterion in rule.criteria where criterion.status == .unknown { count += 1 }
        }
        return count
    }

    static func item(_ option: borrowing OptionResult) -> ShortlistItem {
        ShortlistItem(optionID: option.optionID, name: option.name, strategy: option.strategy, use: option.use, verdict: option.verdict,
                      reason: reason(option), earliestStart: option.earliestStart,
                      monthlyCost: option.coverage.costShare?.estimatedMonthly.map { NSDecimalNumber(decimal: $0).doubleValue },
                      safetyFlags: option.safety.filter { $0.verdict != .warn || ["S4", "S20", "S13", "S6"].contains($0.ruleID) }
                          .map { "\($0.ruleID) \($0.verdict.rawValue)" }.uniqued())
    }

    /// "PA criteria met: 2 qualifying ADQ-TRD trials (SSRI, SNRI); PHQ-9 19 on 2025-03-10".
    static func reason(_ option: borrowing OptionResult) -> String {
        let applied = option.rules.filter(\.applied)
        let met = applied.flatMap(\.criteria).filter { $0.status == .met }
        // The evidence people weigh: trials, steps and scores.
        let telling = met.filter { criterion in
            criterion.evidence.contains { [.trial, .claim, .score, .procedure].contains($0.kind) }
        }.prefix(2).map(\.detail)
        var text: String
        switch option.verdict {
        case .coveredNoUM:
            text = "covered now, no prior authorization or step therapy" + (option.coverage.tierCode.map { " (tier \($0))" } ?? "")
        case .coveredPAMet:
            text = "PA criteria met" + (telling.isEmpty ? "" : ": " + telling.joined(separator: "; "))
        case .stMet:
            text = "step therapy met" + (telling.isEmpty ? "" : ": " + telling.joined(separator: "; "))
        case .needsDocumentation:
            let needed = applied.flatMap(\.criteria).filter { $0.status == .needsDocumentation }.compactMap(\.documentationNeeded).first
            text = "criteria met with documentation the plan cannot see" + (needed.map { ": \($0)" } ?? "")
        case .paNotMet, .stNotMet:
            let steps = option.remaining?.stepCount ?? 0
            let first = option.remaining?.steps.first?.description
            text = "\(steps) step\(steps == 1 ? "" : "s") to go" + (first.map { ", first: \($0)" } ?? "")
        case .contraindicated, .notCovered:
            text = option.summary
        }
        if let start = option.earliestStart, !option.reachableNow {
            text += "; earliest start \(start)"
            if option.safety.contains(where: { $0.verdict == .washout && $0.earliestStart == start }) { text += " (after a washout)" }
        }
        return text
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
