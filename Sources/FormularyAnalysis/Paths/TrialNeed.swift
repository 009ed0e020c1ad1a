import FormularyCriteria

/// A trial-type criterion (ADQ-TRD count or ADQ-ST step) of an option's rules: what the path
/// search may add planned trials for, and how long each must last.
struct TrialNeed {
    var ruleID: String
    var criterionID: String
    var pool: AgentPool
    var rule: AdequacyRule
    var minDays: Int

    static func collect(_ rules: [AnalysisSession.AppliedRule], adequacy: (String) -> AdequacyRule?) -> [TrialNeed] {
        var needs: [TrialNeed] = []
        for applied in rules {
            let rule = applied.rule
            for labeled in applied.leaves {
                switch labeled.criterion {
                case .trials(let trials):
                    if let adequacyRule = adequacy(trials.adequacy) {
                        needs.append(TrialNeed(ruleID: rule.id, criterionID: labeled.id, pool: trials.pool, rule: adequacyRule, minDays: adequacyRule.minDays))
                    }
                case .step(let step):
                    if let adequacyRule = adequacy(step.adequacy) {
                        needs.append(TrialNeed(ruleID: rule.id, criterionID: labeled.id, pool: step.pool, rule: adequacyRule, minDays: step.minDays ?? adequacyRule.minDays))
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
}
