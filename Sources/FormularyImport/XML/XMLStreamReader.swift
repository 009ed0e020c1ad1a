import CLibXML2
import Foundation

/// Streams an XML document through libxml2's SAX2 parser and reports its elements to an
/// `XMLEventHandler`, in memory bounded by the largest single tag, never by the document.
///
/// This is the only file that touches the libxml2 C API, and every parser setting lives in
/// `Policy` below, next to the reasons for it. No C type appears outside this file.
///
/// Why SAX2 and not a DOM: a DOM of a 500 MB formulary needed 5 GB. Why SAX2 rather than
/// `xmlTextReader`: the reader builds (and frees) a tree node per element, which costs time and
/// makes line numbers past 65,535 unreliable; SAX2 reports each start tag with the parser's exact
/// position and allocates nothing per element. The bytes come from a pull callback
/// (`xmlCreateIOParserCtxt`, SAX2's counterpart of `xmlReaderForIO`), so the caller's source, which
/// hashes what it reads, sees every byte exactly once.
///
/// A class because it owns the parser context, freed in `deinit`; use it from one task at a time.
final class XMLStreamReader {
    /// Every safety setting of the parser, in one place. Regression tests cover each.
    enum Policy {
        /// `NONET`: no network access, ever. `IGNORE_ENC`: the bytes are UTF-8 whatever the XML
        /// declaration claims (FHIR requires UTF-8; invalid UTF-8 is an error, never re-read as
        /// Latin-1). Deliberately absent: `NOENT` (entity substitution), `DTDLOAD`, `DTDATTR`,
        /// `DTDVALID` (DTDs), `XINCLUDE`, `RECOVER` (keep going on broken input) and `HUGE` (which
        /// lifts libxml2's limits: 10,000,000 bytes per text node, attribute value or lookahead,
        /// 50,000 per name, 256 levels of nesting).
        static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue)

        /// The names of the `xmlParserOption` flags in `options`, for the regression test that
        /// pins them (and proves the dangerous ones absent).
        static var optionNames: [String] {
            let known: [(xmlParserOption, String)] = [
                (XML_PARSE_RECOVER, "RECOVER"), (XML_PARSE_NOENT, "NOENT"), (XML_PARSE_DTDLOAD, "DTDLOAD"),
                (XML_PARSE_DTDATTR, "DTDATTR"), (XML_PARSE_DTDVALID, "DTDVALID"), (XML_PARSE_NOERROR, "NOERROR"),
                (XML_PARSE_NOWARNING, "NOWARNING"), (XML_PARSE_NONET, "NONET"), (XML_PARSE_XINCLUDE, "XINCLUDE"),
                (XML_PARSE_HUGE, "HUGE"), (XML_PARSE_IGNORE_ENC, "IGNORE_ENC"), (XML_PARSE_BIG_LINES, "BIG_LINES"),
            ]
            return known.filter { options & Int32($0.0.rawValue) != 0 }.map(\.1)
        }

        /// The bytes are read as UTF-8, never guessed from the declaration or a BOM.
        static let encoding = XML_CHAR_ENCODING_UTF8

        /// The largest attribute value, text node or lookahead libxml2 accepts without `HUGE`.
        /// A larger one fails with libxml2's "AttValue length too long" or "Huge input lookup".
        static let maximumValueBytes = 10_000_000

        /// The deepest nesting libxml2 accepts without `HUGE` ("Excessive depth in document").
        static let maximumDepth = 256

        /// Installs the process-wide external entity loader that refuses everything.
        ///
        /// `NONET` alone still let libxml2 read `file:///` URLs once entities were substituted: the
        /// default loader only refuses network schemes. This loader returns no input for any URL,
        /// so no DTD, entity or XInclude can ever be read from disk or network. It is installed
        /// again before every parse, in case other code in the process (FoundationXML) replaced it.
        static func installEntityLoader() {
            xmlSetExternalEntityLoader { _, _, _ in nil }
        }

        /// True when the loader in force returns nothing for `url`: the regression check that the
        /// deny-all loader is installed and does what it says.
        static func externalEntityLoaderRefuses(_ url: String) -> Bool {
            _ = initialized
            installEntityLoader()
            // A loader that returned input is the failure this check exists to catch; the input is
            // not freed (its free function is not in the headers the shim exposes).
            return xmlLoadExternalEntity(url, nil, nil) == nil
        }

        /// `xmlInitParser` once per process, before any parser is used from any thread.
        static let initialized: Void = xmlInitParser()
    }

    private let context: ParseContext
    private let parser: xmlParserCtxtPtr

    /// Prepares to parse the bytes `read` supplies. `read` fills the buffer it is given and returns
    /// how many bytes it wrote, 0 at the end; its errors come out of `parse` unchanged.
    init(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        _ = Policy.initialized
        Policy.installEntityLoader()
        let context = ParseContext(read: read)
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { userData, localName, _, uri, _, _, attributeCount, _, attributes in
            guard let userData else { return }
            ParseContext.from(userData).startElement(localName, uri, Int(attributeCount), attributes)
        }
        handler.endElementNs = { userData, _, _, _ in
            guard let userData else { return }
            ParseContext.from(userData).endElement()
        }
        handler.serror = { userData, error in
            guard let userData, let error else { return }
            ParseContext.from(userData).record(error.pointee)
        }
        // Second line of defence behind `XMLPrologGuard`: a DOCTYPE that reached the parser stops it
        // before its internal subset is read, and no entity is ever looked up or resolved.
        handler.internalSubset = { userData, _, _, _ in
            guard let userData else { return }
            ParseContext.from(userData).refuseDeclaration()
        }
        handler.externalSubset = { userData, _, _, _ in
            guard let userData else { return }
            ParseContext.from(userData).refuseDeclaration()
        }
        handler.getEntity = { _, _ in nil }
        handler.getParameterEntity = { _, _ in nil }
        handler.resolveEntity = { _, _, _ in nil }
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        guard let parser = xmlCreateIOParserCtxt(
            &handler, opaque,
            { userData, buffer, length in
                guard let userData, let buffer, length > 0 else { return -1 }
                return ParseContext.from(userData).fill(buffer, Int(length))
            },
            { _ in 0 },
            opaque, Policy.encoding)
        else {
            throw XMLStreamError.malformed(message: "libxml2 could not create a parser", code: 0, line: 0, column: 0)
        }
        xmlCtxtUseOptions(parser, Policy.options)
        // Whatever process-wide defaults other code set: no substitution, no DTD loading or validation.
        parser.pointee.replaceEntities = 0
        parser.pointee.loadsubset = 0
        parser.pointee.validate = 0
        parser.pointee.recovery = 0
        context.parser = parser
        self.context = context
        self.parser = parser
    }

    deinit {
        xmlFreeParserCtxt(parser)
    }

    /// Bytes handed to libxml2 so far.
    var bytesRead: Int64 { context.bytesRead }

    /// Parses the whole document, calling `handler` for every element. Throws the first problem:
    /// the source's or the handler's own error unchanged, else an `XMLStreamError` with position.
    func parse(into handler: any XMLEventHandler) throws {
        context.handler = handler
        defer { context.handler = nil }
        let status = xmlParseDocument(parser)
        if let failure = context.failure { throw failure }
        if let problem = context.problem { throw problem }
        guard status == 0, parser.pointee.wellFormed != 0 else {
            throw XMLStreamError.malformed(
                message: "the document is not well-formed", code: Int(parser.pointee.errNo),
                line: Int(parser.pointee.input?.pointee.line ?? 0), column: Int(parser.pointee.input?.pointee.col ?? 0))
        }
    }
}

/// What the C callbacks reach through their user-data pointer: the byte source, the prolog guard,
/// the handler, and the first problem. Owned by the `XMLStreamReader`, which outlives the parse.
private final class ParseContext {
    let read: (UnsafeMutableRawBufferPointer) throws -> Int
    var handler: (any XMLEventHandler)?
    var parser: xmlParserCtxtPtr?
    var guardian = XMLPrologGuard()
    var bytesRead: Int64 = 0
    /// An error of the source or the handler, rethrown unchanged.
    var failure: (any Error)?
    /// The first parse problem (libxml2's or the policy's).
    var problem: XMLStreamError?
    /// Element names by libxml2 dictionary pointer: the dictionary keeps each name at one address
    /// for the parser's lifetime, so a name is decoded once, not once per element.
    /// A direct-mapped cache (256 slots by pointer bits) in front of a dictionary: a FHIR document
    /// has a few dozen distinct names, and hashing a pointer per element showed in profiles.
    var nameSlots = [(pointer: UnsafeRawPointer?, name: String)](repeating: (nil, ""), count: 256)
    var names: [UnsafeRawPointer: String] = [:]
    var lastNamespace: (pointer: UnsafeRawPointer, namespace: XMLStartTag.Namespace)?
    var namespaces: [UnsafeRawPointer: XMLStartTag.Namespace] = [:]
    var isRootPending = true

    init(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.read = read
    }

    static func from(_ pointer: UnsafeMutableRawPointer) -> ParseContext {
        Unmanaged<ParseContext>.fromOpaque(pointer).takeUnretainedValue()
    }

    var isStopped: Bool { failure != nil || problem != nil }

    func fill(_ buffer: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32 {
        guard !isStopped else { return -1 }
        let destination = UnsafeMutableRawBufferPointer(start: buffer, count: length)
        // libxml2's pull parser expects each read to fill its buffer unless the input has ended:
        // a short read in the middle of a construct (a chunk boundary) can otherwise be mistaken
        // for a malformed declaration. So keep reading until the buffer is full or the source ends.
        var count = 0
        do {
            while count < length {
                let got = try read(UnsafeMutableRawBufferPointer(rebasing: destination[count...]))
                if got <= 0 { break }
                count += got
            }
        } catch {
            failure = error
            return -1
        }
        guard count > 0 else { return 0 }
        bytesRead += Int64(count)
        if !guardian.isDone,
           case .refuse(let reason, let line, let column) = guardian.inspect(UnsafeRawBufferPointer(rebasing: destination[0..<count])) {
            problem = .refused(what: reason, line: line, column: column)
            return -1
        }
        return Int32(count)
    }

    func startElement(
        _ localName: UnsafePointer<UInt8>?, _ uri: UnsafePointer<UInt8>?, _ attributeCount: Int,
        _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    ) {
        guard !isStopped, let handler, let localName else { return }
        let namePointer = UnsafeRawPointer(localName)
        let slot = Int(truncatingIfNeeded: UInt(bitPattern: namePointer) >> 3) & 255
        let name: String
        if nameSlots[slot].pointer == namePointer {
            name = nameSlots[slot].name
        } else {
            name = names[namePointer] ?? decodeName(localName)
            nameSlots[slot] = (namePointer, name)
        }
        let namespace: XMLStartTag.Namespace
        if let uri {
            let uriPointer = UnsafeRawPointer(uri)
            if let last = lastNamespace, last.pointer == uriPointer {
                namespace = last.namespace
            } else {
                namespace = namespaces[uriPointer] ?? decodeNamespace(uri)
                lastNamespace = (uriPointer, namespace)
            }
        } else {
            namespace = .none
        }
        var line = Int(parser?.pointee.input?.pointee.line ?? 0)
        var column = Int(parser?.pointee.input?.pointee.col ?? 0)
        if isRootPending {
            // The guard saw exactly where the root's `<` is; libxml2 is already past the tag.
            isRootPending = false
            line = guardian.rootLine ?? line
            column = guardian.rootColumn ?? column
        }
        let tag = XMLStartTag(
            localName: name, namespace: namespace, line: line, column: column,
            attributes: attributes.map { UnsafePointer($0) }, attributeCount: attributeCount)
        do {
            try handler.startElement(tag)
        } catch {
            stop(error)
        }
    }

    func endElement() {
        guard !isStopped, let handler else { return }
        do {
            try handler.endElement()
        } catch {
            stop(error)
        }
    }

    func record(_ error: xmlError) {
        // Warnings (namespace URI oddities and the like) do not stop a FHIR import.
        guard problem == nil, failure == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let text = error.message.map { String(cString: $0) } ?? "unknown error"
        let message = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        if let limit = XMLParserLimits.limit(in: message) {
            problem = .limitExceeded(limit: limit, line: Int(error.line), column: Int(error.int2))
        } else {
            problem = .malformed(
                message: XMLParserLimits.withoutAdvice(message), code: Int(error.code), line: Int(error.line), column: Int(error.int2))
        }
    }

    func refuseDeclaration() {
        guard !isStopped else { return }
        let line = Int(parser?.pointee.input?.pointee.line ?? 0)
        let column = Int(parser?.pointee.input?.pointee.col ?? 0)
        problem = .refused(what: "a document type declaration (<!DOCTYPE …>)", line: line, column: column)
        if let parser { xmlStopParser(parser) }
    }

    private func stop(_ error: any Error) {
        failure = error
        if let parser { xmlStopParser(parser) }
    }

    private func decodeName(_ pointer: UnsafePointer<UInt8>) -> String {
        let name = String(cString: pointer)
        names[UnsafeRawPointer(pointer)] = name
        return name
    }

    private func decodeNamespace(_ pointer: UnsafePointer<UInt8>) -> XMLStartTag.Namespace {
        let namespace = XMLStartTag.Namespace(uri: String(cString: pointer))
        namespaces[UnsafeRawPointer(pointer)] = namespace
        return namespace
    }
}
