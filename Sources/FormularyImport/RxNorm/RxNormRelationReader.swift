/// Reads `RXNREL.RRF` into the relation graph: RxNorm's own relations (`SAB` = `RXNORM`) of the
/// followed kinds between two kept concepts of the right term types.
///
/// Columns are taken by position (the file's order is `…SL|RG|DIR…`, unlike some DDLs), and a
/// row reads "RXCUI2 has RELA to RXCUI1": RXCUI2 is the edge's source.
struct RxNormRelationReader: RRFRowConsumer {
    private typealias Column = RRFTable.Relations

    let table: RxNormConceptTable
    private(set) var graph = RxNormRelationGraph()

    init(table: RxNormConceptTable) {
        self.table = table
    }

    mutating func consume(_ row: RRFRow) throws {
        guard row.field(Column.sab, is: RRFRow.rxnormSource) else { return }
        guard let relation = RxNormRelation(rela: row.bytes(Column.rela)) else { return }
        let target = try row.rxcuiKey(Column.rxcui1)
        let source = try row.rxcuiKey(Column.rxcui2)
        guard let from = table.slot(of: source), let to = table.slot(of: target),
              relation.joins(table[from].termType, to: table[to].termType) else { return }
        graph.add(from, relation, to)
    }

    /// The graph, indexed for the walk.
    func sealedGraph() -> RxNormRelationGraph {
        var graph = graph
        graph.seal(conceptCount: table.count)
        return graph
    }
}
