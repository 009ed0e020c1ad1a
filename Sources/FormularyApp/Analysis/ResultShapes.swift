import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// The JSON shape of a lookup, the same for `formulary lookup --json` and `GET /v1/plans/{plan}/drugs/{drug}`:
/// the plan, what was asked, and each matching line with its 30- and 90-day preferred retail and
/// mail cost shares picked out.
public struct LookupJSON: Encodable, Sendable {
    public struct Line: Encodable, Sendable {
        public var line: CoverageLine
        public var cost30DayPreferredRetail: CostShare?
        public var cost90DayPreferredRetail: CostShare?
        public var cost30DayMail: CostShare?
        public var cost90DayMail: CostShare?

        public init(_ line: CoverageLine) {
            self.line = line
            cost30DayPreferredRetail = line.costShare(channel: .retailPreferred, daysSupply: 30) ?? line.costShare(channel: .retailStandard, daysSupply: 30)
            cost90DayPreferredRetail = line.costShare(channel: .retailPreferred, daysSupply: 90) ?? line.costShare(channel: .retailStandard, daysSupply: 90)
            cost30DayMail = line.costShare(channel: .mailPreferred, daysSupply: 30) ?? line.costShare(channel: .mailStandard, daysSupply: 30)
            cost90DayMail = line.costShare(channel: .mailPreferred, daysSupply: 90) ?? line.costShare(channel: .mailStandard, daysSupply: 90)
        }
    }

    public var plan: PlanListing
    public var query: String
    public var covered: Bool { !lines.isEmpty }
    public var lines: [Line]
    /// For a medical-benefit item the formulary does not list: who decides.
    public var benefitNote: String?

    public init(_ answer: LookupService.Answer, query: String) {
        plan = answer.listing
        self.query = query
        lines = answer.lines.map(Line.init)
        benefitNote = answer.benefitNote
    }

    enum CodingKeys: String, CodingKey { case plan, query, covered, lines, benefitNote }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(plan, forKey: .plan)
        try container.encode(query, forKey: .query)
        try container.encode(covered, forKey: .covered)
        try container.encode(lines, forKey: .lines)
        try container.encodeIfPresent(benefitNote, forKey: .benefitNote)
    }
}

/// The JSON shape of a pre-check (`formulary precheck --json`, `POST /v1/prechecks`): the plan
/// summary and the one option's full result.
public struct PrecheckJSON: Encodable, Sendable {
    public var schemaVersion = AnalysisResult.currentSchemaVersion
    public var asOf: Day
    public var planId: String
    public var planLabel: String?
    public var planName: String?
    public var criteria: CriteriaSummary
    public var option: OptionResult

    /// One per plan result of `analysis` that holds an option (an analysis run for one option).
    public static func from(_ analysis: AnalysisResult) -> [PrecheckJSON] {
        analysis.plans.compactMap { plan in
            plan.options.first.map {
                PrecheckJSON(asOf: analysis.asOf, planId: plan.planID, planLabel: plan.planLabel, planName: plan.planName, criteria: plan.criteria, option: $0)
            }
        }
    }
}
