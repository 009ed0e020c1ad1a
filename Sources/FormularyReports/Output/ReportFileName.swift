import FormularyCriteria

/// How report files are named: `<kind>-<subject>[-<qualifier>]-<as-of>.<ext>`, for example
/// `coverage-3f9a1c0b2e-2025-03-20.html`. Never a patient's name: the subject is a short keyed
/// hash of the profile's label by default (HMAC-SHA256 under the database's secret, so a short
/// label cannot be recovered by trying labels), or a label the caller chose, reduced to safe
/// characters.
public struct ReportFileName: Hashable, Sendable {
    /// What identifies the person in the name.
    public enum Subject: Hashable, Sendable {
        /// The first 10 hex digits of HMAC-SHA256 over the profile label, keyed with a secret
        /// kept in the database: stable across runs on one database, so a new report replaces
        /// the old one, and neither the label nor reversible to it without the key.
        case hashed(String, key: ReportNameKey)
        /// A label the caller vouches for (a study id, `S1`), kept to `[A-Za-z0-9_-]`.
        case label(String)
    }

    public var kind: ReportKind
    public var subject: Subject
    /// The plan or option a report is narrowed to, when several reports share a subject and date.
    public var qualifier: String?
    public var asOf: Day

    public init(kind: ReportKind, subject: Subject, qualifier: String? = nil, asOf: Day) {
        self.kind = kind
        self.subject = subject
        self.qualifier = qualifier
        self.asOf = asOf
    }

    public static let hashLength = 10

    /// The token that stands for the person.
    public var subjectToken: String {
        switch subject {
        case let .hashed(label, key): String(key.hex("formulary-report-name/1:" + label).prefix(Self.hashLength))
        case .label(let text):
            // The caller vouches for the label; one with no safe character left is hashed only
            // to make a name of it.
            Self.sanitize(text).nonEmpty ?? String(ReportHash.sha256Hex("formulary-report:" + text).prefix(Self.hashLength))
        }
    }

    public func fileName(_ format: ReportFormat) -> String {
        var parts = [kind.rawValue, subjectToken]
        if let qualifier, let safe = Self.sanitize(qualifier).nonEmpty { parts.append(safe) }
        parts.append(asOf.description)
        return parts.joined(separator: "-") + "." + format.fileExtension
    }

    /// Letters, digits, `_` and `-` only, at most 40 characters; runs of anything else become
    /// one `_`. No dots, slashes or spaces can reach a file name.
    static func sanitize(_ text: String) -> String {
        var out = ""
        var lastWasReplacement = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" {
                out.unicodeScalars.append(scalar)
                lastWasReplacement = false
            } else if !lastWasReplacement {
                out += "_"
                lastWasReplacement = true
            }
        }
        let trimmed = out.trimmingUnderscores()
        return String(trimmed.prefix(40))
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }

    fileprivate func trimmingUnderscores() -> String {
        var text = Substring(self)
        while text.first == "_" || text.first == "-" { text = text.dropFirst() }
        while text.last == "_" || text.last == "-" { text = text.dropLast() }
        return String(text)
    }
}
