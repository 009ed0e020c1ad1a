import FormularyCriteria

/// A trial-type criterion (ADQ-TRD count or ADQ-ST step) of an option's rules: what the path
/// search may add planned trials for, how long each must last, and on which day one counts.
///
/// An immutable final class: the search filters lists of needs for every schedule it tries, and
/// a reference is one retain where a struct holding a criterion and an adequacy rule is dozens.
final class TrialNeed {
    let ruleID: String
    let criterionID: String
    let pool: AgentPool
    let rule: AdequacyRule
    let minDays: Int
    /// The criterion itself (to ask which agents already count toward it).
    let criterion: Criterion
    /// The rule's memo number (`nil`: not memoized) and the criterion's line, for the memo.
    let ruleSerial: Int?
    let line: Int?

    init(ruleID: String, criterionID: String, pool: AgentPool, rule: AdequacyRule, minDays: Int, criterion: Criterion, ruleSerial: Int?, line: Int?) {
        self.ruleID = ruleID
        self.criterionID = criterionID
        self.pool = pool
        self.rule = rule
        self.minDays = minDays
        self.criterion = criterion
        self.ruleSerial = ruleSerial
        self.line = line
    }

    static func collect(_ rules: [AnalysisSession.AppliedRule], adequacy: (String) -> AdequacyRule?) -> [TrialNeed] {
        var needs: [TrialNeed] = []
        for applied in rules {
            let rule = applied.rule
            for labeled in applied.leaves {
                switch labeled.criterion {
                case .trials(let trials):
                    if let adequacyRule = adequacy(trials.adequacy) {
                        needs.append(TrialNeed(ruleID: rule.id, criterionID: labeled.id, pool: trials.pool, rule: adequacyRule, minDays: adequacyRule.minDays,
                                               criterion: labeled.criterion, ruleSerial: applied.serial, line: labeled.line))
                    }
                case .step(let step):
                    if let adequacyRule = adequacy(step.adequacy) {
                        needs.append(TrialNeed(ruleID: rule.id, criterionID: labeled.id, pool: step.pool, rule: adequacyRule, minDays: step.minDays ?? adequacyRule.minDays,
                                               criterion: labeled.criterion, ruleSerial: applied.serial, line: labeled.line))
                    }
                default:
                    break
                }
            }
        }
        return needs
    }

    func accepts(_ option: DrugOption) -> Bool {
        pool.contains(option) && !rule.excludedOptions.contains(option.id)
    }

    /// "RULE.criterion", as path steps name what they satisfy.
    var label: String { "\(ruleID).\(criterionID)" }

    /// The first day a planned trial starting on `start` counts toward this need. A step rule
    /// that reads claims counts a paid fill at once (§5.0 rule 3: the fill date, not the end of
    /// its supply); a duration rule (ADQ-TRD, or a step judged on chart days only) counts on
    /// day `minDays`, start + minDays − 1 (§5.0 rule 1).
    func earliestMet(start: Day) -> Day {
        AdequacyJudge.countsSupplyAtOnce(rule) ? start : start + (minDays - 1)
    }
}
