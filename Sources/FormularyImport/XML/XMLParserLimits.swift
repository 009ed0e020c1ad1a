import Foundation

/// Turns libxml2's reports of its fixed limits into plain words, so its advice ("use
/// XML_PARSE_HUGE option") never reaches a person: the limits are part of the safety policy and
/// `XML_PARSE_HUGE` is never set (`XMLStreamReader.Policy.options`).
enum XMLParserLimits {
    /// The longest element or attribute name libxml2 accepts without `HUGE` (`XML_MAX_NAME_LENGTH`).
    static let maximumNameBytes = 50_000

    /// libxml2's messages for each limit (as of 2.9 to 2.13), and what to say instead.
    private static var known: [(marker: String, limit: String)] {
        let value = ImportError.grouped(Int64(XMLStreamReader.Policy.maximumValueBytes))
        return [
            ("Excessive depth in document", "nesting deeper than \(XMLStreamReader.Policy.maximumDepth) levels is refused"),
            ("AttValue length too long", "an attribute value longer than \(value) bytes is refused"),
            ("huge text node", "a text node longer than \(value) bytes is refused"),
            ("text too long", "a text node longer than \(value) bytes is refused"),
            ("Huge input lookup", "a single piece of markup longer than \(value) bytes is refused"),
            ("Name too long", "a name longer than \(ImportError.grouped(Int64(maximumNameBytes))) bytes is refused"),
            ("Comment too big", "a comment longer than \(value) bytes is refused"),
            ("CData section too big", "a CDATA section longer than \(value) bytes is refused"),
            ("too big found", "a processing instruction longer than \(value) bytes is refused"),
        ]
    }

    /// The limit a libxml2 message reports, in plain words; nil when it reports something else.
    static func limit(in message: String) -> String? {
        if let match = known.first(where: { message.contains($0.marker) }) { return match.limit }
        if message.contains("XML_PARSE_HUGE") {
            return "a document past the XML parser's fixed size limits is refused (\(withoutAdvice(message)))"
        }
        return nil
    }

    /// A libxml2 message without any advice to lift its limits.
    static func withoutAdvice(_ message: String) -> String {
        var text = message
        for advice in [", use XML_PARSE_HUGE option", " use XML_PARSE_HUGE option", ", use XML_PARSE_HUGE", " use XML_PARSE_HUGE", "XML_PARSE_HUGE"] {
            text = text.replacingOccurrences(of: advice, with: "")
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
