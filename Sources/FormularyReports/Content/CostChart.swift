import Foundation

/// A horizontal stacked bar chart of each plan's estimated year: premiums, the deductible and
/// the drug costs after it, one segment each, with the total written beside the bar. Segments
/// differ by fill and by pattern (never color alone), a legend names them, and each segment's
/// tooltip says what it is and how much; the same numbers are in the table beside the chart.
struct CostChart {
    struct Bar {
        var label: String
        var detail: String?
        var premiums: Decimal?
        var deductible: Decimal
        var drugs: Decimal
        var valueText: String
    }

    var id: String
    var title: String
    var description: String
    var bars: [Bar]

    static let width = 760.0
    static let labelWidth = 270.0
    static let valueWidth = 190.0
    static let rowHeight = 36.0

    /// The three parts: name, fill, pattern id suffix (nil: solid).
    static let parts: [(name: String, fill: String, pattern: String?)] = [
        ("Premiums", "#2f5f8f", nil),
        ("Deductible", "#8fb3d9", "dots"),
        ("Drug costs after the deductible", "#d9e4f0", "lines"),
    ]

    static let narrowWidth = 360.0

    /// The chart for wide screens and print, and a narrower drawing for phones.
    func svg() -> SVGFragment {
        .responsive(wide: wideSVG(), narrow: narrowSVG())
    }

    private var maximum: Double {
        bars.map { NSDecimalNumber(decimal: ($0.premiums ?? 0) + $0.deductible + $0.drugs).doubleValue }.max() ?? 0
    }

    /// The patterns that tell the segments apart without color.
    private func defs(_ svg: inout SVGBuilder, id: String) {
        svg.open("defs")
        svg.open("pattern", [("id", "\(id)-dots"), ("width", "6"), ("height", "6"), ("patternUnits", "userSpaceOnUse")])
        svg.element("rect", [("width", "6"), ("height", "6"), ("fill", Self.parts[1].fill)])
        svg.element("circle", [("cx", "3"), ("cy", "3"), ("r", "1.2"), ("fill", "#1b1f24")])
        svg.close("pattern")
        svg.open("pattern", [("id", "\(id)-lines"), ("width", "6"), ("height", "6"), ("patternUnits", "userSpaceOnUse"), ("patternTransform", "rotate(45)")])
        svg.element("rect", [("width", "6"), ("height", "6"), ("fill", Self.parts[2].fill)])
        svg.element("line", [("x1", "0"), ("y1", "0"), ("x2", "0"), ("y2", "6"), ("stroke", "#4a525c"), ("stroke-width", "1.5")])
        svg.close("pattern")
        svg.close("defs")
    }

    /// Where each legend item goes, wrapped to `width`, and the height the legend takes.
    private func legendLayout(x: Double, width: Double) -> (items: [(x: Double, y: Double)], bottom: Double) {
        var legendX = x, legendY = 10.0
        var items: [(x: Double, y: Double)] = []
        for part in Self.parts {
            let itemWidth = 20 + ChartText.width(part.name, size: 12) + 18
            if legendX + itemWidth > x + width, legendX > x { legendX = x; legendY += 20 }
            items.append((legendX, legendY))
            legendX += itemWidth
        }
        return (items, legendY + 20)
    }

    /// The legend: one swatch and name per part.
    private func legend(_ svg: inout SVGBuilder, id: String, x: Double, width: Double) {
        for (part, place) in zip(Self.parts, legendLayout(x: x, width: width).items) {
            svg.element("rect", [("x", place.x.svg), ("y", place.y.svg), ("width", "14"), ("height", "14"), ("fill", fill(part, id: id)),
                                 ("stroke", "#4a525c"), ("stroke-width", "0.5")])
            svg.text(part.name, [("x", (place.x + 20).svg), ("y", (place.y + 12).svg), ("font-size", "12")])
        }
    }

    /// The segments of one bar from `x`, `span` units for the largest total; returns where it ends.
    private func segments(_ svg: inout SVGBuilder, _ bar: Bar, id: String, x start: Double, y: Double, height: Double, span: Double) -> Double {
        var x = start
        for (part, value) in zip(Self.parts, [bar.premiums ?? 0, bar.deductible, bar.drugs]) where value > 0 {
            let length = maximum > 0 ? max(NSDecimalNumber(decimal: value).doubleValue / maximum * span, 2) : 2
            svg.open("g")
            svg.tooltip("\(part.name): \(TextFormat.money(value))")
            svg.element("rect", [("x", x.svg), ("y", y.svg), ("width", length.svg), ("height", height.svg),
                                 ("fill", fill(part, id: id)), ("stroke", "#1b1f24"), ("stroke-width", "0.5")])
            svg.close("g")
            x += length
        }
        return x
    }

    func wideSVG() -> SVGFragment {
        let x0 = Self.labelWidth + 10
        let span = Self.width - x0 - Self.valueWidth
        let top = legendLayout(x: x0, width: Self.width - x0).bottom + 8
        let height = top + Double(bars.count) * Self.rowHeight + 8
        var svg = SVGBuilder(id: id, width: Int(Self.width), height: Int(height.rounded(.up)), title: title, description: description, variant: .wide)
        defs(&svg, id: id)
        svg.open("g", [("font-family", ChartText.fontFamily), ("font-size", "13"), ("fill", "#1b1f24")])
        legend(&svg, id: id, x: x0, width: Self.width - x0)
        svg.element("line", [("x1", x0.svg), ("y1", top.svg), ("x2", x0.svg), ("y2", (height - 8).svg), ("stroke", "#8a939e"), ("stroke-width", "1")])
        for (index, bar) in bars.enumerated() {
            let y = top + Double(index) * Self.rowHeight
            svg.open("g")
            svg.tooltip(([bar.label, bar.detail].compactMap { $0 } + [bar.valueText]).joined(separator: " · "))
            let labelY = bar.detail == nil ? y + Self.rowHeight / 2 + 4.5 : y + 15
            svg.text(ChartText.fit(bar.label, maxWidth: Self.labelWidth - 4), [("x", Self.labelWidth.svg), ("y", labelY.svg), ("text-anchor", "end"), ("font-weight", "600")])
            if let detail = bar.detail {
                svg.text(ChartText.fit(detail, maxWidth: Self.labelWidth - 4, size: 11.5), [("x", Self.labelWidth.svg), ("y", (y + 29).svg), ("text-anchor", "end"),
                                                                                       ("font-size", "11.5"), ("fill", "#4a525c")])
            }
            let end = segments(&svg, bar, id: id, x: x0, y: y + 8, height: Self.rowHeight - 16, span: span)
            svg.text(ChartText.fit(bar.valueText, maxWidth: Self.valueWidth - 10), [("x", (end + 8).svg), ("y", (y + Self.rowHeight / 2 + 4.5).svg)])
            svg.close("g")
        }
        svg.close("g")
        return svg.finish()
    }

    /// Phones: each bar under its label, the full width of the drawing.
    func narrowSVG() -> SVGFragment {
        let width = Self.narrowWidth, left = 4.0, valueWidth = 118.0
        let narrowID = id + "-narrow"
        let top = legendLayout(x: left, width: width - left).bottom + 4
        let heights = bars.map { $0.detail == nil ? 44.0 : 60.0 }
        let height = top + heights.reduce(0, +) + 4
        let span = width - left - valueWidth
        var svg = SVGBuilder(id: narrowID, width: Int(width), height: Int(height.rounded(.up)), title: title, description: description, variant: .narrow)
        defs(&svg, id: narrowID)
        svg.open("g", [("font-family", ChartText.fontFamily), ("font-size", "13"), ("fill", "#1b1f24")])
        legend(&svg, id: narrowID, x: left, width: width - left)
        var y = top
        for (index, bar) in bars.enumerated() {
            svg.open("g")
            svg.tooltip(([bar.label, bar.detail].compactMap { $0 } + [bar.valueText]).joined(separator: " · "))
            let barY = svg.narrowRowHeading(bar.label, detail: bar.detail, x: left, y: y, width: width - left)
            let end = segments(&svg, bar, id: narrowID, x: left, y: barY, height: 14, span: span)
            svg.text(ChartText.fit(bar.valueText, maxWidth: valueWidth - 8, size: 12), [("x", (end + 6).svg), ("y", (barY + 11.5).svg), ("font-size", "12")])
            svg.close("g")
            y += heights[index]
        }
        svg.close("g")
        return svg.finish()
    }

    private func fill(_ part: (name: String, fill: String, pattern: String?), id: String) -> String {
        part.pattern.map { "url(#\(id)-\($0))" } ?? part.fill
    }
}
