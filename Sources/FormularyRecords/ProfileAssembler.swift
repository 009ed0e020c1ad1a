import FormularyCriteria
import FormularyModel

/// Turns the collected raw facts into one profile: resolves drugs and references, merges
/// duplicates (a fill in a claim and in a dispense is one fill), builds trials from fills and
/// prescriptions (RECORDS.md, "From fills to trials"), reads monitoring evidence into outcomes,
/// and blanks names and identifiers out of what it writes.
struct ProfileAssembler {
    /// Fills further apart than this (after the previous one's supply ran out) start a new trial,
    /// as a new therapy episode starts in the analysis's labeler-switch rule.
    static let trialGapDays = 30
    /// Sessions further apart than this start a new course.
    static let courseGapDays = 90
    /// A trial lists at most this many sources; its fills list theirs.
    static let maxTrialSources = 12

    let collector: RecordCollector
    let resolver: DrugResolver
    let label: String?

    /// What a trial is made of before it is written.
    struct Segment {
        var start: Day
        /// Last day covered; nil while ongoing.
        var end: Day?
        var ongoing: Bool
        var endUnknown: Bool
        var mgPerDay: Double?
        var cash: Bool
        var previousPlan: Bool
        var isFill: Bool
        var optionID: String
        var sources: [FactSource]
    }

    func assemble() -> RecordsImport {
        var findings: [String] = []
        var profile = PatientProfile(id: "")
        let inputProfile = collector.profiles.first?.profile

        // Demographics: the profile given as input wins; records fill the gaps.
        profile.demographics = demographics(input: inputProfile)
        let deceased = collector.demographics.compactMap(\.deceased).max()
        if let profileInput = inputProfile {
            profile.asOf = profileInput.asOf
            profile.plans = profileInput.plans
            profile.flags = profileInput.flags
            profile.requests = profileInput.requests
        }
        for plan in collector.plans where !profile.plans.contains(plan.plan) { profile.plans.append(plan.plan) }
        if collector.profiles.count > 1 {
            for extra in collector.profiles.dropFirst() {
                for plan in extra.profile.plans where !profile.plans.contains(plan) { profile.plans.append(plan) }
            }
        }

        // Drugs.
        let uses = resolveReferences()
        var resolved: [DrugCode: ResolvedDrug] = [:]
        func drug(_ code: DrugCode) -> ResolvedDrug {
            if let known = resolved[code] { return known }
            let value = resolver.resolve(code)
            resolved[code] = value
            return value
        }

        // Fills.
        let fills = mergeFills(drug: drug, findings: &findings)
        reportUnmappedNDCs(fills.map(\.raw), drug: drug)
        var claims: [PharmacyClaim] = fills.map { merged in
            let fill = merged.raw
            let resolvedDrug = drug(fill.drug)
            let dose = fill.mgPerDay ?? DrugResolver.mgPerDay(strength: resolvedDrug.strength, quantity: fill.quantity, daysSupply: fill.daysSupply)
            return PharmacyClaim(fillDate: fill.date, rxcui: resolvedDrug.rxcui, ndc: fill.drug.ndc ?? resolvedDrug.ndc, drug: resolvedDrug.name,
                                 daysSupply: fill.daysSupply ?? 1, quantity: fill.quantity, mgPerDay: dose, payer: fill.payer,
                                 previousPlan: fill.previousPlan, note: fill.notes.isEmpty ? nil : fill.notes.joined(separator: "; "),
                                 sources: fill.sources)
        }
        claims.sort { ($0.fillDate, $0.drug ?? "") < ($1.fillDate, $1.drug ?? "") }

        // Medications (co-medications, and anything kept only for interaction checks).
        var medications: [Medication] = collector.profiles.flatMap { $0.profile.medications }
        var segmentsByKey: [String: [Segment]] = [:]
        var chartTrials: [(trial: ChartTrial, key: String?)] = []
        for item in collector.profiles {
            for trial in item.profile.trials {
                var copy = trial
                if copy.sources.isEmpty { copy.sources = [FactSource(file: item.file, resource: trial.ref)] }
                chartTrials.append((copy, resolver.reference.option(named: trial.drug).map(resolver.trialKey)))
            }
        }
        for use in uses {
            let resolvedDrug = drug(use.drug)
            let mg = use.dose.flatMap { dose -> Double? in
                let unit = (use.doseUnit ?? "").lowercased()
                let perDay = use.dosesPerDay ?? 1
                if unit == "mg" { return dose * perDay }
                if unit == "ml", resolvedDrug.perML, let strength = resolvedDrug.strength { return dose * strength * perDay }
                if !resolvedDrug.perML, let strength = resolvedDrug.strength, unit.isEmpty || ["tab", "tablet", "cap", "capsule", "{tbl}", "1", "each", "{pill}", "pill"].contains(unit) {
                    return dose * strength * perDay
                }
                return nil
            }.map { ($0 * 10).rounded() / 10 }
            guard !use.medicationOnly, resolvedDrug.isTreatment, let option = resolvedDrug.option else {
                var note = use.note
                if !resolvedDrug.isTreatment, resolvedDrug.option == nil, use.drug.rxcui != nil || use.drug.ndc != nil {
                    note = [note, "not in the drug reference: interaction checks only"].compactMap { $0 }.joined(separator: "; ")
                }
                medications.append(Medication(drug: resolvedDrug.name, start: use.start, end: use.end, mgPerDay: mg,
                                              dose: use.dose.map { "\(PatientProfileWriter.number($0))" + (use.doseUnit.map { " \($0)" } ?? "") },
                                              note: note, sources: use.sources))
                continue
            }
            let key = resolver.trialKey(option)
            switch use.kind {
            case .statement:
                var trial = ChartTrial(drug: resolvedDrug.name, mgPerDay: mg, start: use.start, end: use.end,
                                       outcome: use.outcomes.first { !$0.isAdverse } ?? use.outcomes.first ?? .unknown,
                                       outcomes: use.outcomes.isEmpty ? [.unknown] : Self.ordered(use.outcomes),
                                       outcomeText: use.outcomeText ?? (use.outcomes.isEmpty ? "unknown" : nil), note: use.note, sources: use.sources)
                if use.endUnknown {
                    trial.end = use.start
                    trial.note = [trial.note, "uncertain: \(use.status) with no stop date recorded; the end is set to the start"].compactMap { $0 }.joined(separator: "; ")
                    collector.warnings.append(RecordWarning(file: use.file, resource: use.resource, field: "effectivePeriod.end",
                                                            message: "\(use.status) without a stop date: the trial's end is set to its start (uncertain); add the stop date"))
                }
                if trial.outcomes == [.unknown] { trial.outcomeText = "unknown" }
                // A profile given with the records (an earlier import, edited) already has this trial: keep its version.
                if let index = chartTrials.firstIndex(where: { $0.key == key && $0.trial.start == trial.start }) {
                    chartTrials[index].trial.sources = Self.distinct(chartTrials[index].trial.sources + trial.sources)
                    continue
                }
                chartTrials.append((trial, key))
            case .request:
                segmentsByKey[key, default: []].append(Segment(start: use.start, end: use.end, ongoing: use.ongoing, endUnknown: use.endUnknown,
                                                              mgPerDay: mg, cash: false, previousPlan: false, isFill: false, optionID: option.id,
                                                              sources: use.sources))
            }
        }
        for claim in claims {
            guard let option = claim.rxcui.flatMap({ resolver.reference.option(forConcept: $0) }) ?? claim.drug.flatMap({ resolver.reference.option(named: $0) }),
                  option.kind != .interactionAgent, option.kind != .procedure else { continue }
            segmentsByKey[resolver.trialKey(option), default: []].append(Segment(
                start: claim.fillDate, end: claim.coverageEnd, ongoing: false, endUnknown: false, mgPerDay: claim.mgPerDay, cash: claim.payer == .cash,
                previousPlan: claim.previousPlan, isFill: true, optionID: option.id, sources: claim.sources))
        }

        // Trials: chart trials stand as documented; fills and prescriptions no chart trial covers
        // become trials of their own, one per run of consecutive fills of one ingredient.
        var trials = chartTrials.map(\.trial)
        var derivedIndexes: [Int] = []
        for (key, segments) in segmentsByKey.sorted(by: { $0.key < $1.key }) {
            let covering = chartTrials.filter { $0.key == key }.map(\.trial)
            let open = segments.filter { segment in
                !covering.contains { trial in
                    let trialEnd = trial.end ?? Day(ordinal: Int.max / 4)
                    let segmentEnd = segment.end ?? segment.start
                    return segment.start <= trialEnd && segmentEnd >= trial.start
                }
            }.sorted { $0.start < $1.start }
            for group in Self.runs(open) {
                var trial = derivedTrial(group, key: key, deceased: deceased)
                if trial.end == nil, let deceased {
                    trial.end = deceased
                    trial.note = [trial.note, "ended at the date of death \(deceased)"].compactMap { $0 }.joined(separator: "; ")
                }
                derivedIndexes.append(trials.count)
                trials.append(trial)
            }
        }

        // Evidence from allergies, side effects and scores.
        let scores = mergeScores()
        var evidence = EvidenceReader(resolver: resolver, collector: collector)
        evidence.apply(to: &trials, derived: Set(derivedIndexes), scores: scores, claims: &claims, findings: &findings)

        for index in derivedIndexes where trials[index].outcomes == [.unknown] {
            let trial = trials[index]
            let basis = trial.note?.hasPrefix("from") == true && trial.note?.contains("pharmacy fill") == true ? " (its claims)" : ""
            findings.append("\(trial.drug) \(trial.start) … \(trial.end.map(\.description) ?? "ongoing"): no documented outcome; it counts for step therapy\(basis), "
                + "and for TRD adequacy it needs documentation of the response (set outcome: inadequate, partial or response)")
        }
        trials.sort { ($0.start, $0.drug) < ($1.start, $1.drug) }

        // The rest.
        profile.claims = claims
        profile.trials = trials
        profile.procedures = procedures()
        profile.scores = scores
        profile.diagnoses = diagnoses(input: collector.profiles.flatMap { item in
            item.profile.diagnoses.map { diagnosis in
                var copy = diagnosis
                if copy.sources.isEmpty { copy.sources = [FactSource(file: item.file, resource: diagnosis.ref)] }
                return copy
            }
        })
        let conditionFacts = conditions()
        profile.conditions = conditionFacts.map(\.condition)
        profile.conditionRecords = conditionFacts
        profile.medications = mergeMedications(medications)
        if let delivery = collector.deliveries.max(by: { $0.date < $1.date }), profile.demographics.deliveryDate == nil {
            profile.demographics.deliveryDate = delivery.date
            profile.demographics.sources += delivery.sources.filter { !profile.demographics.sources.contains($0) }
        }
        let unmatched = claims.filter { $0.payer == .cash && ($0.note ?? "").contains("no matching pharmacy claim") }.count
        if unmatched > 0 {
            findings.append("\(unmatched) pharmacy dispense record\(unmatched == 1 ? "" : "s") match no claim: written as payer: cash (not in the plan's claims, so steps they meet need documentation); change to insurance where the plan paid, or import the plan's claims")
        }

        // Refs as the YAML writes them, then the label.
        for index in profile.claims.indices { profile.claims[index].ref = "claims[\(index)]" }
        for index in profile.trials.indices { profile.trials[index].ref = "trials[\(index)]" }
        for index in profile.procedures.indices { profile.procedures[index].ref = "procedures[\(index)]" }
        for index in profile.scores.indices { profile.scores[index].ref = "scores[\(index)]" }
        for index in profile.diagnoses.indices { profile.diagnoses[index].ref = "diagnoses[\(index)]" }
        for index in profile.medications.indices { profile.medications[index].ref = "medications[\(index)]" }

        let redactor = Redactor(tokens: collector.sensitive)
        redactor.apply(to: &profile)
        profile.id = label ?? inputProfile?.id ?? Self.hashLabel(Self.fingerprint(profile))
        let warnings = collector.warnings.map(redactor.apply)

        var counts: [String: Int] = [:]
        func count(_ name: String, _ value: Int) { if value > 0 { counts[name] = value } }
        count("pharmacy fills", profile.claims.count)
        count("trials", profile.trials.count)
        count("procedure courses", profile.procedures.count)
        count("procedure sessions", profile.procedures.compactMap(\.sessions).reduce(0, +))
        count("scores", profile.scores.count)
        count("diagnoses", profile.diagnoses.count)
        count("conditions", profile.conditions.count)
        count("medications", profile.medications.count)
        let demographic = [profile.demographics.birthDate != nil || profile.demographics.age != nil, profile.demographics.sex != nil,
                           profile.demographics.state != nil, profile.demographics.deliveryDate != nil].filter { $0 }.count
        count("patient facts (birth date, sex, state, delivery)", demographic)
        count("plans", profile.plans.count)

        return RecordsImport(profile: profile, files: [], counts: counts, skipped: collector.skipped, warnings: warnings,
                             findings: findings.map(redactor.apply))
    }

    // MARK: Demographics

    func demographics(input: PatientProfile?) -> Demographics {
        var result = input?.demographics ?? Demographics()
        if let input, result.sources.isEmpty, result != Demographics() {
            result.sources = [FactSource(file: input.sourceFile.map(\.lastPathComponentText) ?? "profile", resource: "patient")]
        }
        for facts in collector.demographics {
            var used = false
            if let birth = facts.birthDate {
                if let known = result.birthDate, known != birth {
                    conflict(facts, "birthDate", "birth date \(birth) differs from \(known) in another record (records of two people?); kept \(known)")
                } else if result.birthDate == nil, result.age == nil {
                    result.birthDate = birth
                    used = true
                }
            }
            if let sex = facts.sex {
                if let known = result.sex, known != sex {
                    conflict(facts, "gender", "sex \(sex.rawValue) differs from \(known.rawValue) in another record; kept \(known.rawValue)")
                } else if result.sex == nil {
                    result.sex = sex
                    used = true
                }
            }
            if let state = facts.state, result.state == nil {
                result.state = state
                used = true
            }
            if used { result.sources += facts.sources.filter { !result.sources.contains($0) } }
        }
        return result
    }

    private func conflict(_ facts: RawDemographics, _ field: String, _ message: String) {
        guard let source = facts.sources.first else { return }
        collector.warnings.append(RecordWarning(file: source.file, resource: source.resource, field: field, message: message))
    }

    // MARK: References

    /// Prescriptions and statements with their `medicationReference` resolved across all inputs.
    func resolveReferences() -> [RawUse] {
        collector.uses.compactMap { use in
            guard let reference = use.drug.reference else { return use }
            var copy = use
            if let found = collector.medications[reference] {
                copy.drug = found
                if copy.drug.text == nil { copy.drug.text = use.drug.text }
                return copy
            }
            copy.drug.reference = nil
            if (copy.drug.text ?? "").isEmpty {
                collector.warnings.append(RecordWarning(file: use.file, resource: use.resource, field: "medicationReference",
                                                        message: "\(reference) is not among the inputs and has no display; skipped"))
                collector.skip("prescriptions whose Medication is not among the inputs")
                return nil
            }
            collector.warnings.append(RecordWarning(file: use.file, resource: use.resource, field: "medicationReference",
                                                    message: "\(reference) is not among the inputs; the drug is read from its display \"\(copy.drug.text ?? "")\""))
            return copy
        }
    }

    // MARK: Fills

    struct MergedFill {
        var raw: RawFill
    }

    /// Merges duplicates: the same claim read twice (one EOB in two files), and a dispense seen in a
    /// claim (same drug, fill date within a day). A dispense no claim shows is written as paid in
    /// cash: the plan's claims do not show it.
    func mergeFills(drug: (DrugCode) -> ResolvedDrug, findings: inout [String]) -> [MergedFill] {
        func identity(_ fill: RawFill) -> String {
            if let ndc = fill.drug.ndc { return "ndc:" + ndc.rawValue }
            let resolved = drug(fill.drug)
            if let rxcui = resolved.rxcui { return "rx:" + rxcui.rawValue }
            if let option = resolved.option { return "opt:" + option.id + ":" + (resolved.strength.map { String($0) } ?? "") }
            return "name:" + (fill.drug.text ?? "").lowercased()
        }
        var claims: [RawFill] = []
        var index: [String: Int] = [:]
        var profileFills: [RawFill] = []
        for item in collector.profiles {
            for claim in item.profile.claims {
                profileFills.append(RawFill(date: claim.fillDate, drug: DrugCode(ndc: claim.ndc, rxcui: claim.rxcui, text: claim.drug),
                                            daysSupply: claim.daysSupply, quantity: claim.quantity, payer: claim.payer, isClaim: true,
                                            previousPlan: claim.previousPlan, mgPerDay: claim.mgPerDay, notes: claim.note.map { [$0] } ?? [],
                                            sources: claim.sources.isEmpty ? [FactSource(file: item.file, resource: claim.ref)] : claim.sources,
                                            resource: claim.ref, file: item.file))
            }
        }
        for fill in profileFills + collector.fills where fill.isClaim {
            let key = "\(fill.date.ordinal)|\(identity(fill))|\(fill.daysSupply ?? 0)"
            if let existing = index[key] {
                claims[existing].sources += fill.sources.filter { !claims[existing].sources.contains($0) }
                if claims[existing].quantity == nil { claims[existing].quantity = fill.quantity }
                continue
            }
            index[key] = claims.count
            claims.append(fill)
        }
        var byDrug: [String: [Int]] = [:]
        for (position, claim) in claims.enumerated() { byDrug[identity(claim), default: []].append(position) }
        var result = claims
        for dispense in collector.fills where !dispense.isClaim {
            let key = identity(dispense)
            if let match = byDrug[key]?.first(where: { abs(claims[$0].date - dispense.date) <= 1 }) {
                result[match].sources += dispense.sources.filter { !result[match].sources.contains($0) }
                if result[match].quantity == nil { result[match].quantity = dispense.quantity }
                continue
            }
            if let duplicate = result.firstIndex(where: { !$0.isClaim && $0.date == dispense.date && identity($0) == key && $0.daysSupply == dispense.daysSupply }) {
                result[duplicate].sources += dispense.sources.filter { !result[duplicate].sources.contains($0) }
                continue
            }
            var fill = dispense
            fill.payer = .cash
            fill.notes.append("a pharmacy dispense record with no matching pharmacy claim: written as paid in cash (not in the plan's claims); change to insurance if the plan paid")
            result.append(fill)
        }
        return result.map { MergedFill(raw: $0) }
    }

    /// One warning per NDC the store cannot map, at its first fill.
    func reportUnmappedNDCs(_ fills: [RawFill], drug: (DrugCode) -> ResolvedDrug) {
        var seen: [String: (fill: RawFill, count: Int)] = [:]
        var order: [String] = []
        for fill in fills {
            guard let ndc = fill.drug.ndc, fill.drug.rxcui == nil, drug(fill.drug).rxcui == nil else { continue }
            if let known = seen[ndc.rawValue] {
                seen[ndc.rawValue] = (known.fill, known.count + 1)
            } else {
                seen[ndc.rawValue] = (fill, 1)
                order.append(ndc.rawValue)
            }
        }
        for ndc in order {
            guard let entry = seen[ndc] else { continue }
            let fills = entry.count == 1 ? "" : " (\(entry.count) fills)"
            collector.warnings.append(RecordWarning(file: entry.fill.file, resource: entry.fill.resource, field: "ndc",
                                                    message: "NDC \(ndc) has no RxNorm mapping loaded (import RxNorm)\(fills)"))
        }
    }

    // MARK: Trials

    /// Segments in start order, cut where the next starts more than `trialGapDays` after the
    /// current run's last covered day. An ongoing prescription keeps the run open.
    static func runs(_ segments: [Segment]) -> [[Segment]] {
        var result: [[Segment]] = []
        var current: [Segment] = []
        var reach: Day?
        var open = false
        for segment in segments {
            if let last = reach, !current.isEmpty, !open, segment.start - last > trialGapDays {
                result.append(current)
                current = []
                reach = nil
            }
            current.append(segment)
            if segment.ongoing { open = true }
            let end = segment.end ?? segment.start
            reach = reach.map { max($0, end) } ?? end
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    func derivedTrial(_ group: [Segment], key: String, deceased: Day?) -> ChartTrial {
        let start = group.map(\.start).min() ?? group[0].start
        let ongoing = group.contains(where: \.ongoing)
        let end = ongoing ? nil : group.compactMap { $0.end ?? $0.start }.max()
        let fills = group.filter(\.isFill)
        let orders = group.filter { !$0.isFill }
        let options = Set(group.map(\.optionID))
        let name = options.count == 1 ? resolver.trialName(options.first ?? key) : resolver.trialName(key)
        var parts: [String] = []
        if !fills.isEmpty {
            parts.append("from \(fills.count) pharmacy fill\(fills.count == 1 ? "" : "s") \(fills.map(\.start).min() ?? start) … \(fills.compactMap(\.end).max() ?? start)")
        }
        if !orders.isEmpty { parts.append("\(fills.isEmpty ? "from" : "and") \(orders.count) prescription\(orders.count == 1 ? "" : "s")") }
        var note = parts.joined(separator: " ")
        if ongoing { note += "; a prescription is still active in the record: the trial runs to the as-of date (set end if it stopped)" }
        let lastEndUnknown = !ongoing && group.last(where: { ($0.end ?? $0.start) == end })?.endUnknown == true && fills.isEmpty
        if lastEndUnknown { note += "; uncertain: the last prescription was stopped with no stop date recorded, so the end is its date" }
        note += "; outcome not documented: needs documentation of the response for TRD adequacy"
        let sources = Self.distinct(group.flatMap(\.sources))
        if sources.count > Self.maxTrialSources {
            note += "; sources: the first \(Self.maxTrialSources) of \(sources.count) records (each fill lists its own)"
        }
        return ChartTrial(drug: name, mgPerDay: group.compactMap(\.mgPerDay).max(), start: start, end: end, outcome: .unknown, outcomes: [.unknown],
                          outcomeText: "unknown", note: note, previousPlan: !fills.isEmpty && fills.allSatisfy(\.previousPlan) && orders.isEmpty,
                          cashPaid: !fills.isEmpty && fills.allSatisfy(\.cash) && orders.isEmpty, sources: Array(sources.prefix(Self.maxTrialSources)))
    }

    /// The response outcome first, then adverse ones (the order the loader writes).
    static func ordered(_ outcomes: [TrialOutcome]) -> [TrialOutcome] {
        let response = outcomes.filter { !$0.isAdverse }.prefix(1)
        return Array(response) + outcomes.filter(\.isAdverse)
    }

    // MARK: Scores

    func mergeScores() -> [ScoreRecord] {
        var raw = collector.scores
        for item in collector.profiles {
            for score in item.profile.scores {
                raw.append(RawScore(scale: score.scale, value: score.value, date: score.date, note: score.note,
                                    sources: score.sources.isEmpty ? [FactSource(file: item.file, resource: score.ref)] : score.sources))
            }
        }
        // Panels: the same administration as a total is one score; else its items summed.
        for panel in collector.panels {
            if let index = raw.firstIndex(where: { ScoreRecord.scaleKey($0.scale) == ScoreRecord.scaleKey(panel.scale) && $0.date == panel.date }) {
                raw[index].sources += panel.sources.filter { !raw[index].sources.contains($0) }
                continue
            }
            let members = panel.members.compactMap { collector.items[$0] }.filter { Codes.phq9Items.contains($0.code) }
            let distinct = Dictionary(members.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
            guard distinct.count == 9, distinct.values.allSatisfy({ $0.value != nil }) else {
                collector.warnings.append(RecordWarning(file: panel.file, resource: panel.resource, field: "hasMember",
                                                        message: "\(distinct.values.filter { $0.value != nil }.count) of the 9 PHQ-9 item answers found among the inputs with a score; the panel's score is skipped (give the item Observations or the total)"))
                continue
            }
            let total = distinct.values.compactMap(\.value).reduce(0, +)
            raw.append(RawScore(scale: panel.scale, value: total, date: panel.date, note: "the panel's nine item answers summed", sources: panel.sources))
            collector.factsByFile[panel.file, default: 0] += 1
        }
        // Item Observations with no panel: the nine answers of one day, summed when no total says it.
        var loose: [Day: [String: ScoredItem]] = [:]
        for item in collector.items.values {
            guard let date = item.date, item.value != nil else { continue }
            loose[date, default: [:]][item.code] = item
        }
        for (date, answers) in loose.sorted(by: { $0.key < $1.key }) where answers.count == 9 {
            guard !raw.contains(where: { ScoreRecord.scaleKey($0.scale) == "phq9" && $0.date == date }) else { continue }
            var sources: [FactSource] = []
            for code in answers.keys.sorted() { sources += answers[code]?.sources ?? [] }
            raw.append(RawScore(scale: "PHQ-9", value: answers.values.compactMap(\.value).reduce(0, +), date: date,
                                note: "nine PHQ-9 item answers of one day summed (no total or panel)", sources: sources))
            for item in answers.values { collector.factsByFile[item.file, default: 0] += 1 }
        }
        var result: [ScoreRecord] = []
        for score in raw.sorted(by: { ($0.date, $0.scale) < ($1.date, $1.scale) }) {
            if let index = result.firstIndex(where: { ScoreRecord.scaleKey($0.scale) == ScoreRecord.scaleKey(score.scale) && $0.date == score.date }) {
                if result[index].value == score.value {
                    result[index].sources += score.sources.filter { !result[index].sources.contains($0) }
                    continue
                }
                if let source = score.sources.first {
                    collector.warnings.append(RecordWarning(file: source.file, resource: source.resource, field: "value",
                                                            message: "\(score.scale) \(PatientProfileWriter.number(score.value)) on \(score.date) differs from \(PatientProfileWriter.number(result[index].value)) in another record; both are kept"))
                }
            }
            result.append(ScoreRecord(scale: score.scale, value: score.value, date: score.date, note: score.note, sources: score.sources))
        }
        return result
    }

    // MARK: Procedures

    func procedures() -> [ProcedureRecord] {
        var result: [ProcedureRecord] = collector.profiles.flatMap { item in
            item.profile.procedures.map { procedure in
                var copy = procedure
                if copy.sources.isEmpty { copy.sources = [FactSource(file: item.file, resource: procedure.ref)] }
                return copy
            }
        }
        // Sessions a profile's course already holds (an earlier import, edited) are that course's.
        var sessions: [RawSession] = []
        for session in collector.sessions {
            if let index = result.firstIndex(where: { course in
                course.type.lowercased() == session.type.lowercased() && (course.start ?? session.date) <= session.date
                    && session.date <= (course.end ?? course.start ?? session.date)
            }) {
                result[index].sources = Array(Self.distinct(result[index].sources + session.sources).prefix(Self.maxTrialSources))
                continue
            }
            sessions.append(session)
        }
        let byType = Dictionary(grouping: sessions, by: \.type)
        for (type, sessions) in byType.sorted(by: { $0.key < $1.key }) {
            // One session per type and day, whichever records show it.
            var days: [Day: RawSession] = [:]
            for session in sessions {
                if var known = days[session.date] {
                    known.sources += session.sources.filter { !known.sources.contains($0) }
                    known.count = max(known.count, session.count)
                    if known.outcome == .unknown, session.outcome != .unknown {
                        known.outcome = session.outcome
                        known.outcomeText = session.outcomeText
                    }
                    days[session.date] = known
                } else {
                    days[session.date] = session
                }
            }
            var course: [RawSession] = []
            func close() {
                guard let first = course.first, let last = course.last else { return }
                let outcome = course.last(where: { $0.outcome != .unknown })
                var sources = Self.distinct(course.flatMap(\.sources))
                var notes: [String] = []
                let claimed = course.filter(\.fromClaim).map(\.count).reduce(0, +)
                if claimed > 0 { notes.append("\(claimed) session\(claimed == 1 ? "" : "s") on claims") }
                if type == "psychotherapy" { notes.append("claims do not say which psychotherapy (CBT, IPT, DBT): the chart must, for criteria that ask") }
                if sources.count > Self.maxTrialSources {
                    notes.append("sources: the first \(Self.maxTrialSources) of \(sources.count) records")
                    sources = Array(sources.prefix(Self.maxTrialSources))
                }
                result.append(ProcedureRecord(type: type, sessions: course.map(\.count).reduce(0, +), start: first.date, end: last.date,
                                              outcome: outcome?.outcome ?? .unknown, outcomeText: outcome?.outcomeText,
                                              note: notes.isEmpty ? nil : notes.joined(separator: "; "), sources: sources))
                course = []
            }
            for day in days.keys.sorted() {
                guard let session = days[day] else { continue }
                if let last = course.last, day - last.date > Self.courseGapDays { close() }
                course.append(session)
            }
            close()
        }
        return result.sorted { ($0.start ?? Day(ordinal: 0), $0.type) < ($1.start ?? Day(ordinal: 0), $1.type) }
    }

    // MARK: Diagnoses and conditions

    func diagnoses(input: [Diagnosis]) -> [Diagnosis] {
        var result = input
        // Conditions with dates: one diagnosis per code and onset.
        for raw in collector.diagnoses where !raw.fromClaim {
            let depression = Codes.isDepression(raw.code) && !raw.code.hasPrefix("F53")
            if let index = result.firstIndex(where: { $0.code == raw.code && ($0.episodeStart ?? $0.onset) == raw.onset }) {
                result[index].sources += raw.sources.filter { !result[index].sources.contains($0) }
                continue
            }
            var diagnosis = Diagnosis(code: raw.code, description: raw.description, note: raw.note, sources: raw.sources)
            if depression { diagnosis.episodeStart = raw.onset } else if Codes.isDepression(raw.code) { diagnosis.onset = raw.onset }
            if depression || Codes.isDepression(raw.code) {
                if let abatement = raw.abatement, abatement >= (raw.onset ?? abatement) {
                    diagnosis.remission = abatement
                } else if raw.remitted {
                    diagnosis.inRemission = true
                }
            }
            if depression, raw.onset != nil, diagnosis.note == nil {
                diagnosis.note = "episodeStart is the condition's onset: change it if the current episode began later"
            }
            result.append(diagnosis)
        }
        // Codes on claims: joined to a diagnosis of the same code, else one per code.
        let claimed = Dictionary(grouping: collector.diagnoses.filter(\.fromClaim), by: \.code)
        for (code, raws) in claimed.sorted(by: { $0.key < $1.key }) {
            let days = raws.compactMap(\.seenOn).sorted()
            var sources = Self.distinct(raws.flatMap(\.sources))
            let seen = "on \(raws.count) claim\(raws.count == 1 ? "" : "s")" + (days.first.map { ", first \($0)" } ?? "") + (days.count > 1 ? ", last \(days[days.count - 1])" : "")
            if sources.count > Self.maxTrialSources { sources = Array(sources.prefix(Self.maxTrialSources)) }
            if let index = result.lastIndex(where: { $0.code == code }) {
                result[index].sources += sources.filter { !result[index].sources.contains($0) }
                continue
            }
            var note = seen
            if Codes.isDepression(code) { note += "; claims do not date the episode: add episodeStart" }
            result.append(Diagnosis(code: code, description: raws.first { $0.description != nil }?.description, note: note, sources: sources))
        }
        return result
    }

    func conditions() -> [ConditionRecord] {
        var result: [ConditionRecord] = []
        for item in collector.profiles {
            for condition in item.profile.conditions where !result.contains(where: { $0.condition == condition }) {
                let record = item.profile.conditionRecords.first { $0.condition == condition }
                result.append(ConditionRecord(condition: condition, note: record?.note,
                                              sources: record?.sources ?? [FactSource(file: item.file, resource: "conditions")]))
            }
        }
        for raw in collector.conditions {
            if let index = result.firstIndex(where: { $0.condition == raw.condition }) {
                result[index].sources += raw.sources.filter { !result[index].sources.contains($0) }
                if result[index].note == nil { result[index].note = raw.note }
                continue
            }
            result.append(ConditionRecord(condition: raw.condition, note: raw.note, sources: raw.sources))
        }
        return result
    }

    func mergeMedications(_ medications: [Medication]) -> [Medication] {
        var result: [Medication] = []
        for medication in medications {
            if let index = result.firstIndex(where: { $0.drug.lowercased() == medication.drug.lowercased() && $0.start == medication.start }) {
                result[index].sources += medication.sources.filter { !result[index].sources.contains($0) }
                continue
            }
            result.append(medication)
        }
        return result.sorted { ($0.start ?? Day(ordinal: Int.min / 4), $0.drug) < ($1.start ?? Day(ordinal: Int.min / 4), $1.drug) }
    }

    /// The sources in order, each once.
    static func distinct(_ sources: [FactSource]) -> [FactSource] {
        var seen = Set<FactSource>()
        return sources.filter { seen.insert($0).inserted }
    }

    // MARK: Label

    /// What the label hashes: the facts' dates, codes and values (stable across runs and machines).
    static func fingerprint(_ profile: PatientProfile) -> String {
        var parts: [String] = [profile.demographics.birthDate?.description ?? "", profile.demographics.sex?.rawValue ?? ""]
        for claim in profile.claims {
            parts.append("\(claim.fillDate)|\(claim.ndc?.rawValue ?? "")|\(claim.rxcui?.rawValue ?? "")|\(claim.drug ?? "")|\(claim.daysSupply)")
        }
        for trial in profile.trials { parts.append("\(trial.drug)|\(trial.start)|\(trial.end?.description ?? "")") }
        for score in profile.scores { parts.append("\(score.scale)|\(score.date)|\(score.value)") }
        for diagnosis in profile.diagnoses { parts.append(diagnosis.code) }
        for procedure in profile.procedures { parts.append("\(procedure.type)|\(procedure.start?.description ?? "")|\(procedure.sessions ?? 0)") }
        for medication in profile.medications { parts.append(medication.drug) }
        return parts.joined(separator: "\n")
    }

    /// `p-` and 12 hex digits of an FNV-1a hash of the profile: a stable label that names nobody.
    static func hashLabel(_ text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        let hex = String(hash, radix: 16)
        return "p-" + String((String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(12))
    }
}

extension TrialOutcome {
    var isAdverse: Bool { self == .intolerance || self == .contraindication }
}

extension String {
    /// The last `/`-separated part.
    var lastPathComponentText: String { split(separator: "/").last.map(String.init) ?? self }
}
