/// The RXNREL edges among kept concepts that lead from a drug to its ingredients and brand,
/// stored compactly for the walk that assembles each `DrugConcept`.
///
/// Of a full release's ~6 million relation rows only some 200,000 join two kept concepts by a
/// followed relation; each is 12 bytes here. Edges are collected in any order, then `seal`
/// sorts them by source and indexes them, so a concept's edges are one contiguous run.
struct RxNormRelationGraph {
    /// One relation: `source` has `relation` to `target` (slots in the concept table).
    struct Edge: Hashable, Comparable {
        var source: Int32
        var relation: RxNormRelation
        var target: Int32

        static func < (lhs: Edge, rhs: Edge) -> Bool {
            (lhs.source, lhs.relation.rawValue, lhs.target) < (rhs.source, rhs.relation.rawValue, rhs.target)
        }
    }

    private var edges: [Edge] = []
    /// `edges[starts[slot] ..< starts[slot + 1]]` are the edges of `slot`, once sealed.
    private var starts: [Int32] = []

    /// Distinct edges; duplicates (the same relation at concept and atom level) count once after `seal`.
    var count: Int { edges.count }

    mutating func add(_ source: Int32, _ relation: RxNormRelation, _ target: Int32) {
        edges.append(Edge(source: source, relation: relation, target: target))
    }

    /// Sorts and deduplicates the edges and indexes them by source, for `conceptCount` slots.
    mutating func seal(conceptCount: Int) {
        edges.sort()
        var unique = 0
        for index in edges.indices where index == 0 || edges[index] != edges[unique - 1] {
            edges[unique] = edges[index]
            unique += 1
        }
        // A fresh array, so the duplicates' share of the buffer is given back.
        edges = Array(edges.prefix(unique))
        starts = [Int32](repeating: 0, count: conceptCount + 1)
        var cursor = 0
        for slot in 0 ... conceptCount {
            while cursor < edges.count, Int(edges[cursor].source) < slot { cursor += 1 }
            starts[slot] = Int32(cursor)
        }
    }

    /// The targets `source` has `relation` to, in slot order. Empty before `seal`.
    func targets(of source: Int32, _ relation: RxNormRelation) -> [Int32] {
        let slot = Int(source)
        guard slot + 1 < starts.count else { return [] }
        var found: [Int32] = []
        for index in Int(starts[slot]) ..< Int(starts[slot + 1]) where edges[index].relation == relation {
            found.append(edges[index].target)
        }
        return found
    }
}
