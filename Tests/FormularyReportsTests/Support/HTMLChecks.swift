import Foundation
import Testing

/// The structural rules every HTML report must pass: one language-tagged, self-contained
/// document, headings in order, tables with captions and scoped headers, charts with an
/// accessible name, a Letter print stylesheet, and nothing executable.
enum HTMLChecks {
    static func requireWellFormed(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedHTML {
        let parsed = try #require(ParsedHTML(html), "libxml2 could not parse the report", sourceLocation: sourceLocation)
        #expect(parsed.root.name == "html", sourceLocation: sourceLocation)
        #expect(parsed.root.attributes["lang"] == "en", "<html> has lang=\"en\"", sourceLocation: sourceLocation)
        #expect(parsed.all("title").first.map { !$0.text.isEmpty } == true, "a non-empty <title>", sourceLocation: sourceLocation)
        #expect(parsed.all("h1").count == 1, "exactly one h1", sourceLocation: sourceLocation)

        // Headings never skip a level going down.
        var previous = 0
        for level in parsed.headingLevels {
            #expect(level <= previous + 1, "heading h\(level) follows h\(previous)", sourceLocation: sourceLocation)
            previous = level
        }

        for table in parsed.all("table") {
            #expect(table.child("caption").map { !$0.text.isEmpty } == true, "every table has a caption", sourceLocation: sourceLocation)
            let headers = table.all("thead").flatMap { $0.all("th") }
            #expect(!headers.isEmpty, "every table has column headers", sourceLocation: sourceLocation)
            #expect(headers.allSatisfy { $0.attributes["scope"] == "col" }, "column headers have scope=col", sourceLocation: sourceLocation)
            for row in table.all("tbody").flatMap({ $0.all("tr") }) {
                for header in row.all("th") {
                    #expect(header.attributes["scope"] == "row", "row headers have scope=row", sourceLocation: sourceLocation)
                }
            }
        }

        for svg in parsed.all("svg") {
            #expect(svg.attributes["role"] == "img", "every chart has role=img", sourceLocation: sourceLocation)
            #expect(svg.child("title").map { !$0.text.isEmpty } == true, "every chart has a <title>", sourceLocation: sourceLocation)
            #expect(svg.child("desc").map { !$0.text.isEmpty } == true, "every chart has a <desc>", sourceLocation: sourceLocation)
        }

        // Self-contained and inert: no script, no external resource, no event handler.
        #expect(parsed.all("script").isEmpty, "no <script>", sourceLocation: sourceLocation)
        #expect(parsed.all("link").isEmpty, "no <link>", sourceLocation: sourceLocation)
        #expect(parsed.all("img").isEmpty && parsed.all("iframe").isEmpty && parsed.all("object").isEmpty, sourceLocation: sourceLocation)
        for element in parsed.elements {
            for (name, value) in element.attributes {
                #expect(!name.lowercased().hasPrefix("on"), "no event-handler attribute (\(name) on <\(element.name)>)", sourceLocation: sourceLocation)
                if name == "href" { #expect(value.hasPrefix("#"), "links stay inside the page (\(value))", sourceLocation: sourceLocation) }
                if name == "src" { Issue.record("no src attribute (\(value))", sourceLocation: sourceLocation) }
            }
        }

        let style = parsed.all("style").map(\.text).joined()
        #expect(style.contains("@page { size: Letter;"), "prints on US Letter", sourceLocation: sourceLocation)
        #expect(style.contains("@media print"), "has a print stylesheet", sourceLocation: sourceLocation)
        #expect(style.contains("break-inside: avoid"), "keeps cards and rows whole when printing", sourceLocation: sourceLocation)
        return parsed
    }

    /// The ids of the `<section>` elements.
    static func sectionIDs(_ parsed: ParsedHTML) -> [String] {
        parsed.all("section").compactMap { $0.attributes["id"] }
    }

    static func headings(_ parsed: ParsedHTML, level: Int) -> [String] {
        parsed.all("h\(level)").map(\.text)
    }
}
