import Foundation
@testable import FormularyImport
import FormularyModel
import Testing

/// Collects element names (with namespace) from `XMLStreamReader`, for tests.
private final class ElementCollector: XMLEventHandler {
    var started: [String] = []
    var ended = 0
    var values: [String] = []

    func startElement(_ tag: XMLStartTag) throws {
        started.append(tag.namespace == .fhir ? tag.localName : "{\(tag.namespace)}\(tag.localName)")
        if let value = tag.attribute("value") { values.append(value) }
    }

    func endElement() throws {
        ended += 1
    }
}

/// Parses `bytes`, handing them to libxml2 at most `chunk` bytes at a time.
private func parse(_ bytes: [UInt8], chunk: Int = .max) throws -> ElementCollector {
    var offset = 0
    let reader = try XMLStreamReader { buffer in
        let count = min(buffer.count, bytes.count - offset, chunk)
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }
    let collector = ElementCollector()
    try reader.parse(into: collector)
    return collector
}

private func parse(_ text: String, chunk: Int = .max) throws -> ElementCollector {
    try parse(Array(text.utf8), chunk: chunk)
}

/// What a hostile document must fail with.
struct XMLHostileCase: Sendable, CustomTestStringConvertible {
    var name: String
    var document: @Sendable () -> [UInt8]
    var line: Int
    var column: Int?
    /// Words the importer's problem must contain.
    var expects: [String]

    var testDescription: String { name }
}

@Suite("XML stream reader")
struct XMLStreamReaderTests {
    @Test func reportsElementsAttributesAndEntities() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment before the root -->
            <Basic xmlns="http://hl7.org/fhir"><id value="a&amp;b"/><code value="x&#38;y &lt;"/><display value="&amp;#38;"/><text><div xmlns="http://www.w3.org/1999/xhtml"><p>hi</p></div></text>
            <extension url="u"><valueMarkdown value="line&#10;two"/></extension></Basic>
            """
        let collector = try parse(xml, chunk: 7)
        #expect(collector.started.first == "Basic")
        #expect(collector.started.contains("{xhtml}div"))
        #expect(collector.values == ["a&b", "x&y <", "&#38;", "line\ntwo"])
        #expect(collector.ended == collector.started.count)
    }

    @Test func thePolicyIsPinned() {
        #expect(XMLStreamReader.Policy.optionNames == ["NONET", "IGNORE_ENC"])
        #expect(XMLStreamReader.Policy.maximumDepth == 256)
    }

    @Test func deepNestingSaysTheLimitNotLibxml2sAdvice() {
        let xml = "<Basic xmlns=\"http://hl7.org/fhir\">" + String(repeating: "<extension>", count: 300)
        let error = #expect(throws: XMLStreamError.self) { try parse(xml) }
        guard case .limitExceeded(let limit, let line, _)? = error else {
            Issue.record("expected limitExceeded, got \(String(describing: error))")
            return
        }
        #expect(limit == "nesting deeper than 256 levels is refused")
        #expect(line == 1)
        #expect(error?.localizedDescription.contains("HUGE") == false)
    }

    @Test func libxml2sAdviceIsNeverRepeated() {
        #expect(XMLParserLimits.limit(in: "Excessive depth in document: 256 use XML_PARSE_HUGE option")
            == "nesting deeper than 256 levels is refused")
        #expect(XMLParserLimits.limit(in: "xmlParseElementChildrenContentDecl : depth 129 too deep, use XML_PARSE_HUGE")
            == "a document past the XML parser's fixed size limits is refused (xmlParseElementChildrenContentDecl : depth 129 too deep)")
        #expect(XMLParserLimits.limit(in: "Opening and ending tag mismatch: a line 1 and b") == nil)
        #expect(XMLParserLimits.withoutAdvice("Excessive depth in document: 256 use XML_PARSE_HUGE option")
            == "Excessive depth in document: 256")
    }

    @Test(arguments: ["file:///etc/passwd", "http://127.0.0.1:9/x.dtd", "/etc/hostname"])
    func theExternalEntityLoaderRefusesEverything(_ url: String) {
        #expect(XMLStreamReader.Policy.externalEntityLoaderRefuses(url))
    }

    @Test func aDoctypeIsRefusedBeforeLibxml2SeesIt() {
        let xml = "<?xml version=\"1.0\"?>\n  <!DOCTYPE Basic [ <!ENTITY x \"y\"> ]>\n<Basic xmlns=\"http://hl7.org/fhir\"/>"
        #expect(throws: XMLStreamError.refused(
            what: "a document type declaration (<!DOCTYPE …>); DTDs and entities are refused, and FHIR XML never has one",
            line: 2, column: 3)) { try parse(xml, chunk: 3) }
    }

    @Test func aUTF16DocumentIsRefused() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("<".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(throws: XMLStreamError.self) { try parse(bytes) }
    }

    @Test func aSourceErrorComesOutUnchanged() throws {
        struct Broken: Error, Equatable {}
        var calls = 0
        let reader = try XMLStreamReader { buffer in
            calls += 1
            if calls > 1 { throw Broken() }
            let text = Array("<Basic xmlns=\"http://hl7.org/fhir\"><id value=\"x\"/>".utf8)
            text.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: text.count) }
            return text.count
        }
        #expect(throws: Broken()) { try reader.parse(into: ElementCollector()) }
    }

    static let hostile: [XMLHostileCase] = [
        XMLHostileCase(name: "XXE to file:///etc/passwd", document: {
            Array("""
                <?xml version="1.0"?>
                <!DOCTYPE Basic [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
                <Basic xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Basic>
                """.utf8)
        }, line: 2, column: 1, expects: ["document type declaration"]),
        XMLHostileCase(name: "billion laughs", document: {
            var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
            for level in 1...9 {
                text += " <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">\n"
            }
            text += "]>\n<Basic xmlns=\"http://hl7.org/fhir\"><id value=\"&lol9;\"/></Basic>\n"
            return Array(text.utf8)
        }, line: 2, column: 1, expects: ["document type declaration"]),
        XMLHostileCase(name: "10,000-deep nesting", document: {
            Array(("<Basic xmlns=\"http://hl7.org/fhir\">" + String(repeating: "<extension>", count: 10_000)).utf8)
        }, line: 1, column: nil, expects: ["expected XML within the reader's limits: nesting deeper than 256 levels is refused"]),
        XMLHostileCase(name: "truncated document", document: {
            Array("<Basic xmlns=\"http://hl7.org/fhir\">\n  <id value=\"x\"/>\n  <extension url=\"u\">\n    <valueBoolean val".utf8)
        }, line: 4, column: nil, expects: ["well-formed XML"]),
        XMLHostileCase(name: "wrong namespace", document: {
            Array("<?xml version=\"1.0\"?>\n\n   <Basic xmlns=\"http://example.org/not-fhir\"><id value=\"x\"/></Basic>".utf8)
        }, line: 3, column: 4, expects: ["FHIR namespace", "<Basic> in the namespace http://example.org/not-fhir"]),
        XMLHostileCase(name: "no namespace", document: {
            Array("<Basic><id value=\"x\"/></Basic>".utf8)
        }, line: 1, column: 1, expects: ["<Basic> in no namespace"]),
        XMLHostileCase(name: "invalid UTF-8", document: {
            Array("<Basic xmlns=\"http://hl7.org/fhir\">\n<id value=\"caf".utf8) + [0xC3, 0x28] + Array("\"/></Basic>".utf8)
        }, line: 2, column: nil, expects: ["UTF-8"]),
        XMLHostileCase(name: "a 10 MB attribute value", document: {
            Array("<Basic xmlns=\"http://hl7.org/fhir\"><id value=\"".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 10 << 20)
                + Array("\"/></Basic>".utf8)
        }, line: 1, column: nil, expects: ["expected XML within the reader's limits: an attribute value longer than 10,000,000 bytes is refused"]),
        XMLHostileCase(name: "UTF-16 with a byte order mark", document: {
            [0xFF, 0xFE] + Array("<Basic xmlns=\"http://hl7.org/fhir\"/>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        }, line: 1, column: 1, expects: [
            "expected FHIR XML without UTF-16 or UTF-32 encoding; FHIR XML is read as UTF-8 only: convert the file first "
                + "(e.g. iconv -f UTF-16 -t UTF-8) and change its XML declaration's encoding to UTF-8",
        ]),
        XMLHostileCase(name: "a 60,000-byte element name", document: {
            Array("<Basic xmlns=\"http://hl7.org/fhir\"><".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 60_000)
                + Array("/></Basic>".utf8)
        }, line: 1, column: nil, expects: ["expected XML within the reader's limits: a name longer than 50,000 bytes is refused"]),
    ]

    /// Each hostile file fails the import with a clear problem at a line and column; nothing is
    /// imported and the file never finishes.
    @Test(arguments: hostile)
    func hostileInputFailsClearly(_ hostile: XMLHostileCase) throws {
        let url = try FHIRFixtures.temporaryFile("hostile.xml", hostile.document())
        let (problems, sink) = try FHIRFixtures.problems([url])
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.file == "hostile.xml")
        #expect(problem.line == hostile.line, "\(problem)")
        if let column = hostile.column {
            #expect(problem.field == "column \(column)", "\(problem)")
        } else {
            #expect(problem.field?.hasPrefix("column ") == true, "\(problem)")
        }
        for words in hostile.expects {
            #expect(problem.description.contains(words), "\(problem)")
        }
        // libxml2's advice to lift its limits never reaches a person.
        #expect(!problem.description.contains("HUGE"), "\(problem)")
        #expect(sink.entries.isEmpty && sink.plans.isEmpty && sink.formularies.isEmpty)
        #expect(sink.files.last?.sha256 == nil)
    }

    /// The XXE target's content never shows up anywhere: the file is not read.
    @Test func anXXENeverReadsTheFile() throws {
        let secret = try FHIRFixtures.temporaryFile("secret.txt", "TOP-SECRET-MARKER")
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Basic [ <!ENTITY xxe SYSTEM "\(secret.absoluteString)"> ]>
            <Basic xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Basic>
            """
        let url = try FHIRFixtures.temporaryFile("xxe.xml", xml)
        let sink = InMemoryImportSink()
        let error = try #require(throws: ImportError.self) {
            try FHIRImporter().importFiles([url], into: sink, progress: nil)
        }
        #expect(!error.localizedDescription.contains("TOP-SECRET-MARKER"))
        #expect(sink.entries.isEmpty)
    }

    /// Within libxml2's cap a long attribute is read whole.
    @Test func aOneMegabyteAttributeIsRead() throws {
        let long = String(repeating: "b", count: 1 << 20)
        let collector = try parse("<Basic xmlns=\"http://hl7.org/fhir\"><id value=\"\(long)\"/></Basic>", chunk: 4000)
        #expect(collector.values.first?.count == 1 << 20)
    }
}
