import FormularyAnalysis
import FormularyCriteria
import Foundation

/// Questions to take to the doctor, the pharmacist and the plan, derived from what one plan's
/// analysis contains: a dose adjustment becomes a question about the dose, a manufacturer
/// switch a question for the pharmacy about the previous labeler, and so on. Nothing here
/// judges coverage; each question points at something the analysis already says. Options
/// that raise the same question share it ("… Rexulti and Vraylar …"), so the list stays short
/// enough to bring to an appointment.
struct QuestionList {
    var doctor: [String] = []
    var pharmacist: [String] = []
    var plan: [String] = []

    var isEmpty: Bool { doctor.isEmpty && pharmacist.isEmpty && plan.isEmpty }

    /// How many path, lookback and exception questions to ask at most.
    static let perTopicLimit = 3

    init() {}

    init(plan result: PlanResult) {
        let options = result.options.sorted { $0.rank < $1.rank }
        var seen = Set<String>()
        func add(_ question: String, to list: WritableKeyPath<QuestionList, [String]>) {
            // Plain words: rule ids and file flags stay in the report's sources.
            let question = PlainWords.sentence(question)
            guard seen.insert(question).inserted else { return }
            self[keyPath: list].append(question)
        }
        let open = options.filter { $0.verdict != .contraindicated && $0.verdict != .notCovered }

        // Safety: dose changes, once per finding (the same S7 can reach aripiprazole both as an
        // option and as a step on another option's path).
        var adjustments = Grouped<String>()
        for option in open {
            let name = VerdictWording.optionName(option)
            let stepFindings = (option.remaining?.steps ?? []).flatMap { step in
                // The step's drug by the same name the option list uses, so it groups with it.
                let subject = step.optionID.flatMap { id in options.first { $0.optionID == id } }.map(VerdictWording.optionName) ?? step.option ?? name
                return step.safety.map { (subject, $0) }
            }
            for (subject, finding) in option.safety.map({ (name, $0) }) + stepFindings where finding.verdict == .adjust {
                adjustments.add(finding.ruleID + "|" + finding.message, subject, payload: TextFormat.clause(finding.message))
            }
        }
        for group in adjustments.groups {
            add("The report flags a dose change for \(Self.list(group.names, "or")): \(group.payload). What dose should I start at?", to: \.doctor)
        }
        // Washouts: options that can start on the same day share one question.
        var washouts = Grouped<String>()
        for option in open {
            for finding in option.safety where finding.verdict == .washout {
                washouts.add(finding.earliestStart?.description ?? finding.message, VerdictWording.optionName(option),
                             payload: finding.earliestStart.map { " The earliest start in the report is \(TextFormat.day($0))." } ?? "")
            }
        }
        for group in washouts.groups {
            add("If we choose \(Self.list(group.names, "or")), when should I stop my current medicine and when can I start?\(group.payload)", to: \.doctor)
        }
        for finding in result.regimenSafety where finding.verdict == .warn || finding.verdict == .adjust {
            add("Are my current medicines safe together? The report notes: \(TextFormat.clause(finding.message)).", to: \.doctor)
        }

        // Manufacturer switches and the trials they confound.
        for event in result.events where event.kind == .manufacturerSwitch {
            let makers = [event.fromLabeler, event.toLabeler].compactMap { $0 }
            let change = makers.count == 2 ? " (\(makers[0]) → \(makers[1]))" : ""
            let scores = [event.scoreBefore, event.scoreAfter].compactMap { $0 }
            let scoreText = scores.count == 2 ? ", and my score went from \(scores[0]) to \(scores[1])" : ""
            add("My \(event.drug) changed maker on \(TextFormat.day(event.date))\(change)\(scoreText). Could the switch explain how I feel? Should we file an FDA MedWatch report?", to: \.doctor)
            if let from = event.fromLabeler {
                add("Can you fill my \(event.drug) from the previous maker (\(from)) again?", to: \.pharmacist)
            } else {
                add("Which maker supplied my \(event.drug) before \(TextFormat.day(event.date)), and can you fill it from that maker again?", to: \.pharmacist)
            }
        }
        for trial in result.trials where trial.confoundedBy != nil {
            add("Should my \(trial.drug) trial count as a failed trial? The report does not count it yet because it is confounded (\(trial.confoundedBy ?? "")).", to: \.doctor)
        }

        // Coverage: what the prescriber can submit or document now.
        let ready = options.filter { $0.verdict == .coveredPAMet }.map(VerdictWording.optionName)
        if ready.count == 1, let only = ready.first {
            add("Can you submit the prior authorization for \(only)? The report shows every criterion met.", to: \.doctor)
        } else if !ready.isEmpty {
            add("The report shows every prior-authorization criterion met for \(Self.list(ready, "and")). Which of them is right for me, and can you submit the request?", to: \.doctor)
        }
        for option in options where option.verdict == .needsDocumentation {
            let name = VerdictWording.optionName(option)
            let needed = option.rules.filter(\.applied).flatMap(\.criteria).filter { $0.status == .needsDocumentation || $0.status == .unknown }
                .map { $0.documentationNeeded ?? $0.label }
            if needed.isEmpty {
                add("Can you send records with the request for \(name)? The plan cannot see every earlier trial in its claims.", to: \.doctor)
            } else {
                add("For \(name), can you send: \(Self.unique(needed).joined(separator: "; "))?", to: \.doctor)
            }
        }
        var steps = Grouped<String>()
        for option in options {
            guard let remaining = option.remaining, remaining.reachable, let reachableOn = remaining.reachableOn,
                  let first = remaining.steps.sorted(by: { $0.order < $1.order }).first(where: { $0.kind == .trial || $0.kind == .continueTrial }) else { continue }
            let step = first.option ?? first.description
            let start = first.start.map { " on \(TextFormat.day($0))" } ?? ""
            steps.add("\(step)|\(start)|\(reachableOn)", VerdictWording.optionName(option), payload: "\(step)\(start)|\(TextFormat.day(reachableOn))")
        }
        for group in steps.groups.prefix(Self.perTopicLimit) {
            let parts = group.payload.split(separator: "|", maxSplits: 1).map(String.init)
            add("Would starting \(parts.first ?? "") make sense for me? The report says it would make \(Self.list(group.names, "and")) available from \(parts.last ?? "").", to: \.doctor)
        }
        var expiries = Grouped<String>()
        for option in options {
            for expiry in option.lookbackExpiries {
                expiries.add("\(expiry.drug)|\(expiry.expiresOn)", VerdictWording.optionName(option), payload: "\(expiry.drug)|\(TextFormat.day(expiry.expiresOn))", order: expiry.expiresOn.ordinal)
            }
        }
        for group in expiries.groups.sorted(by: { $0.order < $1.order }).prefix(Self.perTopicLimit) {
            let parts = group.payload.split(separator: "|", maxSplits: 1).map(String.init)
            add("My \(parts.first ?? "") trial stops counting toward \(Self.list(group.names, "and")) on \(parts.last ?? ""). Does that change when we should ask for \(group.names.count == 1 ? "it" : "them")?", to: \.doctor)
        }
        var exceptionQuestions = 0
        for option in options where exceptionQuestions < Self.perTopicLimit {
            guard let ground = option.exceptionGrounds.first else { continue }
            add("Would you request an exception for \(VerdictWording.optionName(option))? The report's reason: \(TextFormat.clause(ground.description)).", to: \.doctor)
            exceptionQuestions += 1
        }

        // Pharmacy: spacing, interactions, prices.
        let allFindings = result.regimenSafety + options.flatMap(\.safety)
        for finding in allFindings where finding.ruleID == "S16" || finding.ruleID == "S17" {
            add("How should I space my medicines and my \(finding.involves.first ?? "supplement") through the day?", to: \.pharmacist)
        }
        if allFindings.contains(where: { $0.ruleID == "S4" || $0.ruleID == "S15" || $0.ruleID == "S6" }) {
            add("Can you check all my medicines, including over-the-counter ones, for interactions before I start something new?", to: \.pharmacist)
        }
        for option in options where option.reachableNow && option.coverage.benefit != "medical" {
            guard let cost = option.coverage.costShare, cost.estimatedMonthly == nil, let coinsurance = cost.coinsurance, coinsurance > 0 else { continue }
            add("What would \(VerdictWording.optionName(option)) cost me for a month? The plan charges \(TextFormat.percent(coinsurance)) of the price.", to: \.pharmacist)
        }

        // The plan: criteria it has not published here, medical-benefit costs, timing.
        let typical = options.filter { $0.basis == .typical }.map(VerdictWording.optionName)
        if !typical.isEmpty {
            add("What are your exact criteria for \(Self.list(typical, "and"))? The report could only use typical criteria.", to: \.plan)
        }
        let flagged = options.filter { $0.basis == .flagOnly }.map(VerdictWording.optionName)
        if !flagged.isEmpty {
            add("What are your criteria for \(Self.list(flagged, "and"))? The formulary only flags a requirement.", to: \.plan)
        }
        let medical = open.filter { $0.coverage.benefit == "medical" }.map(VerdictWording.optionName)
        if !medical.isEmpty {
            add("For \(Self.list(medical, "and")), what will I pay per session after the deductible, and which clinics near me are in network?", to: \.plan)
        }
        if options.contains(where: { $0.verdict == .coveredPAMet || $0.verdict == .paNotMet || $0.verdict == .needsDocumentation }) {
            add("How long does a prior-authorization decision take, and how will I be told the answer?", to: \.plan)
        }
    }

    /// "A", "A and B", "A, B and C".
    static func list(_ names: [String], _ conjunction: String) -> String {
        let names = unique(names)
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

/// Options collected under a shared key, in first-seen order, with the text the question needs.
private struct Grouped<Key: Hashable> {
    struct Group {
        var names: [String]
        var payload: String
        var order: Int
    }

    private var keys: [Key] = []
    private var byKey: [Key: Group] = [:]

    mutating func add(_ key: Key, _ name: String, payload: String, order: Int = 0) {
        if byKey[key] == nil {
            keys.append(key)
            byKey[key] = Group(names: [], payload: payload, order: order)
        }
        if byKey[key]?.names.contains(name) == false { byKey[key]?.names.append(name) }
    }

    var groups: [Group] { keys.compactMap { byKey[$0] } }
}
