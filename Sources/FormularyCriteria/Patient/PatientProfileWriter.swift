import Foundation
import FormularyModel

/// Writes a profile in the documented format (`Formularies/patients/README.md`, YAML) that
/// `PatientLoader` reads back to the same facts: what `formulary patient import` writes for a
/// person to review and edit, and what the watchlist stores for an imported profile.
///
/// Every text value is double-quoted (so `n/a`, `08:00`, `yes` or an NDC's leading zeros stay
/// text), dates are plain `YYYY-MM-DD`, each fact is one block with its `source:` last.
public enum PatientProfileWriter {
    /// The profile as YAML; `header` lines become comments at the top.
    public static func yaml(_ profile: PatientProfile, header: [String] = []) -> String {
        var out = YAMLLines()
        for line in header { out.add(line.isEmpty ? "#" : "# " + line) }
        out.add("schema: formulary-patient/1")
        out.add("id: " + quoted(profile.id))
        if let asOf = profile.asOf { out.add("asOf: \(asOf)") }
        writePatient(profile.demographics, into: &out)
        if !profile.plans.isEmpty { out.add("plans: [" + profile.plans.map(quoted).joined(separator: ", ") + "]") }
        section("diagnoses", profile.diagnoses, into: &out) { diagnosis in
            var fields: [(String, String)] = [("code", quoted(diagnosis.code))]
            if let day = diagnosis.episodeStart { fields.append(("episodeStart", day.description)) }
            if let day = diagnosis.onset { fields.append(("onset", day.description)) }
            if let day = diagnosis.remission { fields.append(("remission", day.description)) }
            if let flag = diagnosis.inRemission { fields.append(("inRemission", flag ? "true" : "false")) }
            if !diagnosis.previousEpisodes.isEmpty {
                fields.append(("previousEpisodes", "[" + diagnosis.previousEpisodes.map { episode in
                    "{" + ((episode.start.map { "start: \($0), " }) ?? "") + "remission: \(episode.remission)}"
                }.joined(separator: ", ") + "]"))
            }
            if let text = diagnosis.description { fields.append(("description", quoted(text))) }
            if let text = diagnosis.note { fields.append(("note", quoted(text))) }
            return fields + sourceField(diagnosis.sources)
        }
        section("claims", profile.claims, into: &out) { claim in
            var fields: [(String, String)] = [("fillDate", claim.fillDate.description)]
            if let rxcui = claim.rxcui { fields.append(("rxcui", quoted(rxcui.rawValue))) }
            if let ndc = claim.ndc { fields.append(("ndc", quoted(ndc.rawValue))) }
            if let drug = claim.drug { fields.append(("drug", quoted(drug))) }
            fields.append(("daysSupply", String(claim.daysSupply)))
            if let quantity = claim.quantity { fields.append(("quantity", number(quantity))) }
            if let dose = claim.mgPerDay { fields.append(("mgPerDay", number(dose))) }
            fields.append(("payer", claim.payer.rawValue))
            if claim.previousPlan { fields.append(("previousPlan", "true")) }
            if let text = claim.note { fields.append(("note", quoted(text))) }
            return fields + sourceField(claim.sources)
        }
        section("trials", profile.trials, into: &out) { trial in
            var fields: [(String, String)] = [("drug", quoted(trial.drug))]
            if let dose = trial.mgPerDay { fields.append(("mgPerDay", number(dose))) }
            fields.append(("start", trial.start.description))
            if let end = trial.end { fields.append(("end", end.description)) }
            if let outcome = outcome(trial) { fields.append(("outcome", outcome)) }
            if trial.previousPlan { fields.append(("previousPlan", "true")) }
            if trial.cashPaid { fields.append(("cashPaid", "true")) }
            if trial.clinicianConfirmed { fields.append(("clinicianConfirmed", "true")) }
            if let text = trial.note { fields.append(("note", quoted(text))) }
            return fields + sourceField(trial.sources)
        }
        section("procedures", profile.procedures, into: &out) { procedure in
            var fields: [(String, String)] = [("type", quoted(procedure.type))]
            if let sessions = procedure.sessions { fields.append(("sessions", String(sessions))) }
            if let day = procedure.start { fields.append(("start", day.description)) }
            if let day = procedure.end { fields.append(("end", day.description)) }
            if let text = procedure.outcomeText, ProcedureOutcome(text: text) == procedure.outcome {
                fields.append(("outcome", quoted(text)))
            } else if procedure.outcome != .unknown {
                fields.append(("outcome", quoted(procedure.outcome.rawValue)))
            }
            if let text = procedure.note { fields.append(("note", quoted(text))) }
            return fields + sourceField(procedure.sources)
        }
        section("scores", profile.scores, into: &out) { score in
            var fields: [(String, String)] = [("scale", quoted(score.scale)), ("value", number(score.value)), ("date", score.date.description)]
            if let text = score.note { fields.append(("note", quoted(text))) }
            return fields + sourceField(score.sources)
        }
        if !profile.conditions.isEmpty {
            out.add("conditions:")
            var recorded = profile.conditionRecords
            for condition in profile.conditions {
                if let index = recorded.firstIndex(where: { $0.condition == condition }) {
                    let record = recorded.remove(at: index)
                    var fields: [(String, String)] = [("condition", record.condition.rawValue)]
                    if let text = record.note { fields.append(("note", quoted(text))) }
                    out.item(fields + sourceField(record.sources))
                } else {
                    out.add("  - " + condition.rawValue)
                }
            }
        }
        section("medications", profile.medications, into: &out) { medication in
            var fields: [(String, String)] = [("drug", quoted(medication.drug))]
            if medication.otc { fields.append(("otc", "true")) }
            if let day = medication.start { fields.append(("start", day.description)) }
            if let day = medication.end { fields.append(("end", day.description)) }
            if let dose = medication.mgPerDay { fields.append(("mgPerDay", number(dose))) }
            if let dose = medication.dose { fields.append(("dose", quoted(dose))) }
            if let frequency = medication.frequency { fields.append(("frequency", quoted(frequency.rawValue))) }
            if !medication.timeOfDay.isEmpty {
                fields.append(("timeOfDay", "[" + medication.timeOfDay.map { quoted($0.description) }.joined(separator: ", ") + "]"))
            }
            if let text = medication.note { fields.append(("note", quoted(text))) }
            return fields + sourceField(medication.sources)
        }
        section("requests", profile.requests, into: &out) { request in
            var fields: [(String, String)] = [("option", quoted(request.text))]
            if let use = request.use { fields.append(("as", use.rawValue)) }
            if let dose = request.mgPerDay { fields.append(("mgPerDay", number(dose))) }
            return fields
        }
        writeFlags(profile.flags, into: &out)
        return out.text
    }

    // MARK: Pieces

    static func writePatient(_ demographics: Demographics, into out: inout YAMLLines) {
        var fields: [(String, String)] = []
        if let age = demographics.age { fields.append(("age", String(age))) }
        if let day = demographics.birthDate { fields.append(("birthDate", day.description)) }
        if let sex = demographics.sex { fields.append(("sex", sex.rawValue)) }
        if let state = demographics.state { fields.append(("state", quoted(state))) }
        if let day = demographics.deliveryDate { fields.append(("deliveryDate", day.description)) }
        fields += sourceField(demographics.sources)
        guard !fields.isEmpty else { return }
        out.add("patient:")
        for (key, value) in fields { out.add("  \(key): \(value)") }
    }

    static func writeFlags(_ flags: PatientFlags, into out: inout YAMLLines) {
        var fields: [(String, String)] = []
        if let specialty = flags.prescriberSpecialty { fields.append(("prescriberSpecialty", quoted(specialty))) }
        for name in PatientFlags.Name.allCases {
            if let value = flags.value(name) { fields.append((name.rawValue, value ? "true" : "false")) }
        }
        guard !fields.isEmpty else { return }
        out.add("flags:")
        for (key, value) in fields { out.add("  \(key): \(value)") }
    }

    static func section<T>(_ key: String, _ items: [T], into out: inout YAMLLines, _ fields: (T) -> [(String, String)]) {
        guard !items.isEmpty else { return }
        out.add("\(key):")
        for item in items { out.item(fields(item)) }
    }

    /// `source: {file: …, resource: …}`, or a flow list of them.
    static func sourceField(_ sources: [FactSource]) -> [(String, String)] {
        guard !sources.isEmpty else { return [] }
        let rendered = sources.map { "{file: \(quoted($0.file)), resource: \(quoted($0.resource))}" }
        return [("source", rendered.count == 1 ? rendered[0] : "[" + rendered.joined(separator: ", ") + "]")]
    }

    /// The outcome as written when it reads back the same, else the canonical words; nil for a
    /// trial with no outcome at all (the loader's default, unknown).
    static func outcome(_ trial: ChartTrial) -> String? {
        if trial.outcomeText == nil, trial.outcomes == [.unknown] { return nil }
        if let text = trial.outcomeText {
            let parts = text.components(separatedBy: ", ")
            if parts.count == 1, trial.outcomes.count <= 1, TrialOutcome(text: text) == trial.outcome { return quoted(text) }
            let parsed = parts.map { TrialOutcome(text: $0) }
            if parts.count > 1, parsed.allSatisfy({ $0 != nil }), Set(parsed.compactMap { $0 }) == Set(trial.outcomes) {
                return "[" + parts.map(quoted).joined(separator: ", ") + "]"
            }
        }
        let words = trial.outcomes.map(word)
        return words.count == 1 ? words[0] : "[" + words.joined(separator: ", ") + "]"
    }

    /// A word `TrialOutcome(text:)` reads back as `outcome`.
    static func word(_ outcome: TrialOutcome) -> String {
        switch outcome {
        case .notApplicable: quoted("n/a")
        default: outcome.rawValue
        }
    }

    /// A number as YAML: whole numbers without a fraction, others in the shortest form that reads back.
    public static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// A double-quoted YAML string with `"`, `\` and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF:
                out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Lines of YAML being written.
struct YAMLLines {
    private var lines: [String] = []

    mutating func add(_ line: String) { lines.append(line) }

    /// One list item: `  - key: value` then `    key: value`.
    mutating func item(_ fields: [(String, String)]) {
        for (index, field) in fields.enumerated() {
            lines.append((index == 0 ? "  - " : "    ") + field.0 + ": " + field.1)
        }
    }

    var text: String { lines.joined(separator: "\n") + "\n" }
}
