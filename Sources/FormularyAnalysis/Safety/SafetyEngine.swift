import FormularyCriteria
import FormularyModel

/// The safety rules of DOMAIN.md §3 as code over data: drug properties come from the drug
/// reference (`serotonergic`, `strong-cyp2d6-inhibitor`, …) and conditions from the patient,
/// so adding an interaction agent needs no code change.
///
/// `findings(for:startingOn:)` answers "what if this option started on that day"; a BLOCK makes
/// the option CONTRAINDICATED and prunes it from remaining paths.
struct SafetyEngine: Sendable {
    let facts: PatientFacts
    let reference: DrugReference

    /// Agents on board on `day`: active items, plus long-half-life drugs (washout ≥ 35 days,
    /// i.e. fluoxetine) stopped within their washout — their inhibition persists.
    func onBoard(_ day: Day, excluding optionID: String) -> [(item: TherapyItem, residual: Bool)] {
        var result: [(TherapyItem, Bool)] = []
        for item in facts.everything where !item.counting.contains(optionID) && item.handle.id != optionID {
            if item.isActive(on: day) {
                result.append((item, false))
            } else if let end = item.end, end < day, let washout = item.option.washoutBeforeMAOIDays, washout >= 35, day - end <= washout {
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

    func findings(for option: DrugOption, startingOn day: Day) -> [SafetyFinding] {
        var out: [SafetyFinding] = []
        let onBoard = onBoard(day, excluding: option.id)
        let active = onBoard.filter { !$0.residual }.map(\.item)
        let conditions = facts.conditions
        let age = facts.age(on: day)
        func names(_ items: [TherapyItem]) -> [String] { Array(Set(items.map(\.option.name))).sorted() }
        let isSerotonergicForMAOI = option.has(.serotonergic) || option.has(.maoiWashoutAgent) || option.has(.bupropionContaining)

        // S1: MAOI on board (or stopped < 14 days ago) → no serotonergic start for 14 days.
        if isSerotonergicForMAOI || option.has(.maoi) {
            let maois = active.filter { $0.option.has(.maoi) }
            let stopped = recentlyStopped(before: day, excluding: option.id).filter { $0.item.option.has(.maoi) && day - $0.stop < 14 }
            if !maois.isEmpty || !stopped.isEmpty {
                let stop = maois.isEmpty ? (stopped.map(\.stop).max() ?? day) : day
                out.append(SafetyFinding(ruleID: "S1", verdict: .washout,
                                         message: "an MAOI (\(names(maois + stopped.map(\.item)).joined(separator: ", "))) must not overlap \(option.name): stop it and wait 14 days",
                                         involves: names(maois + stopped.map(\.item)), earliestStart: stop + 14))
            }
        }
        // S2/S3: starting an MAOI after a serotonergic drug (fluoxetine 5 weeks).
        if option.has(.maoi) {
            var latest: (finding: SafetyFinding, start: Day)?
            let current = active.filter { $0.option.has(.serotonergic) || $0.option.has(.maoiWashoutAgent) || $0.option.has(.bupropionContaining) }
            let stopped = recentlyStopped(before: day, excluding: option.id).filter {
                ($0.item.option.has(.serotonergic) || $0.item.option.has(.maoiWashoutAgent) || $0.item.option.has(.bupropionContaining)) && !$0.item.option.has(.maoi)
            }
            for (item, stop) in current.map({ ($0, day) }) + stopped.map({ ($0.item, $0.stop) }) {
                let days = item.option.washoutBeforeMAOIDays ?? 14
                let start = stop + days
                guard start > day else { continue }
                let rule = days >= 35 ? "S2" : "S3"
                let finding = SafetyFinding(ruleID: rule, verdict: .washout,
                                            message: "\(item.option.name) \(item.isActive(on: day) ? "is current" : "was stopped \(stop)"): wait \(days) days after the last dose before starting \(option.name)",
                                            involves: [item.option.name], earliestStart: start)
                if latest == nil || start > latest!.start { latest = (finding, start) }
            }
            if let latest { out.append(latest.finding) }
        }
        // S4: serotonin syndrome risk with ≥ 2 serotonergic agents.
        if option.has(.serotonergic) {
            let others = active.filter { $0.option.has(.serotonergic) }
            if !others.isEmpty {
                out.append(SafetyFinding(ruleID: "S4", verdict: .warn,
                                         message: "serotonin syndrome risk with \(names(others).joined(separator: ", ")) if they overlap (hyperthermia, rigidity, myoclonus, autonomic instability, mental-status change)",
                                         involves: names(others)))
            }
        }
        // S5: bupropion with seizures, eating disorders or abrupt sedative withdrawal.
        if option.has(.bupropionContaining) {
            let triggers = [ClinicalCondition.seizureDisorder, .eatingDisorder, .abruptSedativeWithdrawal].filter(conditions.contains)
            if !triggers.isEmpty {
                out.append(SafetyFinding(ruleID: "S5", verdict: .contraindicated,
                                         message: "\(option.name) is contraindicated with \(triggers.map(\.rawValue).joined(separator: ", "))",
                                         involves: triggers.map(\.rawValue)))
            }
        }
        // S6: seizure threshold.
        if option.has(.bupropionContaining) {
            let lowering = active.filter { $0.option.has(.lowersSeizureThreshold) && !$0.option.has(.bupropionContaining) }
            if !lowering.isEmpty {
                out.append(SafetyFinding(ruleID: "S6", verdict: .warn,
                                         message: "\(option.name) with seizure-threshold-lowering drugs (\(names(lowering).joined(separator: ", "))); keep bupropion ≤ 450 mg/day",
                                         involves: names(lowering)))
            }
        } else if option.has(.lowersSeizureThreshold) {
            let bupropion = active.filter { $0.option.has(.bupropionContaining) }
            if !bupropion.isEmpty {
                out.append(SafetyFinding(ruleID: "S6", verdict: .warn, message: "\(option.name) lowers the seizure threshold on top of bupropion",
                                         involves: names(bupropion)))
            }
            if conditions.contains(.seizureDisorder) {
                out.append(SafetyFinding(ruleID: "S6", verdict: .warn, message: "\(option.name) lowers the seizure threshold in a patient with a seizure disorder",
                                         involves: [ClinicalCondition.seizureDisorder.rawValue]))
            }
        }
        // S7: aripiprazole with a strong CYP2D6 or CYP3A4 inhibitor → half dose.
        if option.id == "aripiprazole" {
            let inhibitors = onBoard.filter { $0.item.option.has(.strongCYP2D6Inhibitor) || $0.item.option.has(.strongCYP3A4Inhibitor) }
            if !inhibitors.isEmpty {
                let list = inhibitors.map { $0.item.option.name + ($0.residual ? " (stopped \($0.item.end.map(\.description) ?? ""), still inhibiting)" : "") }
                out.append(SafetyFinding(ruleID: "S7", verdict: .adjust,
                                         message: "start aripiprazole at ½ the usual dose: \(Array(Set(list)).sorted().joined(separator: ", ")) is a strong CYP2D6/CYP3A4 inhibitor",
                                         involves: Array(Set(inhibitors.map(\.item.option.name))).sorted()))
            }
        } else if option.has(.strongCYP2D6Inhibitor) || option.has(.strongCYP3A4Inhibitor) {
            let aripiprazole = active.filter { $0.option.id == "aripiprazole" }
            if !aripiprazole.isEmpty {
                out.append(SafetyFinding(ruleID: "S7", verdict: .adjust, message: "halve the current aripiprazole dose: \(option.name) is a strong CYP2D6 inhibitor",
                                         involves: ["aripiprazole"]))
            }
        }
        // S8: brexpiprazole.
        if option.id == "brexpiprazole" {
            let inhibitors = onBoard.filter { $0.item.option.has(.strongCYP2D6Inhibitor) }.map(\.item)
            let poorMetabolizer = conditions.contains(.cyp2d6PoorMetabolizer)
            let cyp3a4 = active.filter { $0.option.has(.strongCYP3A4Inhibitor) || $0.option.has(.moderateCYP3A4Inhibitor) }
            if poorMetabolizer && !cyp3a4.isEmpty {
                out.append(SafetyFinding(ruleID: "S8", verdict: .adjust, message: "CYP2D6 poor metabolizer with a CYP3A4 inhibitor: ¼ the usual brexpiprazole dose",
                                         involves: names(cyp3a4) + ["cyp2d6-poor-metabolizer"]))
            } else if !inhibitors.isEmpty || poorMetabolizer {
                out.append(SafetyFinding(ruleID: "S8", verdict: .adjust,
                                         message: "review the brexpiprazole dose (½ with a strong CYP2D6 inhibitor or CYP2D6 poor metabolizer; in MDD the adjunct label dose may stand when the inhibitor is the antidepressant — verify)",
                                         involves: names(inhibitors) + (poorMetabolizer ? ["cyp2d6-poor-metabolizer"] : [])))
            }
        }
        // S9: citalopram caps and QT.
        if option.id == "citalopram" {
            var reasons: [String] = []
            if let age, age > 60 { reasons.append("age \(age) > 60") }
            if conditions.contains(.hepaticImpairment) || conditions.contains(.severeHepaticImpairment) { reasons.append("hepatic impairment") }
            if conditions.contains(.cyp2c19PoorMetabolizer) { reasons.append("CYP2C19 poor metabolizer") }
            let inhibitors = active.filter { $0.option.has(.cyp2c19Inhibitor) }
            if !inhibitors.isEmpty { reasons.append("CYP2C19 inhibitor (\(names(inhibitors).joined(separator: ", ")))") }
            if !reasons.isEmpty {
                out.append(SafetyFinding(ruleID: "S9", verdict: .adjust, message: "citalopram at most 20 mg/day: \(reasons.joined(separator: ", "))", involves: reasons))
            }
            let qt = active.filter { $0.option.has(.qtProlonging) }
            if conditions.contains(.congenitalLongQT) || conditions.contains(.qtProlongation) || !qt.isEmpty {
                out.append(SafetyFinding(ruleID: "S9", verdict: .warn, message: "citalopram is not recommended with QT prolongation or other QT-prolonging drugs",
                                         involves: names(qt) + [ClinicalCondition.congenitalLongQT, .qtProlongation].filter(conditions.contains).map(\.rawValue)))
            }
        }
        // S10: gepirone.
        if option.id == "gepirone" {
            let blocks = [ClinicalCondition.qtProlongation, .congenitalLongQT, .severeHepaticImpairment].filter(conditions.contains).map(\.rawValue)
                + names(active.filter { $0.option.has(.strongCYP3A4Inhibitor) })
            if !blocks.isEmpty {
                out.append(SafetyFinding(ruleID: "S10", verdict: .contraindicated, message: "gepirone is contraindicated with \(blocks.joined(separator: ", "))", involves: blocks))
            }
            let moderate = active.filter { $0.option.has(.moderateCYP3A4Inhibitor) }
            if !moderate.isEmpty {
                out.append(SafetyFinding(ruleID: "S10", verdict: .adjust, message: "gepirone at ½ dose with a moderate CYP3A4 inhibitor", involves: names(moderate)))
            }
        }
        // S11: esketamine vascular contraindications.
        if option.id == "esketamine" {
            let triggers = [ClinicalCondition.aneurysmalVascularDisease, .arteriovenousMalformation, .intracerebralHemorrhage].filter(conditions.contains)
            if !triggers.isEmpty {
                out.append(SafetyFinding(ruleID: "S11", verdict: .contraindicated,
                                         message: "esketamine is contraindicated with \(triggers.map(\.rawValue).joined(separator: ", "))", involves: triggers.map(\.rawValue)))
            }
            let pressors = active.filter { $0.option.has(.psychostimulant) || $0.option.has(.maoi) }
            if !pressors.isEmpty {
                out.append(SafetyFinding(ruleID: "S12", verdict: .warn, message: "blood pressure rises with \(names(pressors).joined(separator: ", ")): monitor BP", involves: names(pressors)))
            }
            let depressants = active.filter { $0.option.has(.cnsDepressant) }
            if !depressants.isEmpty {
                out.append(SafetyFinding(ruleID: "S12", verdict: .warn, message: "sedation with CNS depressants (\(names(depressants).joined(separator: ", "))): monitor", involves: names(depressants)))
            }
        }
        // S13: TMS and esketamine in the same course.
        if option.id == "esketamine" || option.id == "tms" {
            let other = option.id == "tms" ? "esketamine" : "tms"
            let recent = facts.profile.procedures.contains { procedure in
                reference.option(named: procedure.type)?.id == other && (procedure.end ?? day) >= day - 27
            } || facts.therapy.contains { $0.counting.contains(other) && $0.coverageEnd(on: day) >= day - 27 }
            out.append(SafetyFinding(ruleID: "S13", verdict: .warn,
                                     message: recent ? "the patient is in or within 28 days of a \(other == "tms" ? "TMS" : "Spravato") course: do not run TMS and Spravato concurrently"
                                                     : "do not run TMS and Spravato concurrently (plans deny TMS with concurrent esketamine)",
                                     involves: ["TMS", "esketamine"]))
        }
        // S14: TMS with seizures or implants near the coil.
        if option.id == "tms" {
            let triggers = [ClinicalCondition.seizureDisorder, .headImplant].filter(conditions.contains)
            if !triggers.isEmpty {
                out.append(SafetyFinding(ruleID: "S14", verdict: .contraindicated, message: "TMS is contraindicated with \(triggers.map(\.rawValue).joined(separator: ", "))",
                                         involves: triggers.map(\.rawValue)))
            }
        }
        // S15: lithium with NSAIDs, ACE inhibitors, ARBs, thiazides.
        if option.has(.lithium) {
            let raisers = active.filter { $0.option.has(.raisesLithiumLevels) }
            if !raisers.isEmpty {
                out.append(SafetyFinding(ruleID: "S15", verdict: .warn, message: "lithium levels rise with \(names(raisers).joined(separator: ", ")): monitor levels or avoid",
                                         involves: names(raisers)))
            }
        } else if option.has(.raisesLithiumLevels) {
            let lithium = active.filter { $0.option.has(.lithium) }
            if !lithium.isEmpty {
                out.append(SafetyFinding(ruleID: "S15", verdict: .warn, message: "\(option.name) raises lithium levels: monitor levels or avoid", involves: ["lithium"]))
            }
        }
        // S16 / S17: fiber and bile-acid binders with oral drugs.
        if option.route == .oral && option.kind != .procedure {
            let fiber = active.filter { $0.option.has(.fiber) }
            if !fiber.isEmpty && !option.has(.fiber) {
                var message = "separate \(option.name) from \(names(fiber).joined(separator: ", ")): take it ≥1 h before or 2 h after the fiber"
                if option.has(.lithium) { message += "; monitor lithium levels" }
                if option.drugClass == .tca { message += "; fiber has lowered TCA levels" }
                out.append(SafetyFinding(ruleID: "S16", verdict: .warn, message: message, involves: names(fiber)))
            }
            let binders = active.filter { $0.option.has(.bileAcidSequestrant) }
            if !binders.isEmpty && !option.has(.bileAcidSequestrant) {
                out.append(SafetyFinding(ruleID: "S17", verdict: .warn,
                                         message: "give \(option.name) ≥1 h before or 4–6 h after \(names(binders).joined(separator: ", "))", involves: names(binders)))
            }
        }
        // S18: zuranolone.
        if option.id == "zuranolone" {
            let depressants = active.filter { $0.option.has(.cnsDepressant) }
            out.append(SafetyFinding(ruleID: "S18", verdict: .warn,
                                     message: "boxed warning: no driving or heavy machinery for ≥12 h after each dose; CNS depressants and alcohol add sedation"
                                        + (depressants.isEmpty ? "" : " (\(names(depressants).joined(separator: ", ")))"),
                                     involves: ["zuranolone"] + names(depressants)))
        }
        // S19: strongly anticholinergic TCA at ≥ 65.
        if option.has(.stronglyAnticholinergic), let age, age >= 65 {
            out.append(SafetyFinding(ruleID: "S19", verdict: .warn, message: "\(option.name) is strongly anticholinergic at age \(age) (Beers); Part D plans may add a high-risk-medication edit",
                                     involves: [option.name]))
        }
        return out
    }

    /// Findings about what the patient takes now (pairs of current drugs), plus dose caps.
    func regimenFindings() -> [SafetyFinding] {
        let day = facts.asOf
        var seen = Set<String>()
        var out: [SafetyFinding] = []
        let active = facts.active(on: day)
        for item in active {
            for finding in findings(for: item.option, startingOn: day) where finding.verdict != .washout && !["S13", "S18"].contains(finding.ruleID) {
                let key = finding.ruleID + "|" + (finding.involves + [item.option.name]).sorted().joined(separator: ",")
                if seen.insert(key).inserted { out.append(finding) }
            }
            if item.counting.contains("bupropion"), let mg = item.mgPerDay, mg > 450 {
                out.append(SafetyFinding(ruleID: "S6", verdict: .warn, message: "bupropion \(mg.clean) mg/day exceeds 450 mg/day: seizure risk rises about tenfold", involves: ["bupropion"]))
            }
            if item.counting.contains("citalopram"), let mg = item.mgPerDay {
                let cap = (facts.age(on: day) ?? 0) > 60 || facts.conditions.contains(.hepaticImpairment) ? 20.0 : 40.0
                if mg > cap {
                    out.append(SafetyFinding(ruleID: "S9", verdict: .adjust, message: "citalopram \(mg.clean) mg/day exceeds the \(cap.clean) mg/day maximum (QT)", involves: ["citalopram"]))
                }
            }
        }
        return out
    }
}
