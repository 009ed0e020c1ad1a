import Foundation
import FormularyCriteria
import FormularyModel

/// The safety rules of DOMAIN.md §3 over data: every washout, dose cap, age threshold, blocking
/// condition and interaction pair comes from `safety_rules.yaml` (`DrugReference.safety`), drug
/// properties from the drug reference and conditions from the patient. This type only combines
/// them.
///
/// `findings(for:startingOn:use:)` answers "what if this option started on that day, used this
/// way". A **switch** replaces the current antidepressants: they stop on the start day, so their
/// washouts apply and their interactions do not. An **add-on** joins the current regimen: a
/// combination a rule forbids (an MAOI with a serotonergic drug) is `CONTRAINDICATED`, citing the
/// rule. A BLOCK makes the option CONTRAINDICATED and prunes it from remaining paths.
struct SafetyEngine: Sendable {
    let facts: PatientFacts
    let reference: DrugReference
    /// Read once: through `reference.safety` every rule lookup copied the whole rules value.
    let rules: SafetyRules
    /// The numbers every `findings` call reads, looked up once (two string-keyed lookups each).
    let maoiWashoutDays: Int
    let longWashoutDays: Int
    let anticholinergicMinimumAge: Int

    init(facts: PatientFacts, reference: DrugReference) {
        self.facts = facts
        self.reference = reference
        rules = reference.safety
        maoiWashoutDays = Int(rules.number("S1", "washoutDays"))
        longWashoutDays = Int(rules.number("S2", "longWashoutDays"))
        anticholinergicMinimumAge = Int(rules.number("S19", "minimumAge"))
    }

    /// Agents on board on `day`: active items, plus long-washout drugs (fluoxetine) stopped
    /// within their washout — their inhibition persists.
    /// `template` with each `{name}` of `values` filled in; other braces stay as written.
    /// (Foundation's `replacingOccurrences` bridges through NSString on Linux: it was a tenth of
    /// the safety findings' time, perf.)
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            if let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[rest.index(after: open)..<close])] {
                out += value
                rest = rest[rest.index(after: close)...]
            } else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
            }
        }
        return out + rest
    }

    func onBoard(_ day: Day, excluding optionID: String) -> [(item: TherapyItem, residual: Bool)] {
        let long = longWashoutDays
        var result: [(TherapyItem, Bool)] = []
        for item in facts.everything where !item.counting.contains(optionID) && item.handle.id != optionID {
            if item.isActive(on: day) {
                result.append((item, false))
            } else if let end = item.end, end < day, let washout = item.option.washoutBeforeMAOIDays, washout >= long, day - end <= washout {
                result.append((item, true))
            }
        }
        return result
    }

    /// The last day each agent was taken (for washouts), among items stopped before `day`.
    func recentlyStopped(before day: Day, excluding optionID: String) -> [(item: TherapyItem, stop: Day)] {
        facts.everything.compactMap { item in
            guard !item.counting.contains(optionID), item.handle.id != optionID, let end = item.end, end < day else { return nil }
            return (item, end)
        }
    }

    /// The use of `option` in this analysis: the profile's request, else the rules' default.
    func use(of option: DrugOption) -> OptionUse {
        facts.profile.requests.last { $0.option == option.id }?.use ?? rules.uses.defaultUse(for: option)
    }

    /// Serotonergic for the MAOI rules (S1, S3): bupropion counts too (§5.0 rule 11).
    static func serotonergicForMAOI(_ option: DrugOption) -> Bool {
        option.has(.serotonergic) || option.has(.maoiWashoutAgent) || option.has(.bupropionContaining)
    }

    func finding(_ rule: String, _ verdict: SafetyVerdict, _ message: String, involves: [String], earliestStart: Day? = nil) -> SafetyFinding {
        SafetyFinding(ruleID: rule, verdict: verdict, message: message, involves: involves, earliestStart: earliestStart,
                      citation: rules.rule(rule)?.citation)
    }

    func findings(for option: DrugOption, startingOn day: Day, use: OptionUse? = nil) -> [SafetyFinding] {
        let use = use ?? self.use(of: option)
        var out: [SafetyFinding] = []
        let onBoard = onBoard(day, excluding: option.id)
        let active = onBoard.filter { !$0.residual }.map(\.item)
        // A switch stops the current antidepressants on the start day; an add-on keeps everything.
        let replaced = use == .switch ? active.filter { $0.option.countsAsAntidepressant } : []
        let replacedRefs = replaced.isEmpty ? [] : Set(replaced.map(\.ref))
        let staying = replacedRefs.isEmpty ? active : active.filter { !replacedRefs.contains($0.ref) }
        let conditions = facts.conditions
        let age = facts.age(on: day)
        func names(_ items: [TherapyItem]) -> [String] { Array(Set(items.map(\.option.name))).sorted() }
        let stoppedBefore = recentlyStopped(before: day, excluding: option.id)

        // S1: an MAOI with a serotonergic drug. Together: contraindicated. After the MAOI stops
        // (a switch stops it today): wait its washout.
        let maoiWashout = maoiWashoutDays
        if Self.serotonergicForMAOI(option) && !option.has(.maoi) {
            let together = staying.filter { $0.option.has(.maoi) }
            if !together.isEmpty {
                out.append(finding("S1", .contraindicated,
                                   "adding \(option.name) to the MAOI \(names(together).joined(separator: ", ")) can cause serotonin syndrome: contraindicated. To use \(option.name), switch: stop the MAOI and wait \(maoiWashout) days",
                                   involves: names(together)))
            }
            let stopping = replaced.filter { $0.option.has(.maoi) }.map { ($0, day) }
                + stoppedBefore.filter { $0.item.option.has(.maoi) && day - $0.stop < maoiWashout }.map { ($0.item, $0.stop) }
            if let latest = stopping.max(by: { $0.1 < $1.1 }) {
                out.append(finding("S1", .washout,
                                   "\(names(stopping.map(\.0)).joined(separator: ", ")) (an MAOI) must be stopped \(maoiWashout) days before \(option.name) starts"
                                       + (latest.1 == day ? "" : " (stopped \(latest.1))"),
                                   involves: names(stopping.map(\.0)), earliestStart: latest.1 + maoiWashout))
            }
        }
        // S1/S2/S3: starting an MAOI. A serotonergic drug that stays: contraindicated; one that
        // stops (a switch, or stopped already): its own washout (fluoxetine 5 weeks: S2).
        if option.has(.maoi) {
            let together = staying.filter { Self.serotonergicForMAOI($0.option) || $0.option.has(.maoi) }
            if !together.isEmpty {
                out.append(finding("S1", .contraindicated,
                                   "starting the MAOI \(option.name) with \(names(together).joined(separator: ", ")) can cause serotonin syndrome: contraindicated; stop them first and wait their washout",
                                   involves: names(together)))
            }
            var latest: (finding: SafetyFinding, start: Day)?
            let stopping = replaced.filter { Self.serotonergicForMAOI($0.option) || $0.option.has(.maoi) }.map { ($0, day) }
                + stoppedBefore.filter { Self.serotonergicForMAOI($0.item.option) || $0.item.option.has(.maoi) }.map { ($0.item, $0.stop) }
            for (item, stop) in stopping {
                let days = item.option.has(.maoi) ? maoiWashout : item.option.washoutBeforeMAOIDays ?? Int(rules.number("S3", "defaultWashoutDays"))
                let start = stop + days
                guard start > day || stop == day else { continue }
                let rule = days >= longWashoutDays ? "S2" : item.option.has(.maoi) ? "S1" : "S3"
                let f = finding(rule, .washout,
                                "\(item.option.name) \(stop == day ? "stops when \(option.name) is chosen" : "was stopped \(stop)"): wait \(days) days after its last dose before starting \(option.name)",
                                involves: [item.option.name], earliestStart: max(start, stop + days))
                if latest == nil || start > latest!.start { latest = (f, start) }
            }
            if let latest { out.append(latest.finding) }
        }
        // Interaction pairs (S4, S12, S15, S20, …), with what stays on board.
        // By index: a pair is read in place, and only a pair that applies is copied.
        let interactions = rules.interactions
        for index in interactions.indices where !staying.isEmpty {
            var others: [TherapyItem] = []
            if interactions[index].option.matches(option) { others += staying.filter { interactions[index].with.matches($0.option) } }
            if interactions[index].bothWays && interactions[index].with.matches(option) {
                others += staying.filter { interactions[index].option.matches($0.option) }
            }
            guard !others.isEmpty else { continue }
            let interaction = interactions[index]
            let verdict: SafetyVerdict = switch interaction.effect {
            case .warn: .warn
            case .adjust: .adjust
            case .block: .contraindicated
            }
            let message = Self.fill(interaction.message, ["option": option.name, "others": names(others).joined(separator: ", ")])
            out.append(SafetyFinding(ruleID: interaction.id, verdict: verdict, message: message, involves: names(others), citation: interaction.citation))
        }
        out += conditionBlocks(option, conditions: conditions)
        out += seizureThreshold(option, staying: staying, conditions: conditions, names: names)
        out += adjunctDosing(option, use: use, onBoard: onBoard, replaced: replacedRefs, staying: staying, conditions: conditions, names: names)
        // S9: citalopram caps and QT.
        if option.id == "citalopram" {
            var reasons: [String] = []
            let olderThan = Int(rules.number("S9", "reducedAboveAge"))
            if let age, age > olderThan { reasons.append("age \(age) > \(olderThan)") }
            if conditions.contains(.hepaticImpairment) || conditions.contains(.severeHepaticImpairment) { reasons.append("hepatic impairment") }
            if conditions.contains(.cyp2c19PoorMetabolizer) { reasons.append("CYP2C19 poor metabolizer") }
            let inhibitors = staying.filter { $0.option.has(.cyp2c19Inhibitor) }
            if !inhibitors.isEmpty { reasons.append("CYP2C19 inhibitor (\(names(inhibitors).joined(separator: ", ")))") }
            if !reasons.isEmpty {
                out.append(finding("S9", .adjust, "citalopram at most \(rules.number("S9", "reducedMaxMgPerDay").clean) mg/day: \(reasons.joined(separator: ", "))", involves: reasons))
            }
            let qt = staying.filter { $0.option.has(.qtProlonging) }
            if conditions.contains(.congenitalLongQT) || conditions.contains(.qtProlongation) || !qt.isEmpty {
                out.append(finding("S9", .warn, "citalopram is not recommended with QT prolongation or other QT-prolonging drugs",
                                   involves: names(qt) + [ClinicalCondition.congenitalLongQT, .qtProlongation].filter(conditions.contains).map(\.rawValue)))
            }
        }
        // S10: gepirone with a strong CYP3A4 inhibitor (a block) or a moderate one (an adjustment).
        if option.id == "gepirone" {
            let strong = staying.filter { $0.option.has(.strongCYP3A4Inhibitor) }
            if !strong.isEmpty {
                out.append(finding("S10", .contraindicated, "gepirone is contraindicated with strong CYP3A4 inhibitors (\(names(strong).joined(separator: ", ")))", involves: names(strong)))
            }
            let moderate = staying.filter { $0.option.has(.moderateCYP3A4Inhibitor) }
            if !moderate.isEmpty {
                out.append(finding("S10", .adjust, "gepirone at \(fraction(rules.number("S10", "moderateCYP3A4DoseFraction"))) dose with a moderate CYP3A4 inhibitor (\(names(moderate).joined(separator: ", ")))",
                                   involves: names(moderate)))
            }
        }
        // S13: TMS and esketamine, only when the other one is current, recent or requested.
        if option.id == "esketamine" || option.id == "tms" {
            let other = option.id == "tms" ? "esketamine" : "tms"
            let window = Int(rules.number("S13", "windowDays"))
            let recent = facts.procedures.contains { procedure, named in
                named?.id == other && (procedure.end ?? day) >= day - (window - 1)
            } || facts.therapy.contains { $0.counting.contains(other) && $0.coverageEnd(on: day) >= day - (window - 1) }
            let requested = facts.profile.requests.contains { $0.option == other }
            if recent || requested {
                out.append(finding("S13", .warn,
                                   recent ? "the patient is in or within \(window) days of a \(other == "tms" ? "TMS" : "Spravato") course: do not run TMS and Spravato concurrently"
                                          : "\(other == "tms" ? "TMS" : "Spravato") is requested too: do not run TMS and Spravato concurrently (plans deny TMS with concurrent esketamine)",
                                   involves: ["TMS", "esketamine"]))
            }
        }
        out += spacing(option, staying: staying, names: names)
        // S18: zuranolone.
        if option.id == "zuranolone" {
            let depressants = staying.filter { $0.option.has(.cnsDepressant) }
            out.append(finding("S18", .warn,
                               "boxed warning: no driving or heavy machinery for ≥\(rules.number("S18", "noDrivingHours").clean) h after each dose; CNS depressants and alcohol add sedation"
                                   + (depressants.isEmpty ? "" : " (\(names(depressants).joined(separator: ", ")))"),
                               involves: ["zuranolone"] + names(depressants)))
        }
        // S19: strongly anticholinergic TCA in older adults.
        let minimumAge = anticholinergicMinimumAge
        if option.has(.stronglyAnticholinergic), let age, age >= minimumAge {
            out.append(finding("S19", .warn, "\(option.name) is strongly anticholinergic at age \(age) (Beers); Part D plans may add a high-risk-medication edit",
                               involves: [option.name]))
        }
        return Self.unique(out)
    }

    /// S13 when esketamine and TMS are both among the next options.
    func bothOnShortlist() -> SafetyFinding {
        finding("S13", .warn, "Spravato and TMS are both among the next options: choose one; do not run TMS and Spravato concurrently (plans deny TMS with concurrent esketamine)",
                involves: ["TMS", "esketamine"])
    }

    /// Rules that block an option outright for a condition (S5, S10, S11, S14): the option and
    /// the conditions are data.
    func conditionBlocks(_ option: DrugOption, conditions: Set<ClinicalCondition>) -> [SafetyFinding] {
        var out: [SafetyFinding] = []
        let applies: [(String, Bool)] = [
            ("S5", option.has(.bupropionContaining)), ("S10", option.id == "gepirone"), ("S11", option.id == "esketamine"), ("S14", option.id == "tms"),
        ]
        for (id, matches) in applies where matches {
            guard let rule = rules.rule(id) else { continue }
            let triggers = rule.conditions.filter(conditions.contains)
            if !triggers.isEmpty {
                out.append(finding(id, .contraindicated, "\(option.name) is contraindicated with \(triggers.map(\.rawValue).joined(separator: ", "))",
                                   involves: triggers.map(\.rawValue)))
            }
        }
        return out
    }

    /// S6: bupropion and the seizure threshold.
    func seizureThreshold(_ option: DrugOption, staying: [TherapyItem], conditions: Set<ClinicalCondition>, names: ([TherapyItem]) -> [String]) -> [SafetyFinding] {
        var cap: String { rules.number("S6", "maxMgPerDay").clean }
        if option.has(.bupropionContaining) {
            let lowering = staying.filter { $0.option.has(.lowersSeizureThreshold) && !$0.option.has(.bupropionContaining) }
            return lowering.isEmpty ? [] : [finding("S6", .warn, "\(option.name) with seizure-threshold-lowering drugs (\(names(lowering).joined(separator: ", "))); keep bupropion ≤ \(cap) mg/day",
                                                   involves: names(lowering))]
        }
        guard option.has(.lowersSeizureThreshold) else { return [] }
        var out: [SafetyFinding] = []
        let bupropion = staying.filter { $0.option.has(.bupropionContaining) }
        if !bupropion.isEmpty {
            out.append(finding("S6", .warn, "\(option.name) lowers the seizure threshold on top of bupropion", involves: names(bupropion)))
        }
        if conditions.contains(.seizureDisorder) {
            out.append(finding("S6", .warn, "\(option.name) lowers the seizure threshold in a patient with a seizure disorder",
                               involves: [ClinicalCondition.seizureDisorder.rawValue]))
        }
        return out
    }

    /// S7/S8: aripiprazole and brexpiprazole with CYP inhibitors. Added as an MDD adjunct to a
    /// strong CYP2D6-inhibiting antidepressant, the label doses them without the adjustment.
    func adjunctDosing(_ option: DrugOption, use: OptionUse, onBoard: [(item: TherapyItem, residual: Bool)], replaced: Set<String>,
                       staying: [TherapyItem], conditions: Set<ClinicalCondition>, names: ([TherapyItem]) -> [String]) -> [SafetyFinding] {
        let inhibitors = onBoard.filter { !replaced.contains($0.item.ref) }
        /// The antidepressant an adjunct is added to: exempt from the CYP2D6 adjustment when the rule says so.
        func exempt(_ entry: (item: TherapyItem, residual: Bool), rule: String) -> Bool {
            rules.rule(rule)?.flag("mddAdjunctExemption") == true && use == .addOn && !entry.residual && entry.item.option.countsAsAntidepressant
        }
        func described(_ entry: (item: TherapyItem, residual: Bool)) -> String {
            let enzymes = [entry.item.option.has(.strongCYP2D6Inhibitor) ? "CYP2D6" : nil, entry.item.option.has(.strongCYP3A4Inhibitor) ? "CYP3A4" : nil].compactMap { $0 }
            return entry.item.option.name + " (a strong \(enzymes.joined(separator: " and ")) inhibitor"
                + (entry.residual ? ", stopped \(entry.item.end.map(\.description) ?? "") and still inhibiting" : "") + ")"
        }
        var out: [SafetyFinding] = []
        if option.id == "aripiprazole" {
            let fraction = fraction(rules.number("S7", "doseFraction"))
            let adjusting = inhibitors.filter { entry in
                entry.item.option.has(.strongCYP3A4Inhibitor) || entry.item.option.has(.strongCYP2D6Inhibitor) && !exempt(entry, rule: "S7")
            }
            if !adjusting.isEmpty {
                out.append(finding("S7", .adjust, "start aripiprazole at \(fraction) the usual dose: \(Array(Set(adjusting.map(described))).sorted().joined(separator: ", "))",
                                   involves: Array(Set(adjusting.map(\.item.option.name))).sorted()))
            }
        } else if option.has(.strongCYP2D6Inhibitor) || option.has(.strongCYP3A4Inhibitor) {
            // A strong inhibitor joins current aripiprazole: as the antidepressant aripiprazole
            // adjuncts, a CYP2D6 inhibitor is exempt; a CYP3A4 inhibitor is not.
            let exemptAntidepressant = option.countsAsAntidepressant && !option.has(.strongCYP3A4Inhibitor) && rules.rule("S7")?.flag("mddAdjunctExemption") == true
            let aripiprazole = staying.filter { $0.option.id == "aripiprazole" }
            if !aripiprazole.isEmpty && !exemptAntidepressant {
                out.append(finding("S7", .adjust, "halve the current aripiprazole dose: \(option.name) is a strong \(option.has(.strongCYP3A4Inhibitor) ? "CYP3A4" : "CYP2D6") inhibitor",
                                   involves: ["aripiprazole"]))
            }
        }
        if option.id == "brexpiprazole" {
            let cyp2d6 = inhibitors.filter { $0.item.option.has(.strongCYP2D6Inhibitor) && !exempt($0, rule: "S8") }
            let poorMetabolizer = conditions.contains(.cyp2d6PoorMetabolizer)
            let cyp3a4 = staying.filter { $0.option.has(.strongCYP3A4Inhibitor) || $0.option.has(.moderateCYP3A4Inhibitor) }
            if poorMetabolizer && !cyp3a4.isEmpty {
                out.append(finding("S8", .adjust, "CYP2D6 poor metabolizer with a CYP3A4 inhibitor: \(fraction(rules.number("S8", "poorMetabolizerWithCYP3A4DoseFraction"))) the usual brexpiprazole dose",
                                   involves: names(cyp3a4) + ["cyp2d6-poor-metabolizer"]))
            } else if !cyp2d6.isEmpty || poorMetabolizer {
                out.append(finding("S8", .adjust,
                                   "brexpiprazole at \(fraction(rules.number("S8", "doseFraction"))) the usual dose: " + (cyp2d6.map(described) + (poorMetabolizer ? ["CYP2D6 poor metabolizer"] : [])).joined(separator: ", "),
                                   involves: names(cyp2d6.map(\.item)) + (poorMetabolizer ? ["cyp2d6-poor-metabolizer"] : [])))
            }
        }
        return out
    }

    /// S16/S17: fiber and bile-acid binders with oral drugs, with the spacing in hours and, when
    /// the profile gives the binder's times of day, concrete times.
    func spacing(_ option: DrugOption, staying: [TherapyItem], names: ([TherapyItem]) -> [String]) -> [SafetyFinding] {
        guard option.route == .oral && option.kind != .procedure else { return [] }
        var out: [SafetyFinding] = []
        let fiber = staying.filter { $0.option.has(.fiber) }
        if !fiber.isEmpty && !option.has(.fiber) {
            let before = rules.number("S16", "hoursBefore")
            let after = rules.number("S16", "hoursAfter")
            var message = "separate \(option.name) from \(names(fiber).joined(separator: ", ")): take it ≥\(before.clean) h before or \(after.clean) h after the fiber"
            message += SpacingTimes.describe(binders: fiber, profile: facts.profile, hoursBefore: before, hoursAfter: after)
            if option.has(.lithium) { message += "; monitor lithium levels" }
            if option.drugClass == .tca { message += "; fiber has lowered TCA levels" }
            out.append(finding("S16", .warn, message, involves: names(fiber)))
        }
        let binders = staying.filter { $0.option.has(.bileAcidSequestrant) }
        if !binders.isEmpty && !option.has(.bileAcidSequestrant) {
            let before = rules.number("S17", "hoursBefore")
            let from = rules.number("S17", "hoursAfterFrom")
            let to = rules.number("S17", "hoursAfterTo")
            out.append(finding("S17", .warn,
                               "give \(option.name) ≥\(before.clean) h before or \(from.clean)–\(to.clean) h after \(names(binders).joined(separator: ", "))"
                                   + SpacingTimes.describe(binders: binders, profile: facts.profile, hoursBefore: before, hoursAfter: to),
                               involves: names(binders)))
        }
        return out
    }

    /// "½", "¼", or a percentage.
    func fraction(_ value: Double) -> String {
        switch value {
        case 0.5: "½"
        case 0.25: "¼"
        default: "\(Int((value * 100).rounded()))% of"
        }
    }

    /// Findings about what the patient takes now (pairs of current drugs), plus dose caps.
    func regimenFindings() -> [SafetyFinding] {
        let day = facts.asOf
        var seen = Set<String>()
        var out: [SafetyFinding] = []
        for item in facts.active(on: day) {
            // What is taken now all stays: judge each current drug as an add-on to the rest. A
            // pair of current drugs is found from each side: keep one.
            for finding in findings(for: item.option, startingOn: day, use: .addOn) where finding.verdict != .washout && !["S13", "S18"].contains(finding.ruleID) {
                let key = finding.ruleID + "|" + Set(finding.involves + [item.option.name]).sorted().joined(separator: ",")
                if seen.insert(key).inserted { out.append(finding) }
            }
            let bupropionCap = rules.number("S6", "maxMgPerDay")
            if item.counting.contains("bupropion"), let mg = item.mgPerDay, mg > bupropionCap {
                out.append(finding("S6", .warn, "bupropion \(mg.clean) mg/day exceeds \(bupropionCap.clean) mg/day: seizure risk rises about tenfold", involves: ["bupropion"]))
            }
            if item.counting.contains("citalopram"), let mg = item.mgPerDay {
                let reduced = (facts.age(on: day) ?? 0) > Int(rules.number("S9", "reducedAboveAge")) || facts.conditions.contains(.hepaticImpairment)
                let cap = reduced ? rules.number("S9", "reducedMaxMgPerDay") : rules.number("S9", "maxMgPerDay")
                if mg > cap {
                    out.append(finding("S9", .adjust, "citalopram \(mg.clean) mg/day exceeds the \(cap.clean) mg/day maximum (QT)", involves: ["citalopram"]))
                }
            }
        }
        return Self.unique(out)
    }

    /// Identical findings once.
    static func unique(_ findings: [SafetyFinding]) -> [SafetyFinding] {
        // Most options have no finding or one: nothing to hash.
        guard findings.count > 1 else { return findings }
        var seen = Set<SafetyFinding>()
        return findings.filter { seen.insert($0).inserted }
    }
}
