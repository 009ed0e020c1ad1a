import FormularyModel

/// Reads the indication-based coverage table: drugs a plan covers only for the listed FDA
/// indications (`H1994|001|1745108|SPONDYLITIS, ANKYLOSING`).
struct IndicationCoverageReader: DelimitedRowConsumer {
    private let sink: any ImportSink
    private var contract = 0, plan = 0, rxcui = 0, disease = 0

    init(sink: any ImportSink) {
        self.sink = sink
    }

    mutating func bind(_ header: inout ColumnBinder) {
        contract = header.require("CONTRACT_ID")
        plan = header.require("PLAN_ID")
        rxcui = header.require("RXCUI")
        disease = header.require("DISEASE")
    }

    mutating func consume(_ row: DelimitedRow) throws {
        let contractPlan = try row.contractPlanKey(contract: contract, plan: plan)
        let drug = try row.rxcui(rxcui)
        let indication = try row.requiredText(disease, expected: "a disease name")
        try sink.add(IndicationRestriction(contractPlan: contractPlan, rxcui: drug, disease: indication))
    }
}
