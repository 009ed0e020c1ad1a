import Foundation
import FormularyReports

/// Small HTML pieces for the server's own pages. Every text and attribute value passes `escape`;
/// page bodies are assembled from escaped parts only.
enum HTML {
    /// The reports' escaping (`& < > " '`, and C0 controls replaced), for text and attributes.
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }

    /// The navigation every page carries.
    static let navigation: [(path: String, title: String)] = [
        ("/", "Patient"), ("/plans", "Plans"), ("/analysis", "Analysis"), ("/compare", "Comparison"), ("/watchlist", "Watchlist"), ("/status", "Data status"),
    ]

    static func nav(current: String) -> String {
        "<nav aria-label=\"Main\" class=\"app-nav\"><ul>" + navigation.map { item in
            "<li><a href=\"\(item.path)\"\(item.path == current ? " aria-current=\"page\"" : "")>\(escape(item.title))</a></li>"
        }.joined() + "</ul></nav>"
    }

    /// The navigation's own rules, for report documents that bring their own stylesheet.
    static let navStyle = """
        .app-nav{background:#12355b;padding:.5rem 1rem}.app-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
        .app-nav a{color:#fff;text-decoration:underline}.app-nav a[aria-current]{font-weight:700}
        @media print{.app-nav,.app-header form{display:none}}
        """

    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5}
        main{max-width:60rem;margin:0 auto;padding:1rem}
        .app-nav{background:#12355b;padding:.5rem 1rem}.app-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
        .app-nav a{color:#fff;text-decoration:underline}.app-nav a[aria-current]{font-weight:700}
        table{border-collapse:collapse;width:100%}th,td{border:1px solid #767676;padding:.3rem .5rem;text-align:left;vertical-align:top}
        caption{text-align:left;font-weight:700}label{display:block;margin:.5rem 0 .2rem;font-weight:600}
        input,select,textarea,button{font:inherit}button{background:#12355b;color:#fff;border:0;padding:.4rem .9rem;border-radius:.2rem}
        .error{border-left:4px solid #b00020;padding:.5rem;background:#fdecee}.notice{border-left:4px solid #12355b;padding:.5rem;background:#eef3f8}
        @media (max-width:40rem){table,thead,tbody,tr,th,td{display:block;width:auto}}
        @media print{.app-nav,form{display:none}}
        """

    /// A whole page: `lang`, title, one `h1`, navigation, and the escaped-by-construction body.
    static func page(title: String, current: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · formulary</title><style>\(style)</style></head>
        <body>\(nav(current: current))<main><h1>\(escape(title))</h1>
        \(body)
        </main></body></html>
        """
    }

    /// A report document (coverage, pre-check, comparison) with the app's navigation and `extra`
    /// (download links, forms) inserted at the top of its body.
    static func wrapReport(_ document: String, current: String, extra: String) -> String {
        let header = "<div class=\"app-header\"><style>\(navStyle)</style>\(nav(current: current))<div style=\"padding:0 1rem\">\(extra)</div></div>"
        guard let range = document.range(of: "<body[^>]*>", options: .regularExpression) else { return header + document }
        return document.replacingCharacters(in: range.upperBound..<range.upperBound, with: header)
    }

    /// A hidden CSRF field for a form.
    /// A data table: `caption`, column headers, and rows whose first cell is the row header.
    /// Every cell is plain text and escaped here.
    static func table(caption: String, headers: [String], rows: [[String]]) -> String {
        "<table><caption>\(escape(caption))</caption><thead><tr>" + headers.map { "<th scope=\"col\">\(escape($0))</th>" }.joined()
            + "</tr></thead><tbody>"
            + rows.map { cells in
                "<tr>" + cells.enumerated().map { index, cell in index == 0 ? "<th scope=\"row\">\(escape(cell))</th>" : "<td>\(escape(cell))</td>" }.joined() + "</tr>"
            }.joined()
            + "</tbody></table>"
    }

    static func csrf(_ token: String) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(escape(token))\">"
    }
}
