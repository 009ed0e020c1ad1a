/// A report that renders to every `ReportFormat`. Each report type builds its content once
/// from the analysis (never recomputing a verdict) and renders it as HTML, Markdown or JSON.
public protocol RenderableReport: Sendable {
    var kind: ReportKind { get }
    var metadata: ReportMetadata { get }
    /// The plans and option the report is about (the JSON header, and file names).
    var scope: ReportScope { get }
    /// The report in one format.
    func render(_ format: ReportFormat) throws -> String
}
