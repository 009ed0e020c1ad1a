import Foundation
import FormularyModel
import Yams

/// Reads patient profiles: the documented YAML format (`Formularies/patients/README.md`) and
/// the shared acceptance-scenario JSON shape (`history`/`current`/`claims`/`fills`/…), through
/// one reader, so errors always name file, field path and value.
public enum PatientLoader {
    /// Synthetic labeler codes used when a scenario's `fills` pattern names labelers X and Y
    /// without NDCs. They are not real labelers.
    public static let syntheticLabelerNDCs = ["labelerX": "90001030030", "labelerY": "90002030030"]

    /// Loads one profile from a file (YAML or JSON). A scenarios file (`{"scenarios": [...]}`)
    /// needs `scenario` to pick one by id.
    public static func load(path: String, scenario: String? = nil, reference: DrugReference? = nil) throws -> PatientProfile {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DocumentError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        let all = try loadAll(text: text, file: path, reference: reference)
        if let scenario {
            guard let match = all.first(where: { $0.id == scenario }) else {
                throw DocumentError.invalid(file: path, issues: [DocumentIssue(
                    kind: .invalidValue, file: path, line: nil, fieldPath: "scenarios", value: scenario,
                    problem: "no scenario with this id; have \(all.map(\.id).joined(separator: ", "))")])
            }
            return match
        }
        guard all.count == 1, let only = all.first else {
            throw DocumentError.invalid(file: path, issues: [DocumentIssue(
                kind: .invalidValue, file: path, line: nil, fieldPath: "scenarios", value: nil,
                problem: "the file holds \(all.count) scenarios (\(all.map(\.id).joined(separator: ", "))); choose one")])
        }
        return only
    }

    /// Every profile in the text: one for a profile document, one per entry of a scenarios file.
    public static func loadAll(text: String, file: String, reference: DrugReference? = nil) throws -> [PatientProfile] {
        let reader = DocumentReader(file: file)
        guard let root = reader.parse(text) else {
            try reader.throwIfInvalid()
            return []
        }
        if let top = root.mapping, top["scenarios"] != nil {
            guard let map = reader.mapping(root, "", allowed: ["note", "notes", "scenarios", "source"]) else {
                try reader.throwIfInvalid()
                return []
            }
            let profiles = reader.list(map, "scenarios", required: true).compactMap { item in
                read(item.node, item.path, reader, file: file, reference: reference)
            }
            try reader.throwIfInvalid()
            return profiles
        }
        let profile = read(root, "", reader, file: file, reference: reference)
        try reader.throwIfInvalid()
        return profile.map { [$0] } ?? []
    }

    /// Parses profile text (YAML or JSON).
    public static func load(text: String, file: String, reference: DrugReference? = nil) throws -> PatientProfile {
        let all = try loadAll(text: text, file: file, reference: reference)
        guard let first = all.first else {
            throw DocumentError.invalid(file: file, issues: [DocumentIssue(kind: .missingField, file: file, line: nil, fieldPath: "", problem: "no patient in the document")])
        }
        return first
    }

    static let topKeys: Set<String> = [
        "schema", "id", "title", "note", "notes", "asOf", "patient", "plan", "plans", "diagnoses", "claims", "fills",
        "trials", "history", "current", "procedures", "scores", "conditions", "medications", "flags", "expected",
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
           let patient = reader.mapping(patientNode, map.path("patient"), allowed: ["age", "birthDate", "sex", "state", "deliveryDate"]) {
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
            profile.demographics = demographics
        }
        profile.plans = reader.strings(map, "plan") + reader.strings(map, "plans")
        profile.diagnoses = reader.list(map, "diagnoses").compactMap { readDiagnosis($0.node, $0.path, reader) }
        profile.claims = reader.list(map, "claims").compactMap { readClaim($0.node, $0.path, reader) }
        if let fills = map.value("fills") {
            if case .sequence = fills {
                profile.claims += reader.list(map, "fills").compactMap { readClaim($0.node, $0.path, reader) }
            } else {
                profile.claims += readFillPattern(fills, map.path("fills"), reader, asOf: profile.asOf, reference: reference)
            }
        }
        for key in ["trials", "history", "current"] {
            profile.trials += reader.list(map, key).compactMap { readTrial($0.node, $0.path, reader, ongoing: key == "current") }
        }
        profile.procedures = reader.list(map, "procedures").compactMap { readProcedure($0.node, $0.path, reader) }
        profile.scores = reader.list(map, "scores").compactMap { item in
            guard let score = reader.mapping(item.node, item.path, allowed: ["scale", "value", "date", "note"]),
                  let scale = reader.string(score, "scale", required: true), let value = reader.double(score, "value", required: true),
                  let date = reader.day(score, "date", required: true) else { return nil }
            return ScoreRecord(scale: scale, value: value, date: date, ref: item.path)
        }
        for (index, text) in reader.strings(map, "conditions").enumerated() {
            if let condition = ClinicalCondition(text: text) { profile.conditions.append(condition) } else {
                reader.report(.invalidValue, map.value("conditions"), "\(map.path("conditions"))[\(index)]", value: text,
                              problem: "unknown condition; known: \(ClinicalCondition.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        profile.medications = reader.list(map, "medications").compactMap { item in
            if case .scalar(let scalar) = item.node { return Medication(drug: scalar.string, ref: item.path) }
            guard let med = reader.mapping(item.node, item.path, allowed: ["drug", "otc", "start", "end", "note", "mgPerDay"]),
                  let drug = reader.string(med, "drug", required: true) else { return nil }
            return Medication(drug: drug, otc: reader.bool(med, "otc") ?? false, start: reader.day(med, "start"), end: reader.day(med, "end"), ref: item.path)
        }
        if let flagsNode = map.value("flags") {
            profile.flags = readFlags(flagsNode, map.path("flags"), reader)
        }
        return profile
    }

    static func readDiagnosis(_ node: Node, _ path: String, _ reader: DocumentReader) -> Diagnosis? {
        guard let map = reader.mapping(node, path, allowed: ["code", "episodeStart", "onset", "remission", "inRemission", "note", "description"]),
              let code = reader.string(map, "code", required: true) else { return nil }
        let valid = code.count >= 3 && code.first?.isLetter == true && code.dropFirst().first?.isNumber == true
        if !valid { reader.report(.invalidValue, map.value("code"), map.path("code"), value: code, problem: "expected an ICD-10-CM code such as F33.2") }
        return Diagnosis(code: code.uppercased(), episodeStart: reader.day(map, "episodeStart"), onset: reader.day(map, "onset"),
                         remission: reader.day(map, "remission"), inRemission: reader.bool(map, "inRemission"), ref: path)
    }

    static let claimKeys: Set<String> = ["fillDate", "rxcui", "ndc", "drug", "daysSupply", "quantity", "mgPerDay", "payer", "previousPlan", "note", "labeler"]

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
                             previousPlan: reader.bool(map, "previousPlan") ?? false, ref: path)
    }

    static func readTrial(_ node: Node, _ path: String, _ reader: DocumentReader, ongoing: Bool) -> ChartTrial? {
        let keys: Set<String> = ["drug", "mgPerDay", "start", "end", "outcome", "note", "previousPlan", "cashPaid", "clinicianConfirmed"]
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
        var outcome = TrialOutcome.unknown
        let outcomeText = reader.string(map, "outcome")
        if let outcomeText {
            if let parsed = TrialOutcome(text: outcomeText) { outcome = parsed } else {
                reader.report(.invalidValue, map.value("outcome"), map.path("outcome"), value: outcomeText,
                              problem: "outcome must be one of inadequate, partial, intolerance, contraindication, response, confounded, n/a")
            }
        }
        return ChartTrial(drug: drug, mgPerDay: reader.double(map, "mgPerDay"), start: start, end: end, outcome: outcome,
                          outcomeText: outcomeText, note: reader.string(map, "note"), previousPlan: reader.bool(map, "previousPlan") ?? false,
                          cashPaid: reader.bool(map, "cashPaid") ?? false, clinicianConfirmed: reader.bool(map, "clinicianConfirmed") ?? false, ref: path)
    }

    static func readProcedure(_ node: Node, _ path: String, _ reader: DocumentReader) -> ProcedureRecord? {
        guard let map = reader.mapping(node, path, allowed: ["type", "sessions", "start", "end", "outcome", "note"]),
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
                               end: reader.day(map, "end"), outcome: outcome, outcomeText: text, ref: path)
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

    /// The scenario shape `fills: {drug, scdRxcui: "LOOKUP…", pattern: "monthly 30-day fills since
    /// 2023-03-01", labelerX: {through}, labelerY: {from}}`: monthly fills on the pattern's day of
    /// month, labeler X up to and including `through` (its last fill moved to that date), then
    /// labeler Y from `from` up to the as-of date. `LOOKUP` resolves the product through the drug
    /// reference (bupropion XL 300 mg → SCD 993557).
    static func readFillPattern(_ node: Node, _ path: String, _ reader: DocumentReader, asOf: Day?, reference: DrugReference?) -> [PharmacyClaim] {
        guard let map = reader.mapping(node, path, allowed: ["drug", "scdRxcui", "rxcui", "pattern", "labelerX", "labelerY", "daysSupply", "mgPerDay"]),
              let drug = reader.string(map, "drug", required: true),
              let pattern = reader.string(map, "pattern", required: true) else { return [] }
        var rxcui: RxCUI?
        let code = reader.string(map, "scdRxcui") ?? reader.string(map, "rxcui")
        if let code, RxCUI.isWellFormed(code) {
            rxcui = RxCUI(code)
        } else if code == nil || code?.uppercased().hasPrefix("LOOKUP") == true {
            rxcui = reference?.product(named: drug)?.rxcui
            if rxcui == nil, reference != nil {
                reader.report(.unknownDrug, map.value("drug"), map.path("drug"), value: drug, problem: "no product in the drug reference matches this name")
            }
        } else if let code {
            reader.report(.invalidValue, map.value("scdRxcui"), map.path("scdRxcui"), value: code, problem: "an RxCUI (digits) or LOOKUP")
        }
        let words = pattern.lowercased().split(separator: " ").map(String.init)
        guard let sinceIndex = words.firstIndex(of: "since"), sinceIndex + 1 < words.count, let start = Day(words[sinceIndex + 1]) else {
            reader.report(.invalidValue, map.value("pattern"), map.path("pattern"), value: pattern, problem: "expected \"monthly N-day fills since YYYY-MM-DD\"")
            return []
        }
        let supply = reader.int(map, "daysSupply") ?? words.compactMap { word -> Int? in
            word.hasSuffix("-day") ? Int(word.dropLast(4)) : nil
        }.first ?? 30
        guard let asOf else {
            reader.report(.missingField, node, path, problem: "a fill pattern needs the profile's asOf date to know where to stop")
            return []
        }
        func labeler(_ key: String) -> (window: DayWindow, ndc: NDC)? {
            guard let value = map.value(key), let labeler = reader.mapping(value, map.path(key), allowed: ["from", "through", "ndc"]) else { return nil }
            let from = reader.day(labeler, "from") ?? start
            let through = reader.day(labeler, "through")
            var ndc = NDC(syntheticLabelerNDCs[key] ?? "90009030030")
            if let text = reader.string(labeler, "ndc"), case .ndc(let parsed) = DrugQuery(parsing: text) { ndc = parsed }
            return (DayWindow(from: from, through: through), ndc)
        }
        let labelers = ["labelerX", "labelerY"].compactMap(labeler)
        var claims: [PharmacyClaim] = []
        var month = 0
        var fill = start
        while fill <= asOf {
            var date = fill
            // The last labeler-X fill happens on its `through` date when that falls in this month.
            if let first = labelers.first, let through = first.window.through, through > fill, through < start.adding(months: month + 1), through.month == fill.month {
                date = through
            }
            if let match = labelers.first(where: { $0.window.contains(date) }) {
                claims.append(PharmacyClaim(fillDate: date, rxcui: rxcui, ndc: match.ndc, drug: drug, daysSupply: supply,
                                            mgPerDay: reader.double(map, "mgPerDay"), ref: "\(path)[\(claims.count)]"))
            } else if labelers.isEmpty {
                claims.append(PharmacyClaim(fillDate: date, rxcui: rxcui, drug: drug, daysSupply: supply, ref: "\(path)[\(claims.count)]"))
            }
            month += 1
            fill = start.adding(months: month)
        }
        return claims
    }
}
