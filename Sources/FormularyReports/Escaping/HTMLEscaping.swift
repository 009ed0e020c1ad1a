/// The one HTML-escaping function every report uses, for text and attribute values alike.
///
/// Every string a report shows may come from a formulary, criteria or patient file, so all of
/// them are untrusted. Escaping `& < > " '` in both contexts (rather than a lighter text-only
/// variant) means no caller has to decide which context it is in, and a value can never close
/// an attribute or open a tag. Markup is only ever produced by `HTMLRenderer` and the chart
/// builders, which pass every piece of data through here.
public enum HTMLEscaping {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // C0 controls other than tab, newline and carriage return are not allowed in HTML.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
