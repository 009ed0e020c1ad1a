/// Anchors for in-page links, made from code-chosen words and (sanitized) option ids, never
/// from free text.
enum Anchor {
    static func make(_ parts: String...) -> String {
        let joined = parts.joined(separator: "-").lowercased()
        var out = ""
        var lastWasDash = false
        for scalar in joined.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash, !out.isEmpty {
                out += "-"
                lastWasDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "section" : String(out.prefix(60))
    }
}
