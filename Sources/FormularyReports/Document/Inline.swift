/// A run of text inside a paragraph, list item or table cell. Everything is plain text: the
/// renderers escape it, so a report never carries markup that came from an input file.
enum Inline: Hashable, Sendable {
    case text(String)
    case strong(String)
    case emphasis(String)
    /// A machine word shown as code (verdict codes, rule ids, codes such as G2082).
    case code(String)
    /// A status label with a symbol, so meaning never rests on color alone.
    case badge(Badge)
    case lineBreak
    /// A blank the prescriber must fill in a draft ("[Member ID]"): highlighted in HTML,
    /// bracketed in Markdown.
    case placeholder(String)
}
