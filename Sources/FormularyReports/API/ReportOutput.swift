import FormularyAnalysis

/// The rendering every report shares: its document as HTML or Markdown, or the analysis it
/// covers plus the metadata as JSON.
enum ReportOutput {
    static func render(_ format: ReportFormat, document: () -> ReportDocument, kind: ReportKind, metadata: ReportMetadata,
                       scope: ReportScope, analysis: AnalysisResult) throws -> String {
        switch format {
        case .html: HTMLRenderer().render(document())
        case .markdown: MarkdownRenderer().render(document())
        case .json: try ReportEnvelope(kind: kind, metadata: metadata, scope: scope, analysis: analysis).encoded()
        }
    }
}
