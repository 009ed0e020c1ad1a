import FormularyAnalysis
import FormularyCriteria

/// Where a report's answers came from and when it was made: on every report, so a printout
/// can be traced to its data and checked again later.
enum ReportFooter {
    static func lines(_ metadata: ReportMetadata) -> [[Inline]] {
        [[.text("Generated \(metadata.generatedAtText) by formulary \(metadata.toolVersion) · analysis schema \(metadata.analysisSchemaVersion) · report schema \(ReportMetadata.reportSchemaVersion) · as of \(metadata.asOf).")],
         [.text("Not medical or legal advice. Plans change their lists and criteria; the plan's own decision is final.")]]
    }

    static func sourceItems(_ plan: PlanResult, asOf: Day) -> [[Inline]] {
        var items: [[Inline]] = []
        items.append([.strong("Plan: "), .text([plan.planName, plan.planID, plan.market].compactMap { $0 }.joined(separator: " · "))])
        if let formulary = plan.formularyID { items.append([.strong("Formulary: "), .text(formulary)]) }
        items.append([.strong("Formulary data: "), .text(plan.dataSource ?? "not stated")])
        let criteria = plan.criteria
        var line: [Inline] = [.strong("Criteria: "), .text(criteria.title ?? criteria.documentID ?? "none")]
        if let version = criteria.policyVersion { line.append(.text(", version \(version)\(criteria.pinned ? " (pinned)" : "")")) }
        line.append(.text(", rules in force on \(TextFormat.day(criteria.rulesAsOf))"))
        if let file = criteria.file { line += [.text(" · "), .code(file)] }
        items.append(line)
        items.append([.strong("Whose criteria: "), .text(basisText(criteria.basis))])
        items.append([.strong("As-of date: "), .text("\(TextFormat.day(asOf)): every date and count in this report is as of this day.")])
        return items
    }

    static func basisText(_ basis: CriteriaBasis) -> String {
        switch basis {
        case .planSpecific: "the plan's own criteria file"
        case .typical: "typical criteria, not this plan's"
        case .flagOnly: "criteria unknown: flag only"
        case .none: "no criteria apply"
        }
    }
}
