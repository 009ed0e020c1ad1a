/// Markup for an inline SVG chart. Only the chart builders in `Charts/` create one, and they
/// build it through `SVGBuilder`, which escapes every piece of data; so a fragment is trusted
/// markup the HTML renderer can insert as is.
struct SVGFragment: Hashable, Sendable {
    let markup: String

    fileprivate init(markup: String) { self.markup = markup }

    /// A chart drawn twice: for wide screens and print, and for phones, where a wide drawing
    /// scaled to fit would shrink its labels to a few pixels. The stylesheet shows one of them
    /// (`chart-wide`, `chart-narrow`); the hidden one is `display: none`, so assistive technology
    /// meets the chart once.
    static func responsive(wide: SVGFragment, narrow: SVGFragment) -> SVGFragment {
        SVGFragment(markup: wide.markup + "\n" + narrow.markup)
    }
}

/// Which drawing of a chart a builder makes (see `SVGFragment.responsive`).
enum ChartVariant: String, Sendable {
    /// For wide screens and print.
    case wide
    /// For phones: a narrower drawing with labels above the bars, read at about its own size.
    case narrow
}

/// Writes SVG elements with escaped attribute values and text. The only way to make an
/// `SVGFragment`.
struct SVGBuilder {
    private var out = ""

    /// Opens the root `<svg>` with the accessibility attributes every chart needs: `role="img"`,
    /// a `<title>` and a `<desc>` referenced by `aria-labelledby`.
    init(id: String, width: Int, height: Int, title: String, description: String, variant: ChartVariant? = nil) {
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(width) \(height)\""
        out += " width=\"\(width)\" height=\"\(height)\" class=\"chart\(variant.map { " chart-\($0.rawValue)" } ?? "")\""
        out += " aria-labelledby=\"\(HTMLEscaping.escape(id))-title \(HTMLEscaping.escape(id))-desc\">"
        out += "<title id=\"\(HTMLEscaping.escape(id))-title\">\(HTMLEscaping.escape(title))</title>"
        out += "<desc id=\"\(HTMLEscaping.escape(id))-desc\">\(HTMLEscaping.escape(description))</desc>"
    }

    /// An empty element (`<rect … />`).
    mutating func element(_ name: String, _ attributes: [(String, String)]) {
        out += "<\(name)" + render(attributes) + "/>"
    }

    /// An element with text content (`<text …>label</text>`).
    mutating func text(_ content: String, _ attributes: [(String, String)], title: String? = nil) {
        out += "<text" + render(attributes) + ">"
        if let title { out += "<title>\(HTMLEscaping.escape(title))</title>" }
        out += HTMLEscaping.escape(content) + "</text>"
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        out += "<\(name)" + render(attributes) + ">"
    }

    mutating func close(_ name: String) { out += "</\(name)>" }

    /// A `<title>` child: the tooltip and accessible name of the enclosing group.
    mutating func tooltip(_ text: String) { out += "<title>\(HTMLEscaping.escape(text))</title>" }

    func finish() -> SVGFragment { SVGFragment(markup: out + "</svg>") }

    private func render(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(HTMLEscaping.escape($0.1))\"" }.joined()
    }
}

extension Double {
    /// A coordinate with at most one decimal, so charts are byte-for-byte reproducible.
    var svg: String {
        let rounded = (self * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

extension SVGBuilder {
    /// A phone chart row's heading: the label (bold) at `y`, the detail under it when there is
    /// one, each fitted to `width`. Returns where the row's bar goes (44 units per row without a
    /// detail, 60 with one).
    mutating func narrowRowHeading(_ label: String, detail: String?, x: Double, y: Double, width: Double) -> Double {
        text(ChartText.fit(label, maxWidth: width), [("x", x.svg), ("y", (y + 13).svg), ("font-weight", "600")])
        guard let detail else { return y + 20 }
        text(ChartText.fit(detail, maxWidth: width, size: 11.5), [("x", x.svg), ("y", (y + 29).svg), ("font-size", "11.5"), ("fill", "#4a525c")])
        return y + 36
    }
}
