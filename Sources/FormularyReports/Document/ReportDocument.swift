/// A whole report before it becomes HTML or Markdown: the page title and the blocks under the
/// single top-level heading.
struct ReportDocument: Sendable {
    /// The `<title>` and the `h1`.
    var title: String
    /// One line under the title (plan, date).
    var subtitle: [Inline]
    var blocks: [Block]
    /// Small print at the end (generated-at, tool version, sources).
    var footer: [[Inline]]
}
