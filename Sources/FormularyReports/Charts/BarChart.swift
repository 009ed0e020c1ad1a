import Foundation

/// A horizontal bar chart with the value written beside every bar and a row label on the left,
/// so it reads without color and prints in gray. Used for monthly cost by option and annual
/// regimen cost by plan.
struct BarChart {
    struct Bar {
        var label: String
        /// A second, smaller line under the label (the tier).
        var detail: String?
        /// `nil` draws no bar and writes `valueText` in italics (no dollar estimate).
        var value: Decimal?
        var valueText: String
    }

    var id: String
    var title: String
    var description: String
    var bars: [Bar]

    static let width = 760.0
    static let labelWidth = 270.0
    static let valueWidth = 170.0
    static let rowHeight = 34.0

    static let narrowWidth = 360.0

    /// The chart for wide screens and print, and a narrower drawing for phones.
    func svg() -> SVGFragment {
        .responsive(wide: wideSVG(), narrow: narrowSVG())
    }

    /// Phones: each bar under its label, the full width of the drawing, so at 360 units the
    /// labels are read at about their own size (13 and 11.5 px).
    func narrowSVG() -> SVGFragment {
        let width = Self.narrowWidth, left = 4.0, valueWidth = 118.0
        let heights = bars.map { $0.detail == nil ? 44.0 : 60.0 }
        let height = 6 + heights.reduce(0, +) + 4
        let span = width - left - valueWidth
        let maximum = bars.compactMap { $0.value.map { NSDecimalNumber(decimal: $0).doubleValue } }.max() ?? 0
        var svg = SVGBuilder(id: id + "-narrow", width: Int(width), height: Int(height.rounded(.up)), title: title, description: description, variant: .narrow)
        svg.open("g", [("font-family", ChartText.fontFamily), ("font-size", "13"), ("fill", "#1b1f24")])
        var y = 6.0
        for (index, bar) in bars.enumerated() {
            svg.open("g")
            svg.tooltip(([bar.label, bar.detail].compactMap { $0 } + [bar.valueText]).joined(separator: " · "))
            let barY = svg.narrowRowHeading(bar.label, detail: bar.detail, x: left, y: y, width: width - left)
            if let value = bar.value {
                let fraction = maximum > 0 ? NSDecimalNumber(decimal: value).doubleValue / maximum : 0
                let length = max(fraction * span, 2)
                svg.element("rect", [("x", left.svg), ("y", barY.svg), ("width", length.svg), ("height", "14"), ("fill", "#2f5f8f"), ("rx", "2")])
                svg.text(ChartText.fit(bar.valueText, maxWidth: valueWidth - 8), [("x", (left + length + 6).svg), ("y", (barY + 11.5).svg)])
            } else {
                svg.text(ChartText.fit(bar.valueText, maxWidth: width - left, size: 12), [("x", left.svg), ("y", (barY + 11.5).svg), ("font-size", "12"), ("font-style", "italic"), ("fill", "#4a525c")])
            }
            svg.close("g")
            y += heights[index]
        }
        svg.close("g")
        return svg.finish()
    }

    func wideSVG() -> SVGFragment {
        let top = 8.0
        let height = top + Double(bars.count) * Self.rowHeight + 8
        let x0 = Self.labelWidth + 10
        let span = Self.width - x0 - Self.valueWidth
        let maximum = bars.compactMap { $0.value.map { NSDecimalNumber(decimal: $0).doubleValue } }.max() ?? 0
        var svg = SVGBuilder(id: id, width: Int(Self.width), height: Int(height.rounded(.up)), title: title, description: description, variant: .wide)
        svg.open("g", [("font-family", ChartText.fontFamily), ("font-size", "13"), ("fill", "#1b1f24")])
        svg.element("line", [("x1", x0.svg), ("y1", top.svg), ("x2", x0.svg), ("y2", (height - 8).svg), ("stroke", "#8a939e"), ("stroke-width", "1")])
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * Self.rowHeight
            svg.open("g")
            svg.tooltip(([bar.label, bar.detail].compactMap { $0 } + [bar.valueText]).joined(separator: " · "))
            let labelY = bar.detail == nil ? y + Self.rowHeight / 2 + 4.5 : y + 14
            svg.text(ChartText.fit(bar.label, maxWidth: Self.labelWidth - 4), [("x", Self.labelWidth.svg), ("y", labelY.svg), ("text-anchor", "end"), ("font-weight", "600")])
            if let detail = bar.detail {
                svg.text(ChartText.fit(detail, maxWidth: Self.labelWidth - 4, size: 11.5), [("x", Self.labelWidth.svg), ("y", (y + 28).svg), ("text-anchor", "end"),
                                                                                       ("font-size", "11.5"), ("fill", "#4a525c")])
            }
            if let value = bar.value {
                let fraction = maximum > 0 ? NSDecimalNumber(decimal: value).doubleValue / maximum : 0
                let length = max(fraction * span, 2)
                svg.element("rect", [("x", x0.svg), ("y", (y + 8).svg), ("width", length.svg), ("height", (Self.rowHeight - 16).svg),
                                     ("fill", "#2f5f8f"), ("rx", "2")])
                svg.text(bar.valueText, [("x", (x0 + length + 8).svg), ("y", (y + Self.rowHeight / 2 + 4.5).svg)])
            } else {
                svg.text(bar.valueText, [("x", (x0 + 8).svg), ("y", (y + Self.rowHeight / 2 + 4.5).svg), ("font-style", "italic"), ("fill", "#4a525c")])
            }
            svg.close("g")
        }
        svg.close("g")
        return svg.finish()
    }
}
