import Foundation

/// Turns a `ReportDocument` into Markdown for patient portals and emails: readable as plain
/// text, and safe when a portal renders it (every value escaped by `MarkdownEscaping`).
struct MarkdownRenderer {
    func render(_ document: ReportDocument) -> String {
        var out = "# \(m(document.title))\n\n"
        if !document.subtitle.isEmpty { out += inline(document.subtitle, atLineStart: true) + "\n\n" }
        for block in document.blocks { out += render(block, depth: 0) }
        if !document.footer.isEmpty {
            out += "---\n\n"
            out += document.footer.map { inline($0, atLineStart: true) }.joined(separator: "  \n") + "\n"
        }
        while out.hasSuffix("\n\n") { out.removeLast() }
        return out
    }

    /// Escapes a value that does not start a line (headings, table cells, mid-line text).
    private func m(_ text: String) -> String { MarkdownEscaping.escape(text, atLineStart: false) }

    private func render(_ block: Block, depth: Int) -> String {
        switch block {
        case let .heading(level, text, _):
            return String(repeating: "#", count: min(max(level, 1), 6)) + " " + m(text) + "\n\n"
        case .paragraph(let inlines):
            return inline(inlines, atLineStart: true) + "\n\n"
        case let .list(items, ordered):
            return items.enumerated().map { index, item in
                (ordered ? "\(index + 1). " : "- ") + inline(item, atLineStart: true) + "\n"
            }.joined() + "\n"
        case .table(let table):
            return render(table)
        case let .section(_, _, blocks):
            return blocks.map { render($0, depth: depth) }.joined()
        case .definitions(let pairs):
            return pairs.map { "- **\(m($0.term))**: \(inline($0.definition))\n" }.joined() + "\n"
        case let .figure(_, caption, fallback):
            return "*\(m(caption))*\n\n" + fallback.map { render($0, depth: depth) }.joined()
        case let .callout(kind, blocks):
            let label: String
            switch kind {
            case .info: label = "Note"
            case .warning: label = "Warning"
            case .draft: label = "DRAFT"
            }
            let body = blocks.map { render($0, depth: depth + 1) }.joined()
            var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            while lines.last == "" { lines.removeLast() }
            return "> **\(label)**\n>\n" + lines.map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n") + "\n\n"
        case .contents, .pageBreak:
            return ""
        case let .appendix(_, blocks):
            return "---\n\n" + blocks.map { render($0, depth: depth) }.joined()
        }
    }

    private func render(_ table: Table) -> String {
        guard !table.headers.isEmpty else { return "" }
        var out = "*\(m(table.caption))*\n\n"
        out += "| " + table.headers.map(m).joined(separator: " | ") + " |\n"
        out += "|" + table.headers.map { _ in " --- |" }.joined() + "\n"
        for row in table.rows {
            var cells = row.map { inline($0) }
            while cells.count < table.headers.count { cells.append("") }
            out += "| " + cells.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    /// Inline runs as Markdown. Only the first run can begin a line (`atLineStart`): escaping
    /// goes no further than the position needs. Emphasis markers hug their words, because
    /// CommonMark does not close `**` after a space ("**Tier: **1" would print the stars).
    func inline(_ inlines: [Inline], atLineStart: Bool = false) -> String {
        var out = ""
        for (index, item) in inlines.enumerated() {
            let lineStart = atLineStart && index == 0
            switch item {
            case .text(let text): out += MarkdownEscaping.escape(text, atLineStart: lineStart)
            case .strong(let text): out += wrap(text, "**")
            case .emphasis(let text): out += wrap(text, "*")
            case .code(let text): out += MarkdownEscaping.code(text)
            case .badge(let badge): out += "**\(m(badge.symbol)) \(m(badge.text))**"
            // No raw HTML in Markdown: a separator reads well in a table cell and in an email.
            case .lineBreak: out += " · "
            case .placeholder(let text): out += "\\[" + m(text) + "\\]"
            }
        }
        return out
    }

    /// `**word**` with any surrounding spaces moved outside the markers.
    private func wrap(_ text: String, _ marker: String) -> String {
        let core = text.trimmingCharacters(in: .whitespaces)
        guard !core.isEmpty else { return text.isEmpty ? "" : " " }
        let leading = text.prefix { $0 == " " }, trailing = String(text.reversed().prefix { $0 == " " })
        return leading + marker + m(core) + marker + trailing
    }
}
