/// One block of a report: the structure both the HTML and the Markdown renderers walk, so the
/// two formats always say the same thing and escaping happens in exactly two places.
indirect enum Block: Sendable {
    /// A heading; levels must not skip (h1 → h2 → h3) for screen readers. `id` is a fixed,
    /// code-chosen anchor, never input text.
    case heading(level: Int, text: String, id: String? = nil)
    case paragraph([Inline])
    case list([[Inline]], ordered: Bool = false)
    case table(Table)
    /// A titled region (`<section>`): a report section, or a card when `card` is true (a card
    /// is kept on one printed page when it fits).
    case section(id: String?, card: Bool, blocks: [Block])
    /// Term and definition pairs (the glossary).
    case definitions([(term: String, definition: [Inline])])
    /// A chart with its caption; Markdown shows `fallback` instead (the same data as text).
    case figure(SVGFragment, caption: String, fallback: [Block])
    /// A boxed note: information, a warning, or a draft the prescriber must edit.
    case callout(Callout, blocks: [Block])
    /// In-page navigation (HTML only).
    case contents([(id: String, title: String)])
    /// The report's appendix: the details after the first pages. HTML marks it with the class
    /// `appendix` and prints it from a new page; Markdown sets it off with a rule.
    case appendix(id: String, blocks: [Block])
    /// Printing starts what follows on a new page (HTML only; nothing on screen).
    case pageBreak

    enum Callout: String, Hashable, Sendable { case info, warning, draft }
}
