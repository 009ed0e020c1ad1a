import FormularyCriteria
import FormularyModel

/// A patient profile resolved against the drug reference, once per analysis: therapy items
/// (claims, chart trials, other medications), conditions implied by diagnoses, the current
/// episode, manufacturer-switch events and drugs the reference does not know.
///
/// A value: the path planner copies it and adds planned trials to ask "what if".
struct PatientFacts: Sendable {
    let profile: PatientProfile
    let asOf: Day
    private(set) var claims: [TherapyItem]
    private(set) var trials: [TherapyItem]
    private(set) var medications: [TherapyItem]
    /// Claims, trials and other medications together (the safety rules read them all).
    private(set) var everything: [TherapyItem]
    let conditions: Set<ClinicalCondition>
    let episodeStart: Day?
    let events: [TimelineEvent]
    let unrecognized: [UnrecognizedDrug]
    /// The profile's procedures with the option each names (TMS, ECT, psychotherapy…), resolved
    /// once: several rules and every option's history read them.
    let procedures: [(record: ProcedureRecord, option: DrugOption?)]

    init(profile: PatientProfile, asOf: Day, reference: DrugReference, table: OptionTable) {
        self.profile = profile
        self.asOf = asOf
        procedures = profile.procedures.map { ($0, reference.option(named: $0.type)) }
        var unknown: [UnrecognizedDrug] = []
        func resolve(_ text: String) -> OptionHandle? { reference.option(named: text).flatMap { table.handle($0.id) } }
        func counting(_ handle: OptionHandle) -> [String] { reference.countingOptions(for: handle.option).map(\.id) }

        var claims: [TherapyItem] = []
        for claim in profile.claims where claim.fillDate <= asOf {
            let option = claim.rxcui.flatMap { reference.option(forConcept: $0) }.flatMap { table.handle($0.id) } ?? claim.drug.flatMap(resolve)
            guard let option else {
                unknown.append(UnrecognizedDrug(ref: claim.ref, text: claim.drug ?? claim.rxcui?.rawValue ?? claim.ndc?.rawValue ?? "?"))
                continue
            }
            claims.append(TherapyItem(ref: claim.ref, source: .claim, option: option, counting: counting(option),
                                      start: claim.fillDate, end: claim.coverageEnd, daysSupply: claim.daysSupply, mgPerDay: claim.mgPerDay,
                                      outcome: .unknown, cash: claim.payer == .cash, previousPlan: claim.previousPlan, clinicianConfirmed: false,
                                      rxcui: claim.rxcui, labeler: claim.labeler, drugText: claim.drug ?? option.name))
        }
        var trials: [TherapyItem] = []
        for trial in profile.trials where trial.start <= asOf {
            guard let option = resolve(trial.drug) else {
                unknown.append(UnrecognizedDrug(ref: trial.ref, text: trial.drug))
                continue
            }
            let source: TherapyItem.Source = option.option.kind == .interactionAgent ? .medication : .chart
            let item = TherapyItem(ref: trial.ref, source: source, option: option, counting: counting(option),
                                   start: trial.start, end: trial.end, daysSupply: nil, mgPerDay: trial.mgPerDay, outcome: trial.outcome, outcomes: trial.outcomes,
                                   cash: trial.cashPaid, previousPlan: trial.previousPlan, clinicianConfirmed: trial.clinicianConfirmed,
                                   rxcui: nil, labeler: nil, drugText: trial.drug)
            trials.append(item)
        }
        var medications = trials.filter { $0.source == .medication }
        trials.removeAll { $0.source == .medication }
        for medication in profile.medications {
            guard let option = resolve(medication.drug) else {
                unknown.append(UnrecognizedDrug(ref: medication.ref, text: medication.drug))
                continue
            }
            medications.append(TherapyItem(ref: medication.ref, source: .medication, option: option, counting: [option.id],
                                           start: medication.start ?? Day(ordinal: Int.min / 4), end: medication.end, daysSupply: nil,
                                           mgPerDay: nil, outcome: .notApplicable, cash: false, previousPlan: false, clinicianConfirmed: false,
                                           rxcui: nil, labeler: nil, drugText: medication.drug))
        }

        var conditions = Set(profile.conditions)
        for diagnosis in profile.diagnoses { conditions.formUnion(ClinicalCondition.implied(byICD10: diagnosis.code)) }
        self.conditions = conditions

        let depression = profile.diagnoses.filter { ["F32", "F33", "F53"].contains(String($0.code.prefix(3))) }
        self.episodeStart = depression.compactMap(\.episodeStart).filter { $0 <= asOf }.max()
            ?? depression.compactMap(\.onset).filter { $0 <= asOf }.max()

        let detection = ManufacturerSwitchDetector.detect(claims: claims, trials: trials, scores: profile.scores, asOf: asOf)
        self.claims = detection.claims
        self.trials = detection.trials
        self.medications = medications
        self.everything = detection.claims + detection.trials + medications
        self.events = detection.events
        self.unrecognized = unknown
    }

    /// Every item that can show use of a drug: claims, chart and planned trials. A view of
    /// `everything`, which always starts with them (read in the path search's inner loops: a
    /// copy each time was measurable).
    var therapy: ArraySlice<TherapyItem> { everything[..<(claims.count + trials.count)] }

    /// Items active on a day, including other medications (for safety and concurrency).
    func active(on day: Day) -> [TherapyItem] {
        everything.filter { $0.isActive(on: day) }
    }

    /// Age on a day (birth date, else the stated age).
    func age(on day: Day) -> Int? { profile.demographics.age(on: day) }

    /// A copy with planned trials added (the path planner's "what if").
    func adding(planned: [TherapyItem]) -> PatientFacts {
        var copy = self
        copy.trials += planned
        copy.everything = claims + copy.trials + medications
        return copy
    }

    /// A copy in which the ongoing trials `refs` stop on `day` (their last dose): a path that
    /// continues a current drug until a goal day, then switches.
    func stopping(_ refs: Set<String>, on day: Day) -> PatientFacts {
        guard !refs.isEmpty else { return self }
        var copy = self
        copy.trials = trials.map { refs.contains($0.ref) && $0.end == nil ? $0.ending(on: day) : $0 }
        copy.everything = claims + copy.trials + medications
        return copy
    }

    /// A copy holding only `planned` trials (the patient's own history left out): what the
    /// planned trials alone imply, such as their washouts before a later planned trial.
    func onlyPlanned(_ planned: [TherapyItem]) -> PatientFacts {
        var copy = self
        copy.claims = []
        copy.medications = []
        copy.trials = planned
        copy.everything = planned
        return copy
    }
}
