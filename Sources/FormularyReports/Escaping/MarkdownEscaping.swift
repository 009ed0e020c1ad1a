/// Escaping for Markdown (CommonMark and GitHub tables), so an untrusted string is shown as the
/// text it is: never as HTML, a link, emphasis, a heading or a table cell boundary.
///
/// `<`, `>` and `&` become character references, which every CommonMark renderer shows
/// literally and which also keep inline HTML out of renderers that allow it. The other
/// punctuation that can start inline syntax is backslash-escaped. Line breaks collapse to a
/// space: a value never starts a new block (a list, a heading, a table row).
enum MarkdownEscaping {
    /// Characters that can begin or end inline Markdown syntax anywhere in a line (emphasis,
    /// code, links and images, table cells, strike-through). Block markers (`-`, `+`, `#`,
    /// `1.`) matter only at the start of a line and are handled there, so "$45" and
    /// "ST-BUP+SSRI" stay readable in a plain-text email.
    private static let punctuation: Set<Character> = ["\\", "`", "*", "_", "[", "]", "|", "~"]

    /// `atLineStart`: the value may begin a line of the output (a paragraph or a list item), so
    /// a leading list or heading marker is escaped too. Mid-line, in headings and in table
    /// cells it cannot start a block and stays as written ("1. duloxetine").
    static func escape(_ text: String, atLineStart: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousWasSpace = false
        for character in text {
            if character.isNewline || character == "\t" {
                if !previousWasSpace { out.append(" ") }
                previousWasSpace = true
                continue
            }
            previousWasSpace = character == " "
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default:
                if character.unicodeScalars.allSatisfy({ $0.value < 0x20 || $0.value == 0x7F }) {
                    out += "\u{FFFD}"
                } else {
                    if punctuation.contains(character) { out.append("\\") }
                    out.append(character)
                }
            }
        }
        // A value that opens a line must not start a list or a heading ("- x", "+ x", "# x", "1. x").
        guard atLineStart else { return out }
        if let first = out.first, first == "-" || first == "+" || first == "#" {
            out = "\\" + out
        } else if let marker = out.firstIndex(where: { !$0.isNumber }), marker != out.startIndex, out[marker] == "." || out[marker] == ")" {
            let next = out.index(after: marker)
            if next == out.endIndex || out[next] == " " { out.insert("\\", at: marker) }
        }
        return out
    }

    /// A code span for machine words (verdict codes, rule ids, record references). Code spans
    /// show their content literally in CommonMark, but not every portal is CommonMark: a value
    /// holding a backtick, `<`, `>`, `&` or a line break is written as escaped text instead.
    static func code(_ text: String) -> String {
        guard !text.isEmpty, !text.contains(where: { "`<>&".contains($0) || $0.isNewline }) else { return escape(text) }
        return "`" + text + "`"
    }
}
