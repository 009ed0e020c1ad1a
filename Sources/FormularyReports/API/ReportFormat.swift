/// The formats a report renders to: HTML for people (one self-contained file), Markdown for
/// portals and emails, JSON for programs (the analysis plus the report's metadata).
public enum ReportFormat: String, Hashable, Codable, Sendable, CaseIterable {
    case html
    case markdown = "md"
    case json

    /// The file name extension.
    public var fileExtension: String { rawValue }
}
