import FormularyAnalysis
import FormularyCriteria

/// How to ask for an exception or appeal a denial under one plan, for every option whose
/// verdict needs one: a prior authorization or step not met yet, a requirement met only with
/// records the plan cannot see, a drug off the formulary or not covered, a required step that
/// is unsafe for the patient, and each exception ground the analysis names. Each gets its route
/// (by the kind of plan and the benefit that pays: Medicare Part D, a Medicare Advantage plan's
/// medical benefit, Original Medicare, marketplace and employer plans, Medicaid, a state
/// step-therapy law), who files, the form, the deadlines and the sources, all from
/// `appeals.yaml` (`AppealReference`). The verdicts are the analysis's; nothing is re-decided.
struct AppealGuide {
    /// One route: what it is, who files, the form, its clocks, the steps, the sources. `steps`
    /// starts with who files and the form, so a renderer that shows only the steps shows them.
    struct Process {
        var id: String
        var title: String
        var citation: String?
        var whoFiles: String?
        var form: String?
        var deadlines: [String]
        var steps: [String]
        var notes: [String]
        /// A state law's clock, for the short decision text.
        var lawClock: (hours: Int?, urgentHours: Int?, deemed: Bool)? = nil
    }

    /// One option that needs an exception or an appeal route.
    struct GroundRow {
        var option: String
        var ground: String
        var description: String
        var route: String
        /// The clocks in short: "72 hours; 24 hours if urgent; appeal within 65 days of a denial".
        var decision: String
    }

    var processes: [Process] = []
    var grounds: [GroundRow] = []

    /// The plan kind whose rules apply to each benefit of this plan.
    let pharmacyKind: AppealReference.PlanKind
    let medicalKind: AppealReference.PlanKind

    init(plan: PlanResult, reference: AppealReference) {
        (pharmacyKind, medicalKind) = Self.kinds(plan)
        let state = Self.state(of: plan)
        var used: [String: Process] = [:]
        var order: [String] = []
        func use(_ process: Process) {
            if used[process.id] == nil { order.append(process.id) }
            used[process.id] = process
        }

        for option in AnalysisLookup.ranked(plan) {
            let benefit: AppealReference.Benefit = option.coverage.benefit == "pharmacy" || option.coverage.benefit == nil ? .pharmacy : .medical
            let kind = benefit == .pharmacy ? pharmacyKind : medicalKind
            let name = VerdictWording.optionName(option)
            let need = Self.need(option)
            var rows: [GroundRow] = []

            for ground in option.exceptionGrounds {
                let groundNeed: AppealReference.Need = ground.ground == "non-formulary-medical-necessity" ? .nonFormulary : need ?? .stepTherapy
                let processes = Self.processes(reference: reference, kind: kind, benefit: benefit, need: groundNeed, state: state, ground: ground)
                processes.forEach(use)
                rows.append(GroundRow(option: name, ground: Self.groundLabel(ground.ground), description: ground.description,
                                      route: Self.routeText(processes), decision: Self.decisionText(processes, reference: reference, ground: ground)))
            }
            let unsafe = option.remaining?.prunedSteps.filter(\.contraindicated) ?? []
            if !unsafe.isEmpty, !option.exceptionGrounds.contains(where: { $0.ground == "step-contraindicated" }) {
                let processes = Self.processes(reference: reference, kind: kind, benefit: benefit, need: need ?? .stepTherapy, state: state, ground: nil)
                processes.forEach(use)
                let description = unsafe.map { "\($0.name): ruled out for safety (\(Self.safetyReason($0.reason)))" }.joined(separator: "; ")
                    + ". If the plan asks for \(unsafe.count == 1 ? "this step" : "these steps"), the prescriber can ask for \(unsafe.count == 1 ? "it" : "them") to be waived"
                rows.append(GroundRow(option: name, ground: "A step the plan may ask for is unsafe for this patient", description: description + ".",
                                      route: Self.routeText(processes), decision: Self.decisionText(processes, reference: reference, ground: nil)))
            }
            if option.exceptionGrounds.isEmpty, let need {
                let processes = Self.processes(reference: reference, kind: kind, benefit: benefit, need: need, state: state, ground: nil)
                processes.forEach(use)
                rows.insert(GroundRow(option: name, ground: Self.needLabel(need, option: option), description: Self.finding(option),
                                      route: Self.routeText(processes), decision: Self.decisionText(processes, reference: reference, ground: nil)), at: 0)
            }
            grounds += rows
        }
        grounds = Self.merged(grounds)
        if order.isEmpty {
            // Nothing needs a route today: say how this plan's own requests and appeals work.
            let need: AppealReference.Need = pharmacyKind == .medicarePartD ? .stepTherapy : .priorAuthorization
            Self.processes(reference: reference, kind: pharmacyKind, benefit: .pharmacy, need: need, state: state, ground: nil).forEach(use)
        }
        processes = order.compactMap { used[$0] }
        // Each route above states its own appeal; the general advice is for the rest.
        let appealIDs = Set(reference.routes.filter { $0.deadline(.appeal) != nil }.map(\.id))
        if !processes.contains(where: { appealIDs.contains($0.id) }) { processes.append(Self.deniedProcess) }
    }

    // MARK: Plan kind and need

    /// The plan kind for the pharmacy and the medical benefit. A stand-alone Medicare drug plan
    /// (an S contract) has no medical benefit: Original Medicare pays for clinic treatments.
    static func kinds(_ plan: PlanResult) -> (AppealReference.PlanKind, AppealReference.PlanKind) {
        switch plan.market {
        case "medicare-part-d":
            return (.medicarePartD, plan.planID.uppercased().hasPrefix("S") ? .originalMedicare : .medicareAdvantage)
        case "marketplace": return (.marketplace, .marketplace)
        case "commercial": return (.employer, .employer)
        case "medicaid": return (.medicaid, .medicaid)
        default: return (.other, .other)
        }
    }

    /// The state of a marketplace plan, from its HIOS plan id (5-digit issuer, 2-letter state).
    static func state(of plan: PlanResult) -> String? {
        let id = Array(plan.planID.uppercased().unicodeScalars)
        guard id.count >= 7, id[0..<5].allSatisfy({ ("0"..."9").contains($0) }), id[5...6].allSatisfy({ ("A"..."Z").contains($0) }) else { return nil }
        return String(String.UnicodeScalarView(id[5...6]))
    }

    /// What the option's verdict needs a route for, or nil when it needs none (covered, PA met,
    /// unsafe for the patient).
    static func need(_ option: OptionResult) -> AppealReference.Need? {
        switch option.verdict {
        case .notCovered:
            return option.coverage.status == .nonFormulary || option.exceptionGrounds.contains { $0.ground == "non-formulary-medical-necessity" }
                ? .nonFormulary : .excluded
        case .stNotMet: return .stepTherapy
        case .paNotMet: return .priorAuthorization
        case .needsDocumentation:
            let open = option.rules.filter { $0.applied && $0.status != .met }
            return open.contains { $0.kind == .stepTherapy } && !open.contains { $0.kind == .priorAuthorization } ? .stepTherapy : .priorAuthorization
        case .coveredNoUM, .coveredPAMet, .stMet, .contraindicated: return nil
        }
    }

    /// What the analysis found, in a few words: the earliest date and steps, or why there is no path.
    static func finding(_ option: OptionResult) -> String {
        if let path = option.remaining {
            if path.reachable {
                let when = path.reachableOn.map { "earliest \(TextFormat.day($0))" } ?? "once the steps are done"
                return "\(when), after \(TextFormat.plural(path.stepCount, "step"))"
            }
            return "no path yet" + (path.blockedReason.map { ": \(PlainWords.sentence(TextFormat.clause($0)))" } ?? "")
        }
        if option.verdict == .notCovered { return option.coverage.reason.map { PlainWords.sentence(TextFormat.clause($0)) } ?? "not covered" }
        return PlainWords.sentence(TextFormat.clause(option.summary))
    }

    /// Rows with the same reason, route and clocks as one row naming each option.
    static func merged(_ rows: [GroundRow]) -> [GroundRow] {
        var out: [GroundRow] = []
        for row in rows {
            if let index = out.firstIndex(where: { $0.ground == row.ground && $0.route == row.route && $0.decision == row.decision }) {
                if !out[index].description.hasPrefix(out[index].option + ": ") { out[index].description = out[index].option + ": " + out[index].description }
                out[index].option += ", " + row.option
                out[index].description += "; " + row.option + ": " + row.description
            } else {
                out.append(row)
            }
        }
        return out
    }

    static func needLabel(_ need: AppealReference.Need, option: OptionResult) -> String {
        if option.verdict == .needsDocumentation { return "Met only with records the plan cannot see: send them with the request" }
        switch need {
        case .priorAuthorization: return "Prior authorization not met yet"
        case .stepTherapy: return "Step therapy not met yet"
        case .nonFormulary: return "Not on the formulary"
        case .excluded: return "Not covered by the plan"
        }
    }

    // MARK: Routes

    /// The processes for one option, first the one to use, then the appeal that follows it.
    static func processes(reference: AppealReference, kind: AppealReference.PlanKind, benefit: AppealReference.Benefit,
                          need: AppealReference.Need, state: String?, ground: ExceptionGround?) -> [Process] {
        var out: [Process] = []
        for route in reference.routes(kind: kind, benefit: benefit, need: need) {
            if route.stateLaw {
                let law = ground?.overlayID.flatMap { reference.law(overlay: $0) } ?? state.flatMap { reference.law(state: $0) }
                guard law != nil || ground?.decisionHours != nil else { continue }
                out.append(stateLawProcess(route, law: law, ground: ground))
            } else {
                out.append(process(route, ground: kind == .medicarePartD ? ground : nil))
            }
        }
        if out.isEmpty, let fallback = reference.route(id: "plan-own-process") { out.append(process(fallback, ground: nil)) }
        return out
    }

    static func process(_ route: AppealReference.Route, ground: ExceptionGround?) -> Process {
        var deadlines = route.deadlines
        // The analysis's own clock for this plan wins over the file's general one.
        if let hours = ground?.decisionHours, let index = deadlines.firstIndex(where: { $0.role == .decision }) { deadlines[index].hours = hours; deadlines[index].days = nil }
        if let hours = ground?.exigentHours, let index = deadlines.firstIndex(where: { $0.role == .urgentDecision }) { deadlines[index].hours = hours; deadlines[index].days = nil }
        return Process(id: route.id, title: route.title, citation: route.citations.joined(separator: "; "), whoFiles: route.whoFiles, form: route.form,
                       deadlines: deadlines.map(\.sentence),
                       steps: ["Who files: " + TextFormat.clause(route.whoFiles) + ".", "Form: " + TextFormat.clause(route.form) + "."] + route.steps,
                       notes: route.notes)
    }

    static func stateLawProcess(_ route: AppealReference.Route, law: AppealReference.StepTherapyLaw?, ground: ExceptionGround?) -> Process {
        let hours = ground?.decisionHours ?? law?.decisionHours
        let urgent = ground?.exigentHours ?? law?.urgentHours
        let deemed = ground?.deemedApprovedIfLate ?? law?.deemedApproved ?? false
        var deadlines: [String] = []
        if let hours {
            var text = "The plan must decide within \(TextFormat.hours(hours))"
            if let urgent { text += ", or \(TextFormat.hours(urgent)) when the case is urgent (exigent)" }
            deadlines.append(text + ".")
            deadlines.append("The clock starts when the plan receives the request.")
        }
        if deemed { deadlines.append("If the plan does not decide in time, the exception is deemed approved: it counts as granted.") }
        let citations = [law?.citation ?? ground?.citation].compactMap { $0 } + route.citations
        return Process(id: route.id + (law.map { "-" + $0.state } ?? ""), title: law?.name ?? route.title, citation: citations.joined(separator: "; "),
                       whoFiles: route.whoFiles, form: route.form, deadlines: deadlines,
                       steps: ["Who files: " + TextFormat.clause(route.whoFiles) + ".", "Form: " + TextFormat.clause(route.form) + "."] + route.steps,
                       notes: route.notes, lawClock: (hours, urgent, deemed))
    }

    /// "Medicare Part D coverage determination (exception request), then …".
    static func routeText(_ processes: [Process]) -> String {
        guard let first = processes.first else { return "ask the plan" }
        return processes.count == 1 ? first.title : first.title + "; if denied: " + processes.dropFirst().map(\.title).joined(separator: "; ")
    }

    /// The clocks in short, from the first route's decision and the first appeal window found.
    static func decisionText(_ processes: [Process], reference: AppealReference, ground: ExceptionGround?) -> String {
        var parts: [String] = []
        let routes = processes.compactMap { process in reference.routes.first { process.id == $0.id || process.id.hasPrefix($0.id + "-") } }
        if let first = processes.first, let route = routes.first {
            if route.stateLaw, let clock = first.lawClock {
                if let hours = clock.hours { parts.append("decision in \(TextFormat.hours(hours))") }
                if let urgent = clock.urgentHours { parts.append("\(TextFormat.hours(urgent)) if urgent") }
                if clock.deemed { parts.append("deemed approved if late") }
            } else {
                let decision = ground?.decisionHours.map(TextFormat.hours) ?? route.deadline(.decision)?.duration
                let urgent = ground?.exigentHours.map(TextFormat.hours) ?? route.deadline(.urgentDecision)?.duration
                if let decision { parts.append("decision in \(decision)") }
                if let urgent { parts.append("\(urgent) if urgent") }
            }
        }
        if let appeal = routes.lazy.compactMap({ $0.deadline(.appeal) }).first, let duration = appeal.duration {
            parts.append("appeal within \(duration) of a denial")
        }
        return parts.isEmpty ? "ask the plan" : parts.joined(separator: "; ")
    }

    /// A pruned step's reason in words: a safety rule id ("S5") becomes what it is about.
    static func safetyReason(_ reason: String) -> String {
        let text = TextFormat.clause(reason)
        if text.wholeMatch(of: /S\d{1,2}/) != nil { return SafetyWording.topic(text) }
        return text.replacing(/\bS\d{1,2}\b:?\s*/, with: "")
    }

    static let deniedProcess = Process(
        id: "if-denied", title: "If a request is denied", citation: nil, whoFiles: nil, form: nil,
        deadlines: ["The denial notice states how and by when to appeal; the deadline runs from the date on the notice."],
        steps: ["Read the reason in the denial: it often names the missing record or step.",
                "Ask the prescriber to appeal with the missing records, or to request a peer-to-peer review with the plan's reviewer.",
                "Keep every letter, and write down each call's date, the person's name and any reference number."],
        notes: [])

    static func groundLabel(_ ground: String) -> String {
        switch ground {
        case "step-contraindicated": "A required step drug is unsafe for this patient"
        case "tried-under-current-or-previous-plan": "Already tried (under this or an earlier plan)"
        case "expected-ineffective": "The step drug is expected not to work"
        case "stable-on-current-drug": "Stable on the current drug"
        case "not-in-best-interest": "The step is not in the patient's best interest"
        case "non-formulary-medical-necessity": "Medically necessary, not on the formulary"
        default: ground
        }
    }
}
