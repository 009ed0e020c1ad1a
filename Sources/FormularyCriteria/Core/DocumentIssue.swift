/// One problem found in a human-edited document (criteria file, patient profile, drug reference),
/// located precisely enough that the person who edits the file can fix it without guessing.
public struct DocumentIssue: Hashable, Codable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, so tests and programs need not parse messages.
    public enum Kind: String, Hashable, Codable, Sendable {
        case syntax
        case unknownKey = "unknown-key"
        case missingField = "missing-field"
        case wrongType = "wrong-type"
        case invalidValue = "invalid-value"
        case unknownDrug = "unknown-drug"
        case unknownClass = "unknown-class"
        case unknownAdequacyRule = "unknown-adequacy-rule"
        case unknownSafetyRule = "unknown-safety-rule"
        case unknownRule = "unknown-rule"
        case overlappingDates = "overlapping-dates"
        case missingCitation = "missing-citation"
        case duplicate
    }

    public var kind: Kind
    /// The file as given to the loader (a path, or a label for in-memory text).
    public var file: String
    /// 1-based line, when the YAML/JSON parser reported one.
    public var line: Int?
    public var column: Int?
    /// The rule id the problem sits in (criteria files), when inside a rule.
    public var ruleID: String?
    /// Where in the document: `rules[3].requires[1].trials.adequacy`.
    public var fieldPath: String
    /// The offending value as written, when there is one.
    public var value: String?
    /// What is wrong, in lowercase words.
    public var problem: String

    public init(kind: Kind, file: String, line: Int?, column: Int? = nil, ruleID: String? = nil,
                fieldPath: String, value: String? = nil, problem: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.ruleID = ruleID
        self.fieldPath = fieldPath
        self.value = value
        self.problem = problem
    }

    /// `reference-a.yaml:42: rule PA-ESK: rules[3].requires[1]: unknown adequacy rule "ADQ-TDR"`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column, line != nil { text += ":\(column)" }
        if let ruleID { text += ": rule \(ruleID)" }
        if !fieldPath.isEmpty { text += ": \(fieldPath)" }
        text += ": \(problem)"
        if let value { text += " (value: \"\(value)\")" }
        return text
    }
}
