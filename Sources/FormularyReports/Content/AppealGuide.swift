import FormularyAnalysis

/// How to ask for an exception or appeal under one plan, with the deadlines that apply: the
/// Medicare Part D coverage determination for Medicare plans, and each exception route the
/// analysis names in its exception grounds (a state step-therapy law, a non-formulary
/// exception, the plan's own process), with that route's decision clock.
struct AppealGuide {
    /// One route: what it is, its clocks, the steps to take, and which options it helps.
    struct Process {
        var title: String
        var citation: String?
        var deadlines: [String]
        var steps: [String]
        var notes: [String]
    }

    /// One option that has a ground for an exception.
    struct GroundRow {
        var option: String
        var ground: String
        var description: String
        var route: String
        var decision: String
    }

    /// Medicare Part D clocks (42 CFR 423.568–423.584, DOMAIN.md §2.8), used when the analysis
    /// names no overlay of its own to take them from. The redetermination window is not carried
    /// by `ExceptionGround` yet, so it is always this statutory 60 days.
    static let partDStandardHours = 72
    static let partDExpeditedHours = 24
    static let partDRedeterminationDays = 60

    var processes: [Process] = []
    var grounds: [GroundRow] = []

    init(plan: PlanResult) {
        let isMedicare = plan.market == "medicare-part-d"
        let options = plan.options.sorted { $0.rank < $1.rank }
        var routes: [String: (process: Process, order: Int)] = [:]

        for option in options {
            for ground in option.exceptionGrounds {
                let route = Self.route(for: ground, medicare: isMedicare)
                if routes[route.title] == nil { routes[route.title] = (route, routes.count) }
                grounds.append(GroundRow(option: VerdictWording.optionName(option), ground: Self.groundLabel(ground.ground),
                                         description: ground.description, route: route.title, decision: Self.decisionText(ground, medicare: isMedicare)))
            }
        }
        if isMedicare, !routes.keys.contains(Self.partDTitle) {
            routes[Self.partDTitle] = (Self.partDProcess(decisionHours: nil, exigentHours: nil, citation: nil), -1)
        }
        processes = routes.values.sorted { $0.order < $1.order }.map(\.process)
        processes.append(Self.deniedProcess(medicare: isMedicare))
    }

    static let partDTitle = "Medicare Part D coverage determination (exception request)"

    static func route(for ground: ExceptionGround, medicare: Bool) -> Process {
        if medicare {
            return partDProcess(decisionHours: ground.decisionHours, exigentHours: ground.exigentHours, citation: ground.citation)
        }
        guard ground.overlayID != nil else {
            return Process(title: "The plan's own exception process", citation: nil,
                           deadlines: ["No legal deadline is known for this plan: ask the plan how long it takes and how it will tell you."],
                           steps: ["Ask the prescriber to send the plan an exception request with a statement of medical necessity and the records the report lists.",
                                   "Write down the date you sent it and any reference number."],
                           notes: [])
        }
        if ground.ground == "non-formulary-medical-necessity" {
            return Process(title: "Non-formulary exception request", citation: ground.citation,
                           deadlines: clock(ground, deemed: false),
                           steps: ["Ask the prescriber to request a formulary exception, with a statement of why the covered alternatives will not work for you.",
                                   "Ask for an expedited (urgent) review if waiting could seriously harm your health.",
                                   "Write down the date and time the plan received the request."],
                           notes: [])
        }
        return Process(title: "State step-therapy exception law", citation: ground.citation,
                       deadlines: clock(ground, deemed: ground.deemedApprovedIfLate == true),
                       steps: ["Ask the prescriber to send the plan a step-therapy exception request with a statement and the supporting records (the report lists them for each option).",
                               "Ask for an exigent (urgent) review if waiting could seriously harm your health.",
                               "Write down the date and time the plan received the request: the clock starts then."],
                       notes: ["State step-therapy laws cover fully insured plans, not self-funded employer plans (ERISA). Your employer's benefits office can tell you which kind you have."])
    }

    static func clock(_ ground: ExceptionGround, deemed: Bool) -> [String] {
        var out: [String] = []
        if let hours = ground.decisionHours {
            var text = "The plan must decide within \(TextFormat.hours(hours))"
            if let exigent = ground.exigentHours { text += ", or \(TextFormat.hours(exigent)) when the case is urgent (exigent)" }
            out.append(text + ".")
        }
        if deemed { out.append("If the plan does not decide in time, the exception is deemed approved: it counts as granted.") }
        return out
    }

    static func partDProcess(decisionHours: Int?, exigentHours: Int?, citation: String?) -> Process {
        let standard = decisionHours ?? partDStandardHours
        let expedited = exigentHours ?? partDExpeditedHours
        return Process(
            title: partDTitle, citation: citation ?? "42 CFR 423.570, 423.578, 423.584",
            deadlines: [
                "Standard request: the plan decides within \(TextFormat.hours(standard)) after it receives the prescriber's supporting statement.",
                "Expedited request: within \(TextFormat.hours(expedited)) when waiting could seriously harm your life, health or ability to regain maximum function; the prescriber's support makes it expedited.",
                "If the answer is no: ask for a redetermination (the first appeal) within \(partDRedeterminationDays) days of the date on the notice.",
            ],
            steps: ["Ask the prescriber to request a coverage determination (an exception) from the plan, with a supporting statement.",
                    "Keep the plan's written notice: it states the decision and how to appeal."],
            notes: ["Spravato and TMS are usually covered by the medical benefit (Part B): they go through the plan's medical prior authorization, not the Part D process above.",
                    "A specialty-tier drug cannot be moved to a lower tier by an exception."])
    }

    static func deniedProcess(medicare: Bool) -> Process {
        Process(title: "If a request is denied", citation: nil,
                deadlines: medicare ? [] : ["The denial letter states how and by when to appeal; the deadline runs from the date on the letter."],
                steps: ["Read the reason in the denial: it often names the missing record or step.",
                        "Ask the prescriber to appeal with the missing records, or to request a peer-to-peer review with the plan's reviewer.",
                        "After the plan's own appeal, an independent external review is usually available."],
                notes: [])
    }

    static func decisionText(_ ground: ExceptionGround, medicare: Bool) -> String {
        if let hours = ground.decisionHours {
            var text = TextFormat.hours(hours)
            if let exigent = ground.exigentHours { text += "; \(TextFormat.hours(exigent)) if urgent" }
            if ground.deemedApprovedIfLate == true { text += "; deemed approved if late" }
            return text
        }
        return medicare ? "\(partDStandardHours) hours; \(partDExpeditedHours) hours if urgent" : "ask the plan"
    }

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
