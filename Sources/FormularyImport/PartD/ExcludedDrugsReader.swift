import FormularyModel

/// Reads the excluded drugs formulary: drugs Part D excludes by law (cough and cold, weight loss…)
/// that an enhanced plan covers as a supplemental benefit. Rows are keyed by contract and plan,
/// not formulary, have no NDC, and write the quantity-limit flag as 0/1 (Y/N is accepted too).
struct ExcludedDrugsReader: DelimitedRowConsumer {
    private struct Columns {
        var contract = 0, plan = 0, rxcui = 0, tier = 0
        var quantityLimit = 0, quantityAmount = 0, quantityDays = 0, priorAuthorization = 0, stepTherapy = 0
        var cappedBenefit: Int?
    }

    private let sink: any ImportSink
    private var columns = Columns()

    init(sink: any ImportSink) {
        self.sink = sink
    }

    mutating func bind(_ header: inout ColumnBinder) {
        columns.contract = header.require("CONTRACT_ID")
        columns.plan = header.require("PLAN_ID")
        columns.rxcui = header.require("RXCUI")
        columns.tier = header.require("TIER")
        columns.quantityLimit = header.require("QUANTITY_LIMIT_YN")
        columns.quantityAmount = header.require("QUANTITY_LIMIT_AMOUNT")
        columns.quantityDays = header.require("QUANTITY_LIMIT_DAYS")
        columns.priorAuthorization = header.require("PRIOR_AUTH_YN", aliases: ["PRIOR_AUTHORIZATION_YN"])
        columns.stepTherapy = header.require("STEP_THERAPY_YN")
        columns.cappedBenefit = header.optional("CAPPED_BENEFIT_YN")
    }

    mutating func consume(_ row: DelimitedRow) throws {
        let contractPlan = try row.contractPlanKey(contract: columns.contract, plan: columns.plan)
        let rxcui = try row.rxcui(columns.rxcui)
        let tierCode = try row.positiveIntegerCode(columns.tier, expected: "a tier: a positive whole number such as 1 or 5")
        let quantityLimit = try row.quantityLimit(
            flag: columns.quantityLimit, amount: columns.quantityAmount, days: columns.quantityDays, flagAcceptsDigits: true
        )
        let priorAuthorization = try row.flag(columns.priorAuthorization)
        let stepTherapy = try row.flag(columns.stepTherapy)
        let cappedBenefit = try columns.cappedBenefit.flatMap { try row.flag($0) }
        try sink.add(FormularyEntry(
            scope: .contractPlan(contractPlan),
            drug: DrugRef(rxcui: rxcui),
            tierCode: tierCode,
            status: .coveredSupplemental,
            priorAuthorization: UMFlag(required: priorAuthorization),
            stepTherapy: UMFlag(required: stepTherapy),
            quantityLimit: quantityLimit,
            cappedBenefit: cappedBenefit,
            sourceLine: row.number
        ))
    }
}
