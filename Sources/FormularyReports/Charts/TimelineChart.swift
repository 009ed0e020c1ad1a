import FormularyCriteria

/// A timeline of treatment so far and the steps ahead: one row per trial, event or step, a
/// date axis, and a dashed line at the as-of date. Styles differ by pattern as well as color
/// (solid, hatched, dashed outline), and a legend names them, so the chart reads in gray.
struct TimelineChart {
    enum Style: String, CaseIterable {
        case past, current, confounded, planned, wait

        var legend: String {
            switch self {
            case .past: "earlier trial"
            case .current: "current medicine"
            case .confounded: "trial confounded (not counted)"
            case .planned: "step ahead (earliest dates)"
            case .wait: "waiting period"
            }
        }
    }

    struct Segment {
        var from: Day
        var through: Day
        var style: Style
    }

    struct Row {
        var label: String
        var tooltip: String
        var segment: Segment?
        /// A point in time: a manufacturer switch (◆) or the day an option becomes available (⚑).
        var marker: (day: Day, label: String, goal: Bool)?
        /// A series of dated values (a rating scale's scores): a dot on each day with its value
        /// written above it, where there is room.
        var points: [(day: Day, label: String)] = []
    }

    struct Group {
        var title: String
        var rows: [Row]
    }

    var id: String
    var title: String
    var description: String
    var asOf: Day
    var groups: [Group]
    /// Days of axis kept after the as-of date even when nothing is drawn there (a path chart
    /// keeps a month so a step that ends tomorrow is still visible; a history chart keeps none).
    var minimumFutureDays = 0

    static let width = 760.0
    static let labelWidth = 250.0
    static let rowHeight = 26.0
    static let groupHeight = 26.0
    /// How far back the chart reaches: older trials are drawn from the left edge with an arrow.
    static let maximumHistoryDays = 760

    var isEmpty: Bool { groups.allSatisfy(\.rows.isEmpty) }

    /// The phone drawing's width: labels sit above their bars, read at about their own size.
    static let narrowWidth = 360.0

    /// The chart for wide screens and print, and a narrower drawing for phones.
    func svg() -> SVGFragment {
        .responsive(wide: draw(.wide), narrow: draw(.narrow))
    }

    func draw(_ variant: ChartVariant) -> SVGFragment {
        let narrow = variant == .narrow
        let width = narrow ? Self.narrowWidth : Self.width
        let chartID = narrow ? id + "-narrow" : id
        // Wide: a label column on the left of the bars. Narrow: each label above its bar.
        let x0 = narrow ? 8.0 : Self.labelWidth + 12, x1 = width - (narrow ? 8 : 16)
        let rowHeight = narrow ? 38.0 : Self.rowHeight
        var days: [Day] = [asOf]
        for row in groups.flatMap(\.rows) {
            if let segment = row.segment { days += [segment.from, segment.through] }
            if let marker = row.marker { days.append(marker.day) }
        }
        let earliest = max(days.min() ?? asOf, asOf - Self.maximumHistoryDays)
        let latest = max(days.max() ?? asOf, asOf + minimumFutureDays)
        let pad = max(3, (latest - earliest) / 25)
        let start = Day(ordinal: earliest.ordinal - pad), end = Day(ordinal: latest.ordinal + pad)
        let total = Double(max(1, end - start))
        func x(_ day: Day) -> Double { x0 + (x1 - x0) * Double(min(max(day, start), end) - start) / total }

        let axisTop = 26.0
        let rowsHeight = groups.reduce(0.0) { total, group in
            group.rows.isEmpty ? total : total + (group.title.isEmpty ? 0 : Self.groupHeight) + Double(group.rows.count) * rowHeight
        }
        let bottom = axisTop + 6 + rowsHeight
        // Legend: only the styles the chart uses, wrapped onto as many lines as needed.
        let used = Set(groups.flatMap(\.rows).compactMap { $0.segment?.style })
        var legend: [(style: Style, x: Double, line: Int)] = []
        var lx = narrow ? 8.0 : 14.0, line = 0
        for style in Style.allCases where used.contains(style) {
            let needed = 28 + ChartText.width(style.legend, size: 11.5)
            if lx + needed > width - 8, lx > 14 { lx = narrow ? 8 : 14; line += 1 }
            legend.append((style, lx, line))
            lx += needed + 18
        }
        let legendY = bottom + 38
        let height = legendY + Double(legend.last.map { $0.line + 1 } ?? 0) * 20 + 6

        var svg = SVGBuilder(id: chartID, width: Int(width), height: Int(height.rounded(.up)), title: title, description: description, variant: variant)
        svg.open("defs")
        svg.open("pattern", [("id", "\(chartID)-hatch"), ("patternUnits", "userSpaceOnUse"), ("width", "6"), ("height", "6"), ("patternTransform", "rotate(45)")])
        svg.element("rect", [("width", "6"), ("height", "6"), ("fill", "#ffffff")])
        svg.element("line", [("x1", "0"), ("y1", "0"), ("x2", "0"), ("y2", "6"), ("stroke", "#6b4a1f"), ("stroke-width", "2.5")])
        svg.close("pattern")
        svg.close("defs")
        svg.open("g", [("font-family", ChartText.fontFamily), ("font-size", "12.5"), ("fill", "#1b1f24")])

        // Axis: day ticks on a short span (a path of a few weeks), month ticks on a long one,
        // spaced so labels never collide (fewer on the narrow drawing).
        let maximumTicks = narrow ? 4 : 7
        var ticks: [(day: Day, label: String)] = []
        if total <= 130 {
            // Weekly (or fortnightly, or every four weeks) from the as-of date, both ways.
            let step = [7, 14, 28, 56].first { total / Double($0) <= Double(maximumTicks) } ?? 56
            var tick = asOf
            while tick - step >= start { tick = tick - step }
            while tick <= end {
                ticks.append((tick, TextFormat.shortDay(tick)))
                tick = tick + step
            }
        } else {
            let months = max(1, Int(total / 30.4))
            let stepMonths = [1, 2, 3, 6, 12, 24].first { months / $0 <= maximumTicks } ?? 24
            var tick = Day(year: start.year, month: start.month, day: 1) ?? start
            if tick < start { tick = tick.adding(months: 1) }
            while (tick.month - 1) % stepMonths != 0 { tick = tick.adding(months: 1) }
            while tick <= end {
                ticks.append((tick, TextFormat.month(tick)))
                tick = tick.adding(months: stepMonths)
            }
        }
        for tick in ticks {
            let tx = x(tick.day)
            let halfLabel = ChartText.width(tick.label, size: 11.5) / 2
            let anchor = tx - halfLabel < 2 ? "start" : (tx + halfLabel > width - 2 ? "end" : "middle")
            svg.element("line", [("x1", tx.svg), ("y1", (axisTop - 4).svg), ("x2", tx.svg), ("y2", bottom.svg), ("stroke", "#d5dae1"), ("stroke-width", "1")])
            svg.text(tick.label, [("x", tx.svg), ("y", (axisTop - 9).svg), ("text-anchor", anchor), ("font-size", "11.5"), ("fill", "#4a525c")])
        }

        var y = axisTop + 6
        for group in groups where !group.rows.isEmpty {
            if !group.title.isEmpty {
                svg.text(ChartText.fit(group.title, maxWidth: narrow ? width - 8 : Self.labelWidth + 60, size: 12.5), [("x", "4"), ("y", (y + 17).svg), ("font-weight", "700")])
                y += Self.groupHeight
            }
            for row in group.rows {
                // Where the bar sits in the row, and where the label goes.
                let barY = narrow ? y + 19 : y + 6
                svg.open("g")
                svg.tooltip(row.tooltip)
                if narrow {
                    svg.text(ChartText.fit(row.label, maxWidth: width - 16, size: 12.5), [("x", "8"), ("y", (y + 14).svg)])
                } else {
                    svg.text(ChartText.fit(row.label, maxWidth: Self.labelWidth - 16, size: 12.5), [("x", "14"), ("y", (y + 17).svg)])
                }
                if let segment = row.segment {
                    let from = x(segment.from), to = max(x(segment.through), from + 3)
                    var attributes: [(String, String)] = [("x", from.svg), ("y", barY.svg), ("width", (to - from).svg), ("height", "14"), ("rx", "3")]
                    switch segment.style {
                    case .past: attributes += [("fill", "#7d8894")]
                    case .current: attributes += [("fill", "#2f5f8f")]
                    case .confounded: attributes += [("fill", "url(#\(chartID)-hatch)"), ("stroke", "#6b4a1f"), ("stroke-width", "1.2")]
                    case .planned: attributes += [("fill", "#dcefe3"), ("stroke", "#1e6b3c"), ("stroke-width", "1.6"), ("stroke-dasharray", "5 3")]
                    case .wait: attributes += [("fill", "#fbe3b0"), ("stroke", "#8a5a00"), ("stroke-width", "1.2"), ("stroke-dasharray", "2 2")]
                    }
                    svg.element("rect", attributes)
                    if segment.from < start {
                        svg.text("◀", [("x", (from + 2).svg), ("y", (barY + 11.5).svg), ("font-size", "11.5"), ("fill", "#ffffff")])
                    }
                }
                if let marker = row.marker {
                    let mx = x(marker.day), my = barY + 7
                    if marker.goal {
                        svg.element("path", [("d", "M\(mx.svg) \((my + 8).svg) V\((my - 9).svg) L\((mx + 10).svg) \((my - 5).svg) L\(mx.svg) \((my - 1).svg)"),
                                             ("fill", "#1e6b3c"), ("stroke", "#1e6b3c"), ("stroke-width", "1.5")])
                    } else {
                        svg.element("path", [("d", "M\(mx.svg) \((my - 7).svg) L\((mx + 7).svg) \(my.svg) L\(mx.svg) \((my + 7).svg) L\((mx - 7).svg) \(my.svg) Z"),
                                             ("fill", "#8c1d1d")])
                    }
                    let room = narrow ? max(mx - 11 - 4, x1 - mx - 14) : 230
                    let label = ChartText.fit(marker.label, maxWidth: room, size: 12)
                    let fitsRight = mx + 14 + ChartText.width(label, size: 12) <= x1
                    svg.text(label, [("x", (fitsRight ? mx + 14 : mx - 11).svg), ("y", (barY + 11).svg), ("text-anchor", fitsRight ? "start" : "end"), ("font-size", "12")])
                }
                if !row.points.isEmpty {
                    let py = barY + 9
                    let xs = row.points.map { x($0.day) }
                    if xs.count > 1 {
                        svg.element("polyline", [("points", xs.map { "\($0.svg),\(py.svg)" }.joined(separator: " ")), ("fill", "none"),
                                                 ("stroke", "#9aa4ae"), ("stroke-width", "1")])
                    }
                    // Values are written left to right where they do not overlap the previous one.
                    var lastEnd = -Double.infinity
                    for (point, px) in zip(row.points, xs) {
                        svg.element("circle", [("cx", px.svg), ("cy", py.svg), ("r", "3.5"), ("fill", "#5b2a86")])
                        let half = ChartText.width(point.label, size: 11) / 2
                        guard px - half > lastEnd + 2, px + half <= width - 2 else { continue }
                        svg.text(point.label, [("x", px.svg), ("y", (py - 6).svg), ("text-anchor", "middle"), ("font-size", "11")])
                        lastEnd = px + half
                    }
                }
                svg.close("g")
                y += rowHeight
            }
        }

        // The as-of line, labelled under the rows.
        let ax = x(asOf)
        svg.element("line", [("x1", ax.svg), ("y1", (axisTop - 4).svg), ("x2", ax.svg), ("y2", (bottom + 4).svg), ("stroke", "#1b1f24"), ("stroke-width", "1.5"), ("stroke-dasharray", "4 3")])
        let asOfLabel = "as of \(TextFormat.day(asOf))"
        let halfAsOf = ChartText.width(asOfLabel, size: 12) / 2
        let asOfAnchor = ax + halfAsOf > width - 2 ? "end" : (ax - halfAsOf < 2 ? "start" : "middle")
        svg.text(asOfLabel, [("x", ax.svg), ("y", (bottom + 18).svg), ("text-anchor", asOfAnchor), ("font-size", "12"), ("font-weight", "600")])

        for entry in legend {
            let ly = legendY + Double(entry.line) * 20
            var attributes: [(String, String)] = [("x", entry.x.svg), ("y", (ly - 10).svg), ("width", "22"), ("height", "12"), ("rx", "2")]
            switch entry.style {
            case .past: attributes += [("fill", "#7d8894")]
            case .current: attributes += [("fill", "#2f5f8f")]
            case .confounded: attributes += [("fill", "url(#\(chartID)-hatch)"), ("stroke", "#6b4a1f")]
            case .planned: attributes += [("fill", "#dcefe3"), ("stroke", "#1e6b3c"), ("stroke-dasharray", "5 3")]
            case .wait: attributes += [("fill", "#fbe3b0"), ("stroke", "#8a5a00"), ("stroke-dasharray", "2 2")]
            }
            svg.element("rect", attributes)
            svg.text(entry.style.legend, [("x", (entry.x + 28).svg), ("y", ly.svg), ("font-size", "11.5")])
        }
        svg.close("g")
        return svg.finish()
    }
}
