import FormularyCriteria

/// The order options are shown in: reachable now first, then by remaining path length, cost,
/// and time to qualify; contraindicated and not-covered options last.
enum OptionRanking {
    static func group(_ result: OptionResult) -> Int {
        switch result.verdict {
        case .coveredNoUM, .coveredPAMet, .stMet: 0
        case .needsDocumentation: 1
        case .paNotMet, .stNotMet: result.remaining?.reachable == true ? 2 : 3
        case .contraindicated: 4
        case .notCovered: 5
        }
    }

    static func precedes(_ a: OptionResult, _ b: OptionResult) -> Bool {
        let groupA = group(a), groupB = group(b)
        if groupA != groupB { return groupA < groupB }
        let stepsA = a.remaining?.stepCount ?? 0, stepsB = b.remaining?.stepCount ?? 0
        if stepsA != stepsB { return stepsA < stepsB }
        let costA = a.coverage.costShare?.rank ?? 10_000, costB = b.coverage.costShare?.rank ?? 10_000
        if costA != costB { return costA < costB }
        let dateA = a.remaining?.reachableOn?.ordinal ?? 0, dateB = b.remaining?.reachableOn?.ordinal ?? 0
        if dateA != dateB { return dateA < dateB }
        return a.name.lowercased() < b.name.lowercased()
    }
}
