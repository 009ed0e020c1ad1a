import Foundation
import FormularyModel
import Yams

/// Reads patient profiles in the documented format (`Formularies/patients/README.md`, YAML or
/// JSON), collecting every problem with its file, line, field path and value.
///
/// It reads that format only: the shared acceptance-scenario JSON (`{"scenarios": [...]}`, with
/// a free-text `fills` pattern) is a test fixture, converted by the tests' own adapter.
public enum PatientLoader {
    /// Loads one profile from a file (YAML or JSON).
    public static func load(path: String, reference: DrugReference? = nil) throws -> PatientProfile {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DocumentError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        return try load(text: text, file: path, reference: reference)
    }

    /// Parses profile text (YAML or JSON). With a drug reference, `requests` resolve to option
    /// ids and unknown names are errors; without one they keep the names as written.
    public static func load(text: String, file: String, reference: DrugReference? = nil) throws -> PatientProfile {
        let reader = DocumentReader(file: file)
        guard let root = reader.parse(text) else {
            try reader.throwIfInvalid()
            throw DocumentError.invalid(file: file, issues: [DocumentIssue(kind: .missingField, file: file, line: nil, fieldPath: "", problem: "no patient in the document")])
        }
        let profile = read(root, "", reader, file: file, reference: reference)
        try reader.throwIfInvalid()
        guard let profile else {
            throw DocumentError.invalid(file: file, issues: [DocumentIssue(kind: .missingField, file: file, line: nil, fieldPath: "", problem: "no patient in the document")])
        }
        return profile
    }

    static let topKeys: Set<String> = [
        "schema", "id", "title", "note", "notes", "asOf", "patient", "plan", "plans", "diagnoses", "claims",
        "trials", "history", "current", "procedures", "scores", "conditions", "medications", "flags", "requests",
    ]

    static func read(_ node: Node, _ path: String, _ reader: DocumentReader, file: String, reference: DrugReference?) -> PatientProfile? {
        guard let map = reader.mapping(node, path, allowed: topKeys) else { return nil }
        if let schema = reader.string(map, "schema"), schema != "formulary-patient/1" {
            reader.report(.invalidValue, map.value("schema"), map.path("schema"), value: schema, problem: "expected formulary-patient/1")
        }
        let fileStem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var profile = PatientProfile(id: reader.string(map, "id") ?? fileStem, sourceFile: file)
        profile.asOf = reader.day(map, "asOf")
        if let patientNode = map.value("patient"),
           let patient = reader.mapping(patientNode, map.path("patient"), allowed: ["age", "birthDate", "sex", "state", "deliveryDate", "source"]) {
            var demographics = Demographics()
            demographics.age = reader.int(patient, "age", range: 0...130)
            demographics.birthDate = reader.day(patient, "birthDate")
            if let sex = reader.string(patient, "sex") {
                switch sex.uppercased() {
                case "F", "FEMALE": demographics.sex = .female
                case "M", "MALE": demographics.sex = .male
                case "X", "OTHER": demographics.sex = .other
                default: reader.report(.invalidValue, patient.value("sex"), patient.path("sex"), value: sex, problem: "sex must be F, M or X")
                }
            }
            if let state = reader.string(patient, "state") {
                if state.count == 2 { demographics.state = state.uppercased() } else {
                    reader.report(.invalidValue, patient.value("state"), patient.path("state"), value: state, problem: "a two-letter state code")
                }
            }
            demographics.deliveryDate = reader.day(patient, "deliveryDate")
            demographics.sources = readSources(patient, reader)
            profile.demographics = demographics
        }
        profile.plans = reader.strings(map, "plan") + reader.strings(map, "plans")
        profile.diagnoses = reader.list(map, "diagnoses").compactMap { readDiagnosis($0.node, $0.path, reader) }
        profile.claims = reader.list(map, "claims").compactMap { readClaim($0.node, $0.path, reader) }
        for key in ["trials", "history", "current"] {
            profile.trials += reader.list(map, key).compactMap { readTrial($0.node, $0.path, reader, ongoing: key == "current") }
        }
        profile.procedures = reader.list(map, "procedures").compactMap { readProcedure($0.node, $0.path, reader) }
        profile.scores = reader.list(map, "scores").compactMap { item in
            guard let score = reader.mapping(item.node, item.path, allowed: ["scale", "value", "date", "note", "source"]),
                  let scale = reader.string(score, "scale", required: true), let value = reader.double(score, "value", required: true),
                  let date = reader.day(score, "date", required: true) else { return nil }
            return ScoreRecord(scale: scale, value: value, date: date, note: reader.string(score, "note"), sources: readSources(score, reader),
                               ref: item.path)
        }
        readConditions(map, reader, into: &profile)
        profile.medications = reader.list(map, "medications").compactMap { readMedication($0.node, $0.path, reader) }
        if let flagsNode = map.value("flags") {
            profile.flags = readFlags(flagsNode, map.path("flags"), reader)
        }
        profile.requests = readRequests(map, reader, reference: reference)
        return profile
    }

    static func readDiagnosis(_ node: Node, _ path: String, _ reader: DocumentReader) -> Diagnosis? {
        guard let map = reader.mapping(node, path, allowed: ["code", "episodeStart", "onset", "remission", "inRemission", "previousEpisodes",
                                                             "note", "description", "source"]),
              let code = reader.string(map, "code", required: true) else { return nil }
        let valid = code.count >= 3 && code.first?.isLetter == true && code.dropFirst().first?.isNumber == true
        if !valid { reader.report(.invalidValue, map.value("code"), map.path("code"), value: code, problem: "expected an ICD-10-CM code such as F33.2") }
        let episodeStart = reader.day(map, "episodeStart")
        let remission = reader.day(map, "remission")
        if let remission, let episodeStart, remission < episodeStart {
            reader.report(.invalidValue, map.value("remission"), map.path("remission"), value: remission.description,
                          problem: "the current episode's remission is before its episodeStart \(episodeStart); an earlier remission goes in previousEpisodes")
        }
        var episodes: [Diagnosis.Episode] = []
        for item in reader.list(map, "previousEpisodes") {
            guard let entry = reader.mapping(item.node, item.path, allowed: ["start", "remission", "note"]),
                  let remitted = reader.day(entry, "remission", required: true) else { continue }
            let start = reader.day(entry, "start")
            if let start, remitted < start {
                reader.report(.invalidValue, entry.value("remission"), entry.path("remission"), value: remitted.description,
                              problem: "remission is before the episode's start \(start)")
            }
            if let previous = episodes.last, (start ?? remitted) <= previous.remission {
                let field = start == nil ? "remission" : "start"
                reader.report(.invalidValue, entry.value(field), entry.path(field), value: (start ?? remitted).description,
                              problem: "episodes are listed oldest first, each after the previous remission \(previous.remission)")
            }
            if let episodeStart, remitted >= episodeStart {
                reader.report(.invalidValue, entry.value("remission"), entry.path("remission"), value: remitted.description,
                              problem: "a previous episode remits before the current episodeStart \(episodeStart)")
            }
            episodes.append(Diagnosis.Episode(start: start, remission: remitted, ref: item.path))
        }
        if let remission, let last = episodes.last, remission <= last.remission, episodeStart == nil {
            reader.report(.invalidValue, map.value("remission"), map.path("remission"), value: remission.description,
                          problem: "the current episode's remission must come after the previous episode's remission \(last.remission)")
        }
        return Diagnosis(code: code.uppercased(), episodeStart: episodeStart, onset: reader.day(map, "onset"),
                         remission: remission, inRemission: reader.bool(map, "inRemission"), previousEpisodes: episodes,
                         description: reader.string(map, "description"), note: reader.string(map, "note"), sources: readSources(map, reader),
                         ref: path)
    }

    static let claimKeys: Set<String> = ["fillDate", "rxcui", "ndc", "drug", "daysSupply", "quantity", "mgPerDay", "payer", "previousPlan", "note", "labeler",
                                         "source"]

    static func readClaim(_ node: Node, _ path: String, _ reader: DocumentReader) -> PharmacyClaim? {
        guard let map = reader.mapping(node, path, allowed: claimKeys),
              let fillDate = reader.day(map, "fillDate", required: true),
              let daysSupply = reader.int(map, "daysSupply", required: true, range: 1...400) else { return nil }
        var rxcui: RxCUI?
        if let code = reader.string(map, "rxcui") {
            if RxCUI.isWellFormed(code) { rxcui = RxCUI(code) } else {
                reader.report(.invalidValue, map.value("rxcui"), map.path("rxcui"), value: code, problem: "an RxCUI is 1 to 8 digits")
            }
        }
        var ndc: NDC?
        if let text = reader.string(map, "ndc") {
            if case .ndc(let parsed) = DrugQuery(parsing: text) { ndc = parsed } else {
                reader.report(.invalidValue, map.value("ndc"), map.path("ndc"), value: text, problem: "an NDC is 11 digits or dashed 5-4-2 / 4-4-2 / 5-3-2")
            }
        }
        let drug = reader.string(map, "drug")
        if rxcui == nil, ndc == nil, drug == nil {
            reader.report(.missingField, map.node, path, problem: "a claim needs rxcui, ndc or drug")
        }
        var payer = PharmacyClaim.Payer.insurance
        if let text = reader.string(map, "payer") {
            if let parsed = PharmacyClaim.Payer(rawValue: text.lowercased()) { payer = parsed } else {
                reader.report(.invalidValue, map.value("payer"), map.path("payer"), value: text, problem: "payer must be insurance or cash")
            }
        }
        return PharmacyClaim(fillDate: fillDate, rxcui: rxcui, ndc: ndc, drug: drug, daysSupply: daysSupply,
                             quantity: reader.double(map, "quantity"), mgPerDay: reader.double(map, "mgPerDay"), payer: payer,
                             previousPlan: reader.bool(map, "previousPlan") ?? false, note: reader.string(map, "note"),
                             sources: readSources(map, reader), ref: path)
    }

    static func readTrial(_ node: Node, _ path: String, _ reader: DocumentReader, ongoing: Bool) -> ChartTrial? {
        let keys: Set<String> = ["drug", "mgPerDay", "start", "end", "outcome", "note", "previousPlan", "cashPaid", "clinicianConfirmed", "source"]
        guard let map = reader.mapping(node, path, allowed: keys),
              let drug = reader.string(map, "drug", required: true),
              let start = reader.day(map, "start", required: true) else { return nil }
        let end = reader.day(map, "end")
        if ongoing, end != nil {
            reader.report(.invalidValue, map.value("end"), map.path("end"), value: end?.description, problem: "a current medication has no end date (use history for stopped trials)")
        }
        if let end, end < start {
            reader.report(.invalidValue, map.value("end"), map.path("end"), value: end.description, problem: "end is before start \(start)")
        }
        let outcomes = readOutcomes(map, reader)
        return ChartTrial(drug: drug, mgPerDay: reader.double(map, "mgPerDay"), start: start, end: end, outcome: outcomes.all.first ?? .unknown,
                          outcomes: outcomes.all.isEmpty ? nil : outcomes.all, outcomeText: outcomes.text, note: reader.string(map, "note"),
                          previousPlan: reader.bool(map, "previousPlan") ?? false, cashPaid: reader.bool(map, "cashPaid") ?? false,
                          clinicianConfirmed: reader.bool(map, "clinicianConfirmed") ?? false, sources: readSources(map, reader), ref: path)
    }

    static let outcomeWords = "inadequate, partial, intolerance (or adverse effect), contraindication, response, confounded, n/a"

    /// Outcomes that describe an adverse effect rather than the response: they may stand beside a
    /// response outcome in one trial (`[inadequate, adverse effect]`).
    static let adverseOutcomes: Set<TrialOutcome> = [.intolerance, .contraindication]

    /// `outcome: inadequate` or `outcome: [inadequate, adverse effect]`: the outcomes in order,
    /// the response outcome first (at most one), then the adverse ones; and the text as written.
    static func readOutcomes(_ map: MappingView, _ reader: DocumentReader) -> (all: [TrialOutcome], text: String?) {
        guard let node = map.value("outcome"), !reader.isNull(node) else { return ([], nil) }
        let path = map.path("outcome")
        var items: [(node: Node, path: String)] = []
        switch node {
        case .scalar: items = [(node, path)]
        case .sequence: items = reader.list(map, "outcome")
        default:
            reader.report(.wrongType, node, path, problem: "expected an outcome or a list of outcomes, found a mapping")
            return ([], nil)
        }
        if items.isEmpty {
            reader.report(.invalidValue, node, path, value: "[]", problem: "an empty list; omit outcome or write unknown")
            return ([], nil)
        }
        var response: (outcome: TrialOutcome, text: String)?
        var adverse: [TrialOutcome] = []
        var texts: [String] = []
        for item in items {
            guard let raw = reader.scalarText(item.node, item.path, expected: "an outcome") else { continue }
            let text = raw.trimmingWhitespace()
            texts.append(text)
            guard let outcome = TrialOutcome(text: text) else {
                reader.report(.invalidValue, item.node, item.path, value: text, problem: "outcome must be one of \(outcomeWords)")
                continue
            }
            if adverseOutcomes.contains(outcome) {
                if adverse.contains(outcome) {
                    reader.report(.duplicate, item.node, item.path, value: text, problem: "\(outcome.rawValue) is listed twice")
                } else {
                    adverse.append(outcome)
                }
            } else if let first = response {
                reader.report(.invalidValue, item.node, item.path, value: text,
                              problem: "a trial has one response outcome; \"\(first.text)\" is already given (add adverse effects: intolerance, contraindication)")
            } else {
                response = (outcome, text)
            }
        }
        return ((response.map { [$0.outcome] } ?? []) + adverse, texts.joined(separator: ", "))
    }

    static func readProcedure(_ node: Node, _ path: String, _ reader: DocumentReader) -> ProcedureRecord? {
        guard let map = reader.mapping(node, path, allowed: ["type", "sessions", "start", "end", "outcome", "note", "source"]),
              let type = reader.string(map, "type", required: true) else { return nil }
        var outcome = ProcedureOutcome.unknown
        let text = reader.string(map, "outcome")
        if let text {
            if let parsed = ProcedureOutcome(text: text) { outcome = parsed } else {
                reader.report(.invalidValue, map.value("outcome"), map.path("outcome"), value: text,
                              problem: "outcome must be no remission, remission, response, ongoing or unknown")
            }
        }
        return ProcedureRecord(type: type, sessions: reader.int(map, "sessions", range: 0...1000), start: reader.day(map, "start"),
                               end: reader.day(map, "end"), outcome: outcome, outcomeText: text, note: reader.string(map, "note"),
                               sources: readSources(map, reader), ref: path)
    }

    static let medicationKeys: Set<String> = ["drug", "otc", "start", "end", "note", "mgPerDay", "dose", "frequency", "timeOfDay", "source"]

    /// A co-medication or OTC product: a bare name, or a mapping with dose, frequency and the
    /// clock times it is taken (`timeOfDay: ["08:00", "20:00"]`).
    static func readMedication(_ node: Node, _ path: String, _ reader: DocumentReader) -> Medication? {
        if case .scalar(let scalar) = node {
            let name = scalar.string.trimmingSpaces()
            guard !name.isEmpty else {
                reader.report(.missingField, node, path, problem: "a medication needs a drug name")
                return nil
            }
            return Medication(drug: name, ref: path)
        }
        guard let map = reader.mapping(node, path, allowed: medicationKeys),
              let drug = reader.string(map, "drug", required: true) else { return nil }
        let start = reader.day(map, "start")
        let end = reader.day(map, "end")
        if let start, let end, end < start {
            reader.report(.invalidValue, map.value("end"), map.path("end"), value: end.description, problem: "end is before start \(start)")
        }
        let mgPerDay = reader.double(map, "mgPerDay")
        if let mgPerDay, mgPerDay <= 0 {
            reader.report(.invalidValue, map.value("mgPerDay"), map.path("mgPerDay"), value: map.value("mgPerDay")?.scalar?.string,
                          problem: "mgPerDay must be more than 0")
        }
        var frequency: DoseFrequency?
        if let text = reader.string(map, "frequency") {
            frequency = DoseFrequency(text: text)
            if frequency == nil {
                reader.report(.invalidValue, map.value("frequency"), map.path("frequency"), value: text,
                              problem: "frequency must be one of \(DoseFrequency.allCases.map(\.rawValue).joined(separator: ", ")) (or daily, BID, TID, QID, QHS, QAM, QOD, PRN)")
            }
        }
        var times: [ClockTime] = []
        var badTimes = 0
        for item in reader.list(map, "timeOfDay", scalarAsList: true) {
            guard let text = reader.scalarText(item.node, item.path, expected: "a time HH:MM") else { badTimes += 1; continue }
            let trimmed = text.trimmingSpaces()
            guard let time = ClockTime(trimmed) else {
                reader.report(.invalidValue, item.node, item.path, value: trimmed, problem: "expected a time HH:MM on a 24-hour clock (00:00 … 23:59)")
                badTimes += 1
                continue
            }
            if times.contains(time) {
                reader.report(.duplicate, item.node, item.path, value: trimmed, problem: "\(time) is listed twice")
                badTimes += 1
                continue
            }
            times.append(time)
        }
        // The count is checked only when every time read well: one error per mistake.
        if let frequency, let doses = frequency.dosesPerDosingDay, badTimes == 0, !times.isEmpty, times.count != doses {
            reader.report(.invalidValue, map.value("timeOfDay"), map.path("timeOfDay"), value: times.map(\.description).joined(separator: ", "),
                          problem: "\(frequency.rawValue) means \(doses) dose\(doses == 1 ? "" : "s") a day; give \(doses) time\(doses == 1 ? "" : "s")")
        }
        return Medication(drug: drug, otc: reader.bool(map, "otc") ?? false, start: start, end: end, mgPerDay: mgPerDay,
                          dose: reader.string(map, "dose"), frequency: frequency, timeOfDay: times.sorted(), note: reader.string(map, "note"),
                          sources: readSources(map, reader), ref: path)
    }

    /// `requests: [{option: Rexulti, as: add-on, mgPerDay: 2}]` (a bare name works too). With a
    /// drug reference, each option resolves to its id; an unknown name, a drug known only for
    /// interaction checks, a dose on a procedure and a repeated option are errors.
    static func readRequests(_ map: MappingView, _ reader: DocumentReader, reference: DrugReference?) -> [OptionRequest] {
        var requests: [OptionRequest] = []
        for item in reader.list(map, "requests") {
            let entry: MappingView?
            let nameNode: Node?
            let namePath: String
            let name: String?
            if case .scalar(let scalar) = item.node {
                entry = nil
                nameNode = item.node
                namePath = item.path
                name = scalar.string.trimmingSpaces()
            } else {
                guard let mapping = reader.mapping(item.node, item.path, allowed: ["option", "as", "mgPerDay", "note"]) else { continue }
                entry = mapping
                nameNode = mapping.value("option")
                namePath = mapping.path("option")
                name = reader.string(mapping, "option", required: true)
            }
            guard let name else { continue }
            guard !name.isEmpty else {
                reader.report(.missingField, nameNode, namePath, problem: "a request needs an option name")
                continue
            }
            var optionID = name
            var isProcedure = false
            if let reference {
                guard let option = reference.option(named: name) else {
                    reader.report(.unknownDrug, nameNode, namePath, value: name, problem: "no option in the drug reference matches this name")
                    continue
                }
                if option.kind == .interactionAgent {
                    reader.report(.invalidValue, nameNode, namePath, value: name,
                                  problem: "\(option.name) is known only for interaction checks, not as a treatment option (list it under medications)")
                    continue
                }
                optionID = option.id
                isProcedure = option.kind == .procedure
            }
            var use: OptionUse?
            var mgPerDay: Double?
            if let entry {
                if let text = reader.string(entry, "as") {
                    use = OptionUse(rawValue: text.lowercased())
                    if use == nil {
                        reader.report(.invalidValue, entry.value("as"), entry.path("as"), value: text, problem: "as must be add-on or switch")
                    }
                }
                mgPerDay = reader.double(entry, "mgPerDay")
                if let dose = mgPerDay {
                    let written = entry.value("mgPerDay")?.scalar?.string
                    if dose <= 0 {
                        reader.report(.invalidValue, entry.value("mgPerDay"), entry.path("mgPerDay"), value: written, problem: "mgPerDay must be more than 0")
                    } else if isProcedure {
                        reader.report(.invalidValue, entry.value("mgPerDay"), entry.path("mgPerDay"), value: written,
                                      problem: "\(name) is a procedure: it has no dose in mg per day")
                    }
                }
            }
            if let earlier = requests.first(where: { $0.option == optionID }) {
                reader.report(.duplicate, nameNode, namePath, value: name, problem: "the same option as \(earlier.ref) (\(earlier.text)); request it once")
                continue
            }
            requests.append(OptionRequest(option: optionID, text: name, use: use, mgPerDay: mgPerDay, ref: item.path))
        }
        return requests
    }

    /// `source: {file: eob.json, resource: ExplanationOfBenefit/pde-89}`, or a list of them: where
    /// an imported fact came from (`formulary patient import` writes it). Both keys are required.
    static func readSources(_ map: MappingView, _ reader: DocumentReader) -> [FactSource] {
        guard let node = map.value("source"), !reader.isNull(node) else { return [] }
        let items: [(node: Node, path: String)]
        if case .sequence = node { items = reader.list(map, "source") } else { items = [(node, map.path("source"))] }
        return items.compactMap { item in
            guard let entry = reader.mapping(item.node, item.path, allowed: ["file", "resource"]),
                  let file = reader.string(entry, "file", required: true),
                  let resource = reader.string(entry, "resource", required: true) else { return nil }
            return FactSource(file: file, resource: resource)
        }
    }

    /// `conditions: [seizure-disorder, {condition: psychosis, source: {…}, note: …}]`.
    static func readConditions(_ map: MappingView, _ reader: DocumentReader, into profile: inout PatientProfile) {
        let known = "unknown condition; known: \(ClinicalCondition.allCases.map(\.rawValue).joined(separator: ", "))"
        for (index, item) in reader.list(map, "conditions", scalarAsList: true).enumerated() {
            let path = "\(map.path("conditions"))[\(index)]"
            if case .mapping = item.node {
                guard let entry = reader.mapping(item.node, path, allowed: ["condition", "note", "source"]),
                      let text = reader.string(entry, "condition", required: true) else { continue }
                guard let condition = ClinicalCondition(text: text) else {
                    reader.report(.invalidValue, entry.value("condition"), entry.path("condition"), value: text, problem: known)
                    continue
                }
                profile.conditions.append(condition)
                profile.conditionRecords.append(ConditionRecord(condition: condition, note: reader.string(entry, "note"),
                                                                sources: readSources(entry, reader)))
                continue
            }
            guard let text = reader.scalarText(item.node, path, expected: "text").map({ $0.trimmingSpaces() }) else { continue }
            if let condition = ClinicalCondition(text: text) {
                profile.conditions.append(condition)
            } else {
                reader.report(.invalidValue, map.value("conditions"), path, value: text, problem: known)
            }
        }
    }

    static func readFlags(_ node: Node, _ path: String, _ reader: DocumentReader) -> PatientFlags {
        var allowed = Set(PatientFlags.Name.allCases.map(\.rawValue))
        allowed.formUnion(["prescriberPsychiatrist", "prescriberSpecialty"])
        guard let map = reader.mapping(node, path, allowed: allowed) else { return PatientFlags() }
        var flags = PatientFlags()
        for name in PatientFlags.Name.allCases { flags.set(name, reader.bool(map, name.rawValue)) }
        flags.prescriberSpecialty = reader.string(map, "prescriberSpecialty")?.lowercased()
        if let psychiatrist = reader.bool(map, "prescriberPsychiatrist") {
            if psychiatrist { flags.prescriberSpecialty = "psychiatry" } else if flags.prescriberSpecialty == nil { flags.prescriberSpecialty = "other" }
        }
        return flags
    }
}
