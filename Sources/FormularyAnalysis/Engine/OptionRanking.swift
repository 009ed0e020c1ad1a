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

    /// What the order compares, computed once per option.
    struct Key {
        var group: Int
        var steps: Int
        var cost: Double
        var date: Int
        var name: String

        init(_ result: OptionResult) {
            group = OptionRanking.group(result)
            steps = result.remaining?.stepCount ?? 0
            cost = result.coverage.costShare?.rank ?? 10_000
            date = result.remaining?.reachableOn?.ordinal ?? 0
            name = result.name.lowercased()
        }

        func precedes(_ other: Key) -> Bool {
            if group != other.group { return group < other.group }
            if steps != other.steps { return steps < other.steps }
            if cost != other.cost { return cost < other.cost }
            if date != other.date { return date < other.date }
            return name < other.name
        }
    }

    /// The results in rank order, with `rank` set (1 = first). Sorts keys, then permutes the
    /// (large) results in place by swapping, so no result is copied.
    static func ranked(_ results: consuming [OptionResult]) -> [OptionResult] {
        var ranked = results
        let keys = ranked.map(Key.init)
        let order = ranked.indices.sorted { keys[$0].precedes(keys[$1]) || (!keys[$1].precedes(keys[$0]) && $0 < $1) }
        // Position p takes the result now at order[p]; follow each cycle of the permutation.
        var placed = [Bool](repeating: false, count: order.count)
        for start in order.indices where !placed[start] {
            var position = start
            while order[position] != start {
                ranked.swapAt(position, order[position])
                placed[position] = true
                let next = order[position]
                position = next
            }
            placed[position] = true
        }
        for index in ranked.indices { ranked[index].rank = index + 1 }
        return ranked
    }
}
