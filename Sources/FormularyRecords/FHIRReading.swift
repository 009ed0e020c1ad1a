import FormularyCriteria
import FormularyImport

/// One coding of a CodeableConcept (or a bare Coding).
struct Coding: Hashable, Sendable {
    var system: CodeSystem
    var code: String
    var display: String?
    /// Where it sits (`code.coding[1]`), for warnings.
    var path: String
}

extension FHIRElement {
    /// The first descendant along `names` (`item`, `productOrService`).
    func at(_ names: String...) -> FHIRElement? {
        var current: FHIRElement? = self
        for name in names { current = current?.first(name) }
        return current
    }

    /// The codings of this CodeableConcept (`coding[]`), or this element itself when it is a Coding.
    func codings(path: String) -> [Coding] {
        let list = all("coding")
        if list.isEmpty, let code = string("code"), first("system") != nil || first("display") != nil {
            return [Coding(system: CodeSystem(string("system")), code: code.trimmingWhitespace(), display: string("display"), path: path)]
        }
        return list.enumerated().compactMap { index, coding in
            guard let code = coding.string("code")?.trimmingWhitespace(), !code.isEmpty else { return nil }
            return Coding(system: CodeSystem(coding.string("system")), code: code, display: coding.string("display"),
                          path: "\(path).coding[\(index)]")
        }
    }

    /// The concept's text, else its first coding's display.
    func conceptText() -> String? {
        if let text = string("text")?.trimmingWhitespace(), !text.isEmpty { return text }
        for coding in all("coding") {
            if let display = coding.string("display")?.trimmingWhitespace(), !display.isEmpty { return display }
        }
        return nil
    }

    /// A number written as a primitive (`valueDecimal`, `value` of a Quantity).
    var number: Double? { value.flatMap { Double($0.trimmingWhitespace()) }.flatMap { $0.isFinite ? $0 : nil } }

    /// True when any coding of this CodeableConcept has `code` (case-insensitive) and, if given, `system`.
    func hasCode(_ code: String) -> Bool {
        all("coding").contains { $0.string("code")?.lowercased() == code.lowercased() }
    }

    /// The reference string of a Reference element (`Medication/uscore-med2`, `#med2`, `urn:uuid:…`).
    var reference: String? { string("reference")?.trimmingWhitespace() }
}

/// Dates as FHIR writes them: `date` (YYYY, YYYY-MM, YYYY-MM-DD) and `dateTime`/`instant`
/// (a date, a `T`, a time and a zone). The calendar date as written is the day (no zone conversion:
/// a fill on the evening of the 8th in New York is a fill on the 8th).
enum FHIRDate {
    enum Parsed: Equatable {
        case day(Day)
        /// `2019-07`: the first of the month, at month precision.
        case month(Day)
        /// `2019`: too vague to date a fact.
        case year(Int)
        case invalid
    }

    static func parse(_ text: String) -> Parsed {
        let trimmed = text.trimmingWhitespace()
        let datePart = trimmed.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? trimmed
        if datePart.count == 10, let day = Day(datePart) {
            // A time part must at least start like one; "IGNORED_FIELD"-style placeholders fail here.
            if datePart.count < trimmed.count {
                let rest = trimmed.dropFirst(11)
                guard rest.count >= 2, rest.prefix(2).allSatisfy(\.isNumber) else { return .invalid }
            }
            return .day(day)
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
           let day = Day(year: year, month: month, day: 1) {
            return .month(day)
        }
        if parts.count == 1, trimmed.count == 4, let year = Int(trimmed) { return .year(year) }
        return .invalid
    }
}
