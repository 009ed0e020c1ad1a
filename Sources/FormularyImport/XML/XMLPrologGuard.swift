/// Looks at the bytes before the root element, before libxml2 sees them, and refuses a document
/// type declaration or a non-UTF-8 byte order mark.
///
/// Why a byte scanner in front of a parser that could refuse a DOCTYPE itself: by the time
/// libxml2 reports the declaration, it has already read its internal subset, and that is where
/// billion-laughs entities and `SYSTEM "file:///etc/passwd"` live. Refusing at the `<!` means no
/// entity is ever declared, so none can be expanded or loaded, whatever the parser's options say.
/// FHIR XML never has a DOCTYPE (nor any DTD), so nothing legitimate is lost.
///
/// It understands only what may precede the root: a UTF-8 BOM, whitespace, the XML declaration and
/// other processing instructions, and comments. The first `<` followed by a name character marks the
/// root element; from then on it stays out of the way. Anything it does not understand it leaves to
/// libxml2, which reports it with its own line and column. Positions count lines at line feeds and
/// columns in bytes, 1-based, like libxml2's.
struct XMLPrologGuard {
    /// What the bytes so far show.
    enum Verdict: Equatable {
        /// Still in the prolog, or past it: hand the bytes on.
        case pass
        /// The document must not be parsed.
        case refuse(reason: String, line: Int, column: Int)
    }

    private enum State {
        case start, afterFirstBOMByte, afterSecondBOMByte
        case between
        case afterLessThan
        case instruction, instructionQuestion
        case afterBang, afterBangDash
        case comment, commentDash, commentDashDash
        case done
    }

    private var state = State.start
    private var line = 1
    private var column = 1
    /// Where `<` was seen, for a refusal that points at the declaration's start.
    private var markupLine = 1
    private var markupColumn = 1

    /// Where the root element's `<` is, once the guard has seen it.
    private(set) var rootLine: Int?
    private(set) var rootColumn: Int?

    /// True once the root element started: later bytes are not inspected.
    var isDone: Bool { state == .done }

    /// Inspects the next bytes of the document.
    mutating func inspect(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        for byte in bytes {
            if state == .done { return .pass }
            if let verdict = step(byte) { return verdict }
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return .pass
    }

    private mutating func step(_ byte: UInt8) -> Verdict? {
        switch state {
        case .start:
            switch byte {
            case 0xEF: state = .afterFirstBOMByte
            case 0xFE, 0xFF, 0x00:
                return .refuse(
                    reason: "UTF-16 or UTF-32 encoding; FHIR XML is read as UTF-8 only: convert the file first "
                        + "(e.g. iconv -f UTF-16 -t UTF-8) and change its XML declaration's encoding to UTF-8",
                    line: line, column: column)
            default:
                state = .between
                return step(byte)
            }
        case .afterFirstBOMByte:
            guard byte == 0xBB else { return .refuse(reason: "bytes that are not a UTF-8 byte order mark", line: line, column: column) }
            state = .afterSecondBOMByte
        case .afterSecondBOMByte:
            guard byte == 0xBF else { return .refuse(reason: "bytes that are not a UTF-8 byte order mark", line: line, column: column) }
            state = .between
        case .between:
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: break
            case UInt8(ascii: "<"):
                markupLine = line
                markupColumn = column
                state = .afterLessThan
            default:
                state = .done  // not markup: libxml2 says what is wrong
            }
        case .afterLessThan:
            switch byte {
            case UInt8(ascii: "?"): state = .instruction
            case UInt8(ascii: "!"): state = .afterBang
            default:
                rootLine = markupLine
                rootColumn = markupColumn
                state = .done
            }
        case .instruction:
            if byte == UInt8(ascii: "?") { state = .instructionQuestion }
        case .instructionQuestion:
            if byte == UInt8(ascii: ">") {
                state = .between
            } else if byte != UInt8(ascii: "?") {
                state = .instruction
            }
        case .afterBang:
            guard byte == UInt8(ascii: "-") else { return refuseDeclaration() }
            state = .afterBangDash
        case .afterBangDash:
            guard byte == UInt8(ascii: "-") else { return refuseDeclaration() }
            state = .comment
        case .comment:
            if byte == UInt8(ascii: "-") { state = .commentDash }
        case .commentDash:
            state = byte == UInt8(ascii: "-") ? .commentDashDash : .comment
        case .commentDashDash:
            if byte == UInt8(ascii: ">") {
                state = .between
            } else if byte != UInt8(ascii: "-") {
                state = .comment
            }
        case .done:
            break
        }
        return nil
    }

    private func refuseDeclaration() -> Verdict {
        .refuse(
            reason: "a document type declaration (<!DOCTYPE …>); DTDs and entities are refused, and FHIR XML never has one",
            line: markupLine, column: markupColumn)
    }
}
