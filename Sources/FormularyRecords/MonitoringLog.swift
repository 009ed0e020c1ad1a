import Foundation
import FormularyCriteria
import FormularyImport

/// Home-monitoring logs (RECORDS.md): symptom scores and side effects reported between visits,
/// as CSV or JSON. One entry per row:
///
/// | field | what |
/// |---|---|
/// | `date` | `YYYY-MM-DD` (required) |
/// | `instrument` | `PHQ-9`, `PHQ-2`, `GAD-7`, `MADRS`, … — a score row, with `value` |
/// | `value` | the score (a number) |
/// | `symptom` | a side effect or symptom (`nausea`, `insomnia`) — a side-effect row, with `severity` |
/// | `severity` | `mild`, `moderate`, `severe` (or 0–3, `none`) |
/// | `drug` | the suspected drug (also `suspectedDrug`) |
/// | `stopped` | `yes` when the side effect led to stopping the drug |
/// | `note` | free text |
///
/// A row with a problem (a missing date, a value that is not a number, an unknown instrument) is
/// a warning naming the file, the line (or entry) and the field, and is skipped.
enum MonitoringLog {
    static let schema = "formulary-monitoring/1"
    static let fields: Set<String> = ["date", "instrument", "value", "symptom", "severity", "drug", "suspecteddrug", "stopped", "note"]

    /// True when the text looks like a monitoring log CSV: a header with `date` and `instrument` or `symptom`.
    static func looksLikeCSV(_ text: String) -> Bool {
        guard let header = text.split(whereSeparator: \.isNewline).first else { return false }
        let names = Set(header.split(separator: ",").map { normalized(String($0)) })
        return names.contains("date") && (names.contains("instrument") || names.contains("symptom"))
    }

    /// True when a JSON value is a monitoring log: `{"schema": "formulary-monitoring/1", …}`,
    /// `{"entries": [...]}` or a list of entries with `date`.
    static func isLog(_ value: JSONValue) -> Bool {
        if value["schema"]?.stringValue == schema { return true }
        if case .object(let members) = value, members.contains(where: { $0.key == "entries" }), value["resourceType"] == nil,
           value["schema"] == nil { return true }
        if case .array(let items) = value, let first = items.first, first["date"] != nil { return true }
        return false
    }

    static func normalized(_ name: String) -> String {
        name.lowercased().filter { $0.isLetter }
    }

    /// One entry as text fields, with where it is.
    struct Entry {
        var fields: [String: String]
        /// `line 4` or `entries[2]`.
        var place: String
        /// For CSV, the field label as written; for JSON the key.
        var label: (String) -> String
    }

    // MARK: CSV

    static func readCSV(_ text: String, file: String, into collector: RecordCollector) throws -> Int {
        let rows = try parseCSV(text, file: file)
        guard let header = rows.first else { return 0 }
        let names = header.fields.map { normalized($0) }
        guard names.contains("date") else {
            throw RecordsError.invalidLog(problems: ["\(file):\(header.line): the header needs a date column (date,instrument,value,symptom,severity,drug,stopped,note)"])
        }
        for (index, name) in names.enumerated() where !fields.contains(name) {
            collector.warnings.append(RecordWarning(file: file, resource: "line \(header.line)", field: header.fields[index],
                                                    message: "unknown column; its values are not read (known: date, instrument, value, symptom, severity, drug, stopped, note)"))
        }
        var count = 0
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            var values: [String: String] = [:]
            for (index, name) in names.enumerated() where index < row.fields.count {
                let value = row.fields[index].trimmingWhitespace()
                if !value.isEmpty { values[name == "suspecteddrug" ? "drug" : name] = value }
            }
            if row.fields.count > names.count {
                collector.warnings.append(RecordWarning(file: file, resource: "line \(row.line)", field: "",
                                                        message: "\(row.fields.count) fields for \(names.count) columns; the extra fields are not read"))
            }
            count += 1
            read(Entry(fields: values, place: "line \(row.line)", label: { $0 }), file: file, into: collector)
        }
        return count
    }

    struct Row {
        var fields: [String]
        var line: Int
    }

    /// RFC 4180 CSV: commas, double quotes (`""` inside), CRLF or LF. An unterminated quote is an error.
    static func parseCSV(_ text: String, file: String) throws -> [Row] {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowLine = 1
        var quoteLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }
        func endRow() {
            fields.append(field)
            rows.append(Row(fields: fields, line: rowLine))
            fields = []
            field = ""
        }
        while let scalar = pending {
            pending = iterator.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                inQuotes = true
                quoteLine = line
            case ",":
                fields.append(field)
                field = ""
            case "\r":
                if pending == "\n" { pending = iterator.next() }
                endRow()
                line += 1
                rowLine = line
            case "\n":
                endRow()
                line += 1
                rowLine = line
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw RecordsError.invalidLog(problems: ["\(file):\(quoteLine): a quoted field is never closed (expected a closing \")"])
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }

    // MARK: JSON

    static func readJSON(_ value: JSONValue, file: String, into collector: RecordCollector) throws -> Int {
        let list: [JSONValue]
        let base: String
        switch value {
        case .array(let items):
            list = items
            base = "$"
        default:
            if let schema = value["schema"]?.stringValue, schema != Self.schema {
                throw RecordsError.invalidLog(problems: ["\(file): schema: expected \(Self.schema) (value: \"\(schema)\")"])
            }
            guard case .array(let items)? = value["entries"] else {
                throw RecordsError.invalidLog(problems: ["\(file): entries: expected a list of entries"])
            }
            if case .object(let members) = value {
                for member in members where !["schema", "entries", "note", "title"].contains(member.key) {
                    collector.warnings.append(RecordWarning(file: file, resource: "$", field: member.key, message: "unknown key; not read"))
                }
            }
            list = items
            base = "entries"
        }
        for (index, item) in list.enumerated() {
            let place = "\(base)[\(index)]"
            guard case .object(let members) = item else {
                collector.warnings.append(RecordWarning(file: file, resource: place, field: "", message: "an entry is an object with date and instrument or symptom; skipped"))
                continue
            }
            var values: [String: String] = [:]
            for member in members {
                let key = normalized(member.key)
                guard fields.contains(key) else {
                    collector.warnings.append(RecordWarning(file: file, resource: place, field: member.key, message: "unknown key; not read"))
                    continue
                }
                let text: String? = switch member.value {
                case .string(let text): text
                case .number(let text): text
                case .bool(let flag): flag ? "yes" : "no"
                case .null: nil
                case .array, .object: "(\(member.value))"
                }
                if let text, !text.trimmingWhitespace().isEmpty { values[key == "suspecteddrug" ? "drug" : key] = text.trimmingWhitespace() }
            }
            read(Entry(fields: values, place: place, label: { $0 }), file: file, into: collector)
        }
        return list.count
    }

    // MARK: Entries

    static func read(_ entry: Entry, file: String, into collector: RecordCollector) {
        let context = RecordCollector.Context(file: file, resource: entry.place)
        let values = entry.fields
        guard let dateText = values["date"] else {
            collector.warn(context, "date", "no date; the entry is skipped")
            return
        }
        guard let date = Day(String(dateText.prefix(10))), dateText.count == 10 || dateText.dropFirst(10).first == "T" else {
            collector.warn(context, "date", "\"\(dateText)\" is not a date YYYY-MM-DD; the entry is skipped")
            return
        }
        if let instrumentText = values["instrument"] {
            guard let scale = Codes.instrument(instrumentText) else {
                collector.warn(context, "instrument", "\"\(instrumentText)\" is not an instrument the profile knows (PHQ-9, PHQ-2, GAD-7, MADRS, HAM-D, BDI, QIDS); skipped")
                return
            }
            guard let text = values["value"] else {
                collector.warn(context, "value", "no \(scale) value; skipped")
                return
            }
            guard let value = Double(text), value.isFinite else {
                collector.warn(context, "value", "\(scale) value \"\(text)\" is not a number; skipped")
                return
            }
            collector.scores.append(RawScore(scale: scale, value: value, date: date, note: values["note"].map { "monitoring: \($0)" },
                                             sources: [context.source]))
            collector.counted(context)
            return
        }
        guard let symptom = values["symptom"] else {
            collector.warn(context, "instrument", "neither an instrument nor a symptom; skipped")
            return
        }
        guard let severityText = values["severity"] ?? values["value"] else {
            collector.warn(context, "severity", "no severity for \(symptom); skipped")
            return
        }
        guard let severity = RawSideEffect.Severity(text: severityText) else {
            collector.warn(context, "severity", "\"\(severityText)\" is not a severity (mild, moderate, severe, or 0–3); skipped")
            return
        }
        var stopped: Bool?
        if let text = values["stopped"] {
            switch text.lowercased() {
            case "yes", "true", "y", "1", "stopped": stopped = true
            case "no", "false", "n", "0": stopped = false
            default:
                collector.warn(context, "stopped", "\"\(text)\" is not yes or no; read as not said")
            }
        }
        collector.sideEffects.append(RawSideEffect(date: date, symptom: symptom, severity: severity, drug: values["drug"], stopped: stopped,
                                                   note: values["note"], sources: [context.source]))
        collector.counted(context)
    }
}
