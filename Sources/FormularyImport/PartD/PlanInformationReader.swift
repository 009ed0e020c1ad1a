import Foundation
import FormularyModel

/// Reads plan information: which formulary each plan uses, its premium, deductible and states.
///
/// Local MA (H) plans have one row per plan and county, so rows are merged per plan key: the
/// first row gives names, premium and deductible, and every row adds its STATE. Plans are
/// emitted when the file ends, in plan-key order. Suppressed plans (`PLAN_SUPPRESSED_YN=Y`) are
/// absent from the other tables, so they are skipped and counted, not imported.
struct PlanInformationReader: DelimitedRowConsumer {
    private struct Columns {
        var contract = 0, plan = 0, segment = 0, contractName = 0, planName = 0, formularyID = 0
        var premium = 0, deductible = 0, state = 0
        var snp: Int?, suppressed: Int?
    }

    /// A plan being merged from its rows.
    private struct Draft {
        var plan: Plan
        var states: Set<String>
    }

    private let sink: any ImportSink
    private let contractYear: Int?
    private var columns = Columns()
    private var drafts: [PlanID: Draft] = [:]
    /// Plan keys marked suppressed.
    private(set) var suppressedPlans: Set<PlanID> = []

    init(sink: any ImportSink, contractYear: Int?) {
        self.sink = sink
        self.contractYear = contractYear
    }

    /// The formulary of every imported plan.
    var formularyByPlan: [PlanID: FormularyID] {
        drafts.mapValues(\.plan.formulary)
    }

    var planCount: Int { drafts.count }

    /// Suppressed plans that no unsuppressed row brought back.
    var suppressedCount: Int { suppressedPlans.subtracting(drafts.keys).count }

    mutating func bind(_ header: inout ColumnBinder) {
        columns.contract = header.require("CONTRACT_ID")
        columns.plan = header.require("PLAN_ID")
        columns.segment = header.require("SEGMENT_ID")
        columns.contractName = header.require("CONTRACT_NAME")
        columns.planName = header.require("PLAN_NAME")
        columns.formularyID = header.require("FORMULARY_ID")
        columns.premium = header.require("PREMIUM")
        columns.deductible = header.require("DEDUCTIBLE")
        columns.state = header.require("STATE")
        columns.snp = header.optional("SNP")
        columns.suppressed = header.optional("PLAN_SUPPRESSED_YN")
    }

    mutating func consume(_ row: DelimitedRow) throws {
        let id = try row.planKey(contract: columns.contract, plan: columns.plan, segment: columns.segment)
        if let suppressed = columns.suppressed, try row.flag(suppressed) == true {
            suppressedPlans.insert(id)
            return
        }
        let formulary = try row.formularyID(columns.formularyID)
        let planName = try row.optionalName(columns.planName)
        let premium = try row.optionalDecimal(columns.premium, expected: "a monthly premium in dollars, or blank")
        let deductible = try row.optionalDecimal(columns.deductible, expected: "an annual deductible in dollars, or blank")
        let state = row.optionalText(columns.state)?.uppercased()
        if let state, state.utf8.count != 2 || !state.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) {
            throw row.problem(columns.state, expected: "a two-letter state code, or blank")
        }

        if let draft = drafts[id] {
            guard draft.plan.formulary == formulary else {
                throw row.problem(
                    columns.formularyID,
                    expected: "\(draft.plan.formulary), the formulary earlier rows give plan \(id)"
                )
            }
            if let state { drafts[id]?.states.insert(state) }
        } else {
            let plan = Plan(
                id: id,
                name: planName,
                organizationName: row.optionalText(columns.contractName),
                market: .medicarePartD,
                formulary: formulary,
                year: contractYear,
                premiumMonthly: premium,
                drugDeductible: deductible,
                snpType: columns.snp.flatMap { row.optionalText($0) }
            )
            drafts[id] = Draft(plan: plan, states: state.map { [$0] } ?? [])
        }
    }

    mutating func finish() throws {
        for id in drafts.keys.sorted() {
            guard var plan = drafts[id]?.plan else { continue }
            plan.states = drafts[id]?.states.sorted() ?? []
            try sink.add(plan)
        }
    }
}
