/// Turns a `ReportDocument` into one self-contained HTML file: inline CSS, inline SVG, no
/// script, no external resource (a Content-Security-Policy says so to the browser as well).
///
/// Every text and attribute value passes through `HTMLEscaping.escape`; tag and attribute
/// names are constants of this file.
struct HTMLRenderer {
    var stylesheet: String = ReportStyle.css

    /// Tables up to this many rows print on one page (they fit on Letter at the print size).
    static let shortTableRows = 12

    func render(_ document: ReportDocument) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        out += "<meta name=\"robots\" content=\"noindex\">\n"
        out += "<title>\(e(document.title))</title>\n<style>\n\(stylesheet)</style>\n</head>\n<body>\n"
        out += "<header class=\"report-header\">\n<h1>\(e(document.title))</h1>\n"
        if !document.subtitle.isEmpty { out += "<p class=\"subtitle\">\(inline(document.subtitle))</p>\n" }
        out += "</header>\n<main>\n"
        for block in document.blocks { out += render(block) }
        out += "</main>\n"
        if !document.footer.isEmpty {
            out += "<footer class=\"report-footer\">\n"
            for line in document.footer { out += "<p>\(inline(line))</p>\n" }
            out += "</footer>\n"
        }
        out += "</body>\n</html>\n"
        return out
    }

    private func e(_ text: String) -> String { HTMLEscaping.escape(text) }

    private func idAttribute(_ id: String?) -> String {
        id.map { " id=\"\(e($0))\"" } ?? ""
    }

    func render(_ block: Block) -> String {
        switch block {
        case let .heading(level, text, id):
            let level = min(max(level, 1), 6)
            return "<h\(level)\(idAttribute(id))>\(e(text))</h\(level)>\n"
        case .paragraph(let inlines):
            return "<p>\(inline(inlines))</p>\n"
        case let .list(items, ordered):
            let tag = ordered ? "ol" : "ul"
            return "<\(tag)>\n" + items.map { "<li>\(inline($0))</li>\n" }.joined() + "</\(tag)>\n"
        case .table(let table):
            return render(table)
        case let .section(id, card, blocks):
            let cls = card ? " class=\"card\"" : ""
            return "<section\(idAttribute(id))\(cls)>\n" + blocks.map(render).joined() + "</section>\n"
        case .definitions(let pairs):
            return "<dl class=\"glossary\">\n" + pairs.map { "<dt>\(e($0.term))</dt><dd>\(inline($0.definition))</dd>\n" }.joined() + "</dl>\n"
        case let .figure(svg, caption, _):
            return "<figure>\n\(svg.markup)\n<figcaption>\(e(caption))</figcaption>\n</figure>\n"
        case let .callout(kind, blocks):
            let label: String
            switch kind {
            case .info: label = "note"
            case .warning: label = "warning"
            case .draft: label = "draft"
            }
            return "<aside class=\"callout \(kind.rawValue)\" aria-label=\"\(label)\">\n" + blocks.map(render).joined() + "</aside>\n"
        case let .appendix(id, blocks):
            return "<div class=\"appendix\"\(idAttribute(id))>\n" + blocks.map(render).joined() + "</div>\n"
        case .pageBreak:
            return "<div class=\"page-break\" aria-hidden=\"true\"></div>\n"
        case .contents(let entries):
            return "<nav class=\"contents no-print\" aria-label=\"Contents\">\n<ul>\n"
                + entries.map { "<li><a href=\"#\(e($0.id))\">\(e($0.title))</a></li>\n" }.joined() + "</ul>\n</nav>\n"
        }
    }

    /// A data table. On a narrow screen the stylesheet shows each row as a card (the header
    /// row hidden, each cell led by its column name from `data-label`); the explicit ARIA roles
    /// keep it a table for screen readers even when CSS changes how its parts display.
    private func render(_ table: Table) -> String {
        let cls = ["data"] + (table.style.map { [$0] } ?? [])
        // A short table is kept on one printed page with its caption; a long one breaks between
        // rows and repeats its header row.
        let wrap = table.rows.count <= Self.shortTableRows ? "table-wrap keep" : "table-wrap"
        var out = "<div class=\"\(wrap)\">\n<table class=\"\(e(cls.joined(separator: " ")))\" role=\"table\">\n<caption>\(e(table.caption))</caption>\n"
        out += "<thead role=\"rowgroup\">\n<tr role=\"row\">"
        for header in table.headers { out += "<th scope=\"col\" role=\"columnheader\">\(e(header))</th>" }
        out += "</tr>\n</thead>\n<tbody role=\"rowgroup\">\n"
        for row in table.rows {
            out += "<tr role=\"row\">"
            for (index, cell) in row.enumerated() {
                if index == 0 && table.rowHeaders {
                    out += "<th scope=\"row\" role=\"rowheader\">\(inline(cell))</th>"
                } else {
                    let label = index < table.headers.count ? " data-label=\"\(e(table.headers[index]))\"" : ""
                    out += "<td role=\"cell\"\(label)>\(inline(cell))</td>"
                }
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n</div>\n"
    }

    func inline(_ inlines: [Inline]) -> String {
        inlines.map { item in
            switch item {
            case .text(let text): e(text)
            case .strong(let text): "<strong>\(e(text))</strong>"
            case .emphasis(let text): "<em>\(e(text))</em>"
            case .code(let text): "<code>\(e(text))</code>"
            case .badge(let badge):
                "<span class=\"badge \(badge.tone.rawValue)\"><span aria-hidden=\"true\">\(e(badge.symbol))</span> \(e(badge.text))</span>"
            case .lineBreak: "<br>"
            case .placeholder(let text): "<mark class=\"placeholder\">[\(e(text))]</mark>"
            }
        }.joined()
    }
}
