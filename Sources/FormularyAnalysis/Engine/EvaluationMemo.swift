import Foundation
import FormularyCriteria
import FormularyModel

/// Answers that depend on the patient and the criteria but not on a plan's formulary lines,
/// remembered for one `TRDAnalyzer.analyze` call: across its plans, and across the path
/// search's many "what if" trials.
///
/// A rule's evaluation is a pure function of the facts (the profile plus any planned trials),
/// the day, the requested option, the adequacy rules in reach (the rule's document, the plan's,
/// the default set's) and the search assumption; `RuleKey` holds exactly those. So is a safety
/// finding of the profile's own facts for an option and a start day, and a policy's rules and
/// criteria line for an option (`PolicyKey`). With one patient against hundreds of formularies
/// most plans share a criteria document, and each is then worked out once instead of once per plan.
///
/// A class shared by the analysis sessions one thread runs one after another (the plans of the
/// batches a worker takes, `TRDAnalyzer.analyzePlans`); each worker has its own, so it never
/// crosses threads while in use (a one-plan analysis on two cores hands it from the warming
/// thread to the caller after both have joined, and gives the second thread a `copy()`).
final class EvaluationMemo {
    /// A planned trial as the path search builds it (`AnalysisSession.plannedItem`): everything
    /// that makes one planned item differ from another.
    struct PlannedKey: Hashable {
        var option: String
        var start: Day
        var end: Day
        var mgPerDay: Double?

        init(_ item: TherapyItem) {
            option = item.handle.id
            start = item.start
            end = item.end ?? item.start
            mgPerDay = item.mgPerDay
        }
    }

    /// Where a rule's adequacy rules come from: the rule's document, the plan's, the default set
    /// (`nil` = none). Documents are immutable objects that live through the analysis, so their
    /// identity tells them apart even when two carry the same file label.
    struct Documents: Hashable {
        var rule: ObjectIdentifier?
        var plan: ObjectIdentifier?
        var fallback: ObjectIdentifier?
    }

    /// A loaded rule: its document, line and id tell it from every other.
    private struct RuleIdentity: Hashable {
        var document: ObjectIdentifier?
        var line: Int
        var id: String
    }

    /// Keys are small integers for rules and documents (interned once per plan), so the
    /// path search's thousands of lookups hash no paths or rule trees.
    struct RuleKey: Hashable {
        var rule: Int
        var documents: Int
        var option: String
        var day: Day
        var assumption: EvaluationContext.Assumption
        var planned: [PlannedKey]
    }

    struct SafetyKey: Hashable {
        var option: String
        var day: Day
    }

    /// A trial or step criterion of a memoized rule on a day, with where its adequacy rules come
    /// from: which agents already count toward it from the history alone (the path search
    /// offers no alternative that already counts), and when current trials start to.
    struct CountingKey: Hashable {
        var rule: Int
        var documents: Int
        var criterion: String
        var line: Int?
        var option: String
        var day: Day
    }

    /// The numbers given to rules, document sets and policies: shared with every copy of this
    /// memo (`copy()`), so a number means the same in each, whichever memo gave it first. An
    /// assessment made through one copy (with its rules' numbers) is read through the other.
    private let numbering: Numbering
    private var evaluations: [RuleKey: RuleEvaluation] = [:]
    private var leaves: [Int: [LabeledCriterion]] = [:]
    private var optionRules: [OptionKey: (rules: [CriteriaRule], basis: CriteriaBasis, document: CriteriaDocument?)] = [:]
    private var criteriaLines: [OptionKey: (line: CriteriaLine, basis: CriteriaBasis, document: CriteriaDocument)?] = [:]

    /// What a resolved policy's answers for an option depend on: its documents and rule date,
    /// and the plan itself only when the plan's document restricts rules to some plans.
    private struct PolicyKey: Hashable {
        var plan: ObjectIdentifier?
        var fallback: ObjectIdentifier?
        var ruleDate: Day
        var planScope: PlanID?
    }

    private struct OptionKey: Hashable {
        var policy: Int
        var option: String
    }
    private var findings: [SafetyKey: [SafetyFinding]] = [:]
    /// An option's use, strategy group and history: facts of the profile alone.
    private var standings: [String: OptionStanding] = [:]

    /// How an option stands for this patient whatever the plan (`AnalysisSession.standing`).
    struct OptionStanding {
        var use: OptionUse
        var strategy: Strategy
        var history: OptionHistory?
    }
    private var counting: [CountingKey: Set<String>] = [:]

    /// What depends only on the adequacy rules of one criteria document (the plan's, else the
    /// default set's; `nil`: none) and the profile.
    struct AdequacyAnswers {
        var strategy: (order: [Strategy], resistant: Bool, adequate: Int)
        var trials: [TrialAssessment]
    }
    private var adequacyAnswers: [ObjectIdentifier?: AdequacyAnswers] = [:]

    func adequacyAnswers(for document: CriteriaDocument?, _ compute: () -> AdequacyAnswers) -> AdequacyAnswers {
        Self.remember(&adequacyAnswers, document.map(ObjectIdentifier.init), compute)
    }
    private var crossings: [CountingKey: [(day: Day, item: TherapyItem)]] = [:]

    init() {
        numbering = Numbering()
    }

    private init(numbering: Numbering) {
        self.numbering = numbering
    }

    /// A memo that starts with everything this one knows, for a second thread that analyzes some
    /// of a plan's options (`TRDAnalyzer.usesSecondCore`). The tables are copy-on-write, so
    /// this costs a retain each until either memo learns something new; the numbering is shared.
    func copy() -> EvaluationMemo {
        let twin = EvaluationMemo(numbering: numbering)
        twin.evaluations = evaluations
        twin.leaves = leaves
        twin.optionRules = optionRules
        twin.criteriaLines = criteriaLines
        twin.findings = findings
        twin.standings = standings
        twin.counting = counting
        twin.adequacyAnswers = adequacyAnswers
        twin.crossings = crossings
        return twin
    }

    /// The value remembered under `key`, computing and remembering it the first time.
    private static func remember<Key: Hashable, Value>(_ table: inout [Key: Value], _ key: Key, _ compute: () -> Value) -> Value {
        if let known = table[key] { return known }
        let value = compute()
        table[key] = value
        return value
    }

    /// Numbers for rules, document sets and policies, given once and shared by a memo and its
    /// copies, which may be used on two threads at once: hence the lock (a few lookups per option
    /// and plan, not per evaluation).
    private final class Numbering: @unchecked Sendable {
        private let lock = NSLock()
        private var rules: [RuleIdentity: Int] = [:]
        private var documentSets: [Documents: Int] = [:]
        private var policies: [PolicyKey: Int] = [:]

        /// The next number for a new key.
        private func number<Key: Hashable>(_ table: inout [Key: Int], _ key: Key) -> Int {
            lock.lock()
            defer { lock.unlock() }
            if let known = table[key] { return known }
            let next = table.count
            table[key] = next
            return next
        }

        func rule(_ key: RuleIdentity) -> Int { number(&rules, key) }
        func documents(_ key: Documents) -> Int { number(&documentSets, key) }
        func policy(_ key: PolicyKey) -> Int { number(&policies, key) }
    }

    /// A number for a rule of `document` loaded from a file; `nil` for a rule built in code (no
    /// line to tell it from another), which is then evaluated every time.
    func serial(of rule: CriteriaRule, in document: CriteriaDocument?) -> Int? {
        guard let line = rule.line else { return nil }
        return numbering.rule(RuleIdentity(document: document.map(ObjectIdentifier.init), line: line, id: rule.id))
    }

    /// A number for where adequacy rules come from.
    func serial(of documents: Documents) -> Int {
        numbering.documents(documents)
    }

    /// A number for a resolved policy.
    func serial(of policy: ResolvedPolicy) -> Int {
        let planScoped = policy.planDocument?.rules.contains { $0.appliesTo != nil } ?? false
        return numbering.policy(PolicyKey(plan: policy.planDocument.map(ObjectIdentifier.init), fallback: policy.defaultDocument.map(ObjectIdentifier.init),
                                          ruleDate: policy.ruleDate, planScope: planScoped ? policy.plan : nil))
    }

    func evaluation(_ key: RuleKey?, _ compute: () -> RuleEvaluation) -> RuleEvaluation {
        guard let key else { return compute() }
        return Self.remember(&evaluations, key, compute)
    }

    /// `policy.rules(for:)`, once per policy and option.
    func rules(for option: String, in policy: ResolvedPolicy, serial: Int) -> (rules: [CriteriaRule], basis: CriteriaBasis, document: CriteriaDocument?) {
        return Self.remember(&optionRules, OptionKey(policy: serial, option: option)) { policy.rules(for: option) }
    }

    /// `policy.line(for:)`, once per policy and option.
    func criteriaLine(for option: String, in policy: ResolvedPolicy, serial: Int) -> (line: CriteriaLine, basis: CriteriaBasis, document: CriteriaDocument)? {
        return Self.remember(&criteriaLines, OptionKey(policy: serial, option: option)) { policy.line(for: option) }
    }

    /// A rule's criteria, depth first (`Requirement.leaves`), once per rule.
    func leaves(of rule: CriteriaRule, serial: Int?) -> [LabeledCriterion] {
        guard let serial else { return rule.requirement.leaves }
        return Self.remember(&leaves, serial) { rule.requirement.leaves }
    }

    /// An option's standing, once per option.
    func standing(of option: String, _ compute: () -> OptionStanding) -> OptionStanding {
        Self.remember(&standings, option, compute)
    }

    func safety(_ key: SafetyKey, _ compute: () -> [SafetyFinding]) -> [SafetyFinding] {
        Self.remember(&findings, key, compute)
    }

    func countingAgents(_ key: CountingKey?, _ compute: () -> Set<String>) -> Set<String> {
        guard let key else { return compute() }
        return Self.remember(&counting, key, compute)
    }

    /// The days the patient's current trials, kept, start counting toward a criterion (same key,
    /// on the as-of date).
    func crossings(_ key: CountingKey?, _ compute: () -> [(day: Day, item: TherapyItem)]) -> [(day: Day, item: TherapyItem)] {
        guard let key else { return compute() }
        return Self.remember(&crossings, key, compute)
    }
}
