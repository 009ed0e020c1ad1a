import FormularyCriteria

/// Walks a rule's requirement tree: all-of needs every branch, any-of one. Status combines
/// as unmet > unknown > needs-documentation > met for all-of, and the best branch for any-of.
enum RequirementEvaluator {
    static func evaluate(_ requirement: Requirement, _ context: EvaluationContext) -> RuleEvaluation {
        var group = 0
        return evaluate(requirement, context, group: nil, nextGroup: &group)
    }

    private static func evaluate(_ requirement: Requirement, _ context: EvaluationContext, group: Int?, nextGroup: inout Int) -> RuleEvaluation {
        switch requirement {
        case .criterion(let labeled):
            var expiries: [AdequacyJudge.Expiry] = []
            var result = CriterionEvaluator.evaluate(labeled, context, expiries: &expiries)
            result.alternativeGroup = group
            var evaluation = RuleEvaluation(status: result.status, criteria: [result])
            // Kept for the output's lookback expiries (only the analysis date's own evaluation works them out).
            evaluation.expiries = expiries.map { RuleEvaluation.Expiry(id: labeled.id, line: labeled.line, criterionMet: result.status == .met, expiry: $0) }
            return evaluation
        case .allOf(let items):
            let parts = items.map { evaluate($0, context, group: group, nextGroup: &nextGroup) }
            return RuleEvaluation(status: combineAll(parts.map(\.status)), criteria: parts.flatMap(\.criteria), expiries: parts.flatMap(\.expiries))
        case .anyOf(let items):
            nextGroup += 1
            let mine = nextGroup
            let parts = items.map { evaluate($0, context, group: mine, nextGroup: &nextGroup) }
            return RuleEvaluation(status: combineAny(parts.map(\.status)), criteria: parts.flatMap(\.criteria), expiries: parts.flatMap(\.expiries))
        }
    }

    static func combineAll(_ statuses: [CriterionStatus]) -> CriterionStatus {
        if statuses.contains(.unmet) { return .unmet }
        if statuses.contains(.unknown) { return .unknown }
        if statuses.contains(.needsDocumentation) { return .needsDocumentation }
        return .met
    }

    static func combineAny(_ statuses: [CriterionStatus]) -> CriterionStatus {
        if statuses.isEmpty || statuses.contains(.met) { return .met }
        if statuses.contains(.needsDocumentation) { return .needsDocumentation }
        if statuses.contains(.unknown) { return .unknown }
        return .unmet
    }
}
