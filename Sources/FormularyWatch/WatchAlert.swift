import Foundation
import FormularyAnalysis
import FormularyCriteria

/// What a watch check tells the people helping a patient: the flips, and what caused them.
public struct WatchAlert: Hashable, Codable, Sendable {
    public static let schemaVersion = "1.0"

    public var schemaVersion: String
    /// The watch label (never the patient's name).
    public var patient: String
    public var asOf: Day
    public var generatedAt: Date
    public var flips: [VerdictFlip]
    /// The formulary or criteria changes behind the flips, as far as they are known.
    public var causes: [String]

    public init(patient: String, asOf: Day, generatedAt: Date, flips: [VerdictFlip], causes: [String]) {
        schemaVersion = Self.schemaVersion
        self.patient = patient
        self.asOf = asOf
        self.generatedAt = generatedAt
        self.flips = flips
        self.causes = causes
    }

    /// The alert as pretty, key-sorted JSON: what the database keeps, the `.json` file and the
    /// notify command's standard input.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Reads an alert written by `json()`.
    public static func decode(_ text: String) throws -> WatchAlert {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(WatchAlert.self, from: Data(text.utf8))
    }

    /// The alert as Markdown, for email and portals. Every value is escaped: labels, drug and
    /// plan names come from files.
    public var markdown: String {
        var lines = ["# Coverage alert for \(Self.escape(patient))", "", "As of \(asOf). Generated \(generatedAt.formatted(.iso8601)).", ""]
        lines.append("## What changed")
        lines.append("")
        for flip in flips {
            var line = "- **\(Self.escape(flip.option))** (plan \(Self.escape(flip.plan))): \(Self.escape(flip.detail))"
            if let before = flip.before, let after = flip.after, flip.kind == .verdictChanged {
                line += " (`\(before)` → `\(after)`)"
            }
            lines.append(line)
        }
        lines.append("")
        lines.append("## Why")
        lines.append("")
        lines += causes.isEmpty ? ["- The analysis date moved; no formulary or criteria change was recorded."] : causes.map { "- " + Self.escape($0) }
        lines.append("")
        lines.append("Run `formulary report coverage` for the full picture, and confirm with the plan before acting.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes Markdown's active characters so a value cannot become a link, heading or HTML.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_{}[]()#+-.!<>|&".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
