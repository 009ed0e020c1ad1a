import FormularyAnalysis
import FormularyCriteria
import Foundation

/// What the coverage report says about one option in a table cell or a line: its status in
/// words that never contradict themselves ("met, pending 4 answers"), what has to happen first,
/// the earliest date, the cost with its tier by meaning, and its safety flags. Everything is read
/// from the analysis; nothing here decides a verdict, a date or a path.
enum CoverageWording {
    /// The applied rules' criteria that are not plainly met.
    struct OpenCriteria {
        var unknown: [CriterionResult] = []
        var unmet: [CriterionResult] = []
        var documentation: [CriterionResult] = []
    }

    static func open(_ option: OptionResult) -> OpenCriteria {
        var out = OpenCriteria()
        for criterion in option.rules.filter(\.applied).flatMap(\.criteria) {
            switch criterion.status {
            case .unknown: out.unknown.append(criterion)
            case .unmet: out.unmet.append(criterion)
            case .needsDocumentation: out.documentation.append(criterion)
            case .met: break
            }
        }
        return out
    }

    /// "1 answer", "4 answers".
    static func answers(_ count: Int) -> String { TextFormat.plural(count, "answer") }

    /// The status in a few words. A verdict that counts as met while criteria are still unknown
    /// says both ("Criteria met, pending 4 answers"); a "not met" with no path says that what is
    /// missing is information, not another trial.
    static func status(_ option: OptionResult) -> Badge {
        let open = open(option)
        let pending = open.unknown.isEmpty ? "" : ", pending \(answers(open.unknown.count))"
        let path = option.remaining
        switch option.verdict {
        case .coveredNoUM:
            return Badge(tone: .good, symbol: "✓", text: "Covered" + pending)
        case .coveredPAMet:
            return Badge(tone: .good, symbol: "✓", text: "Approval criteria met" + pending)
        case .stMet:
            return Badge(tone: .good, symbol: "✓", text: "Steps already met" + pending)
        case .needsDocumentation:
            return Badge(tone: .info, symbol: "✎", text: "Met with records" + pending)
        case .paNotMet, .stNotMet:
            if let path, !path.reachable {
                return Badge(tone: .neutral, symbol: "–", text: "Not met: information missing")
            }
            if let path, path.stepCount > 0 {
                return Badge(tone: .caution, symbol: "◐", text: "Needs \(TextFormat.plural(path.stepCount, "step")) first")
            }
            return Badge(tone: .caution, symbol: "◐", text: option.verdict == .paNotMet ? "Approval criteria not met yet" : "Steps not met yet")
        case .notCovered:
            return Badge(tone: .bad, symbol: "✗", text: "Not covered")
        case .contraindicated:
            return Badge(tone: .bad, symbol: "⊘", text: "Not safe for you")
        }
    }

    /// One sentence on what the status means, consistent with `status`: a "met" with unknown
    /// criteria says they are still to answer; a "not met" with no path says no trial helps.
    static func meaning(_ option: OptionResult) -> String {
        let unknown = open(option).unknown.count
        switch option.verdict {
        case .coveredPAMet where unknown > 0:
            return "The plan requires prior approval. The analysis counts the requirements as met, but \(answers(unknown)) the records do not give yet \(unknown == 1 ? "is" : "are") still to add to the request."
        case .stMet where unknown > 0, .coveredNoUM where unknown > 0:
            return "\(VerdictWording.meaning(option.verdict)) The records do not answer \(TextFormat.plural(unknown, "question")) the plan may still ask."
        case .needsDocumentation where unknown > 0:
            return "\(VerdictWording.meaning(option.verdict)) \(PlainWords.capitalized(answers(unknown))) the records do not give yet \(unknown == 1 ? "is" : "are") also still to add."
        case .paNotMet, .stNotMet:
            if let path = option.remaining, !path.reachable {
                return "The plan requires \(option.verdict == .paNotMet ? "prior approval" : "other drugs to be tried first"), and the records do not show everything it asks for. No trial can change that: what is missing is information in the records."
            }
            return VerdictWording.meaning(option.verdict)
        default:
            return VerdictWording.meaning(option.verdict)
        }
    }

    /// What has to happen before the option can start, in one sentence.
    static func firstStep(_ option: OptionResult, asOf: Day) -> String {
        let open = open(option)
        switch option.verdict {
        case .contraindicated:
            let rule = option.safety.first { $0.verdict == .contraindicated }?.ruleID
            return "Nothing: a safety rule rules it out (\(rule.map(SafetyWording.topic) ?? "see the safety notes"))."
        case .notCovered:
            return option.exceptionGrounds.isEmpty ? "The plan does not cover it." : "The plan does not cover it; the prescriber can ask for an exception."
        default: break
        }
        var text: String
        if let path = option.remaining, !path.reachable {
            let missing = path.blockedReason.map(PlainWords.sentence) ?? labels(open.unmet + open.unknown)
            return "No trial can meet this: what is missing is information in the records (\(TextFormat.clause(missing)))."
        } else if option.verdict == .needsDocumentation {
            let needed = Self.unique((open.documentation + open.unknown).map { PlainWords.sentence($0.documentationNeeded ?? $0.label) })
            text = needed.isEmpty ? "The prescriber sends records of the earlier treatment." : "The prescriber sends: \(TextFormat.clause(needed.prefix(2).joined(separator: "; ")))"
            if needed.count > 2 { text += " (and \(needed.count - 2) more)" }
            if !text.hasSuffix(".") { text += "." }
            return text
        } else if let path = option.remaining, !path.steps.isEmpty {
            let steps = path.steps.sorted { $0.order < $1.order }
            text = PlainWords.sentence(TextFormat.clause(steps[0].description))
            text = PlainWords.capitalized(text)
            if steps.count > 1 { text += ", then \(TextFormat.plural(steps.count - 1, "more step"))" }
            return text + "."
        }
        let washout = option.safety.filter { $0.verdict == .washout }.compactMap(\.earliestStart).max()
        let waiting = washout.map { $0 > asOf } ?? false
        switch option.verdict {
        case .coveredPAMet:
            text = "The prescriber sends the prior-authorization request"
            if !open.unknown.isEmpty { text += ", answering: \(labels(open.unknown, limit: 2))" }
        case .stMet:
            text = "Nothing: the drugs the plan wants tried first were tried"
        default:
            switch option.coverage.benefit {
            case "medical": text = "Nothing: a clinic can schedule it"
            case "behavioral-health": text = "Nothing: book with an in-network therapist"
            default: text = "Nothing: the prescriber can prescribe it"
            }
            if !open.unknown.isEmpty { text += " (the plan may still ask: \(labels(open.unknown, limit: 2)))" }
        }
        if waiting, let washout { text += "; wait for the gap after the current medicine (until \(TextFormat.day(washout)))" }
        return text + "."
    }

    /// "now", "now, after 1 step", a date, or why there is none. The date is the analysis's
    /// earliest start (the later of the path's date and every washout's end).
    static func earliest(_ option: OptionResult, start: Day?, asOf: Day) -> String {
        switch option.verdict {
        case .notCovered: return "—"
        case .contraindicated: return "—"
        default: break
        }
        if let path = option.remaining, !path.reachable { return "no date: information missing" }
        guard let day = start ?? option.earliestStart ?? option.remaining?.reachableOn else {
            return option.reachableNow ? "now" : OptionBlocks.earliest(option, asOf: asOf)
        }
        if day <= asOf {
            if let path = option.remaining, path.stepCount > 0, !option.reachableNow { return "now, after \(TextFormat.plural(path.stepCount, "step"))" }
            return "now"
        }
        return TextFormat.day(day)
    }

    /// "$10 a month", "20% per session (coinsurance)", with the tier by meaning on a second line.
    static func cost(_ option: OptionResult, monthly: Decimal?) -> [Inline] {
        var cell: [Inline]
        if let monthly {
            cell = [.text("\(TextFormat.money(monthly)) a month")]
        } else if let share = option.coverage.costShare {
            var text = TextFormat.shortCost(share)
            if text == "—" { text = "no cost in the plan's data" }
            if option.coverage.benefit == "medical" || share.channel == "medical" { text += " per session" }
            cell = [.text(text)]
        } else {
            cell = [.text(option.verdict == .notCovered ? "not covered" : "no cost in the plan's data")]
        }
        if let tier = PlainWords.tier(option.coverage) { cell += [.lineBreak, .text(tier)] }
        return cell
    }

    /// The safety flags in a few words each; "none" when there are none.
    static func safety(_ option: OptionResult, flags: [String]?) -> [Inline] {
        let ruleIDs: [String]
        if let flags {
            ruleIDs = flags.compactMap { $0.split(separator: " ").first.map(String.init) }
        } else {
            ruleIDs = option.safety.map(\.ruleID)
        }
        var seen = Set<String>()
        let findings = ruleIDs.filter { seen.insert($0).inserted }.map { id -> (SafetyVerdict, String) in
            let verdict = option.safety.first { $0.ruleID == id }?.verdict ?? .warn
            return (verdict, SafetyWording.topic(id))
        }
        guard !findings.isEmpty else { return [.text("none noted")] }
        var cell: [Inline] = []
        for (index, finding) in findings.enumerated() {
            if index > 0 { cell.append(.lineBreak) }
            let badge = VerdictWording.safety(finding.0)
            cell += [.text("\(badge.symbol) \(PlainWords.capitalized(finding.1))")]
        }
        return cell
    }

    /// "Spravato (esketamine)" plus how it would be used: "added to what you take" or
    /// "instead of your current antidepressant".
    static func useText(_ use: OptionUse, strategy: Strategy) -> String {
        let how = use == .addOn ? "added to what you take" : "in place of your antidepressant"
        return "\(PlainWords.capitalized(strategy.title)), \(how)"
    }

    static func labels(_ criteria: [CriterionResult], limit: Int = 3) -> String {
        let names = unique(criteria.map { PlainWords.sentence($0.label) })
        let shown = names.prefix(limit).joined(separator: "; ")
        return names.count > limit ? shown + " and \(names.count - limit) more" : shown
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
