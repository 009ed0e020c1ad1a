import Foundation

/// Text fitting for charts: SVG cannot wrap or measure text, so labels are shortened by an
/// estimate of their width and the full text goes into a tooltip.
enum ChartText {
    static let fontFamily = "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"

    /// Average glyph width at 13 px, generous enough for capitals and digits.
    static func width(_ text: String, size: Double = 13) -> Double { Double(text.count) * size * 0.56 }

    /// `text` cut to fit `maxWidth`, with an ellipsis when cut.
    static func fit(_ text: String, maxWidth: Double, size: Double = 13) -> String {
        let limit = max(4, Int(maxWidth / (size * 0.56)))
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }
}
