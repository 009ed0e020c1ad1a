import Foundation
import FormularyModel

/// Entry points for the fuzz targets only (`Sources/FuzzDelimited`, `Sources/FuzzXML`, run by
/// `Tests/Fuzz/run.sh`). Not API: nothing else calls them, and they change with the fuzz targets.
///
/// The delimited-line scanner, the table reader and the XML reader are internal, and the fuzz
/// targets build in release for speed, where `@testable import` is unavailable. So each entry point
/// runs one of them over the bytes it is given and copies what came out into plain values, which
/// the fuzz target checks against its own model of the input. The JSON tokenizer and reader are
/// public already and need no entry point.
public enum _FuzzEntryPoints {
    /// Why a scan or a parse stopped, and where; `line` is -1 for an error that carries no position.
    public struct Stop: Equatable, Sendable {
        public var message: String
        public var line: Int
        public var column: Int
        public var byteOffset: Int64?
    }

    // MARK: - Delimited text

    /// One line as `DelimitedLineScanner` handed it out, copied out of the callback.
    public struct Line: Equatable, Sendable {
        public var number: Int
        public var byteOffset: Int64
        public var bytes: [UInt8]
        /// Each field through `ScannedLine.field(_:)`.
        public var fields: [[UInt8]]
        public var isTerminated: Bool
        public var hasNonASCII: Bool
        public var firstNUL: Int?
        /// `ScannedLine.fieldIndex(containing:)` of the first NUL.
        public var fieldOfFirstNUL: Int?
    }

    /// Feeds `bytes` to a `DelimitedLineScanner` in chunks of `chunkSizes` (cycled), then finishes it.
    public static func scanLines(
        _ bytes: [UInt8], delimiter: UInt8, chunkSizes: [Int], maximumLineLength: Int
    ) -> (lines: [Line], stop: Stop?) {
        var scanner = DelimitedLineScanner(delimiter: delimiter, maximumLineLength: maximumLineLength)
        var lines: [Line] = []
        let collect: (ScannedLine) throws -> Void = { line in
            lines.append(Line(
                number: line.number, byteOffset: line.byteOffset, bytes: Array(line.bytes),
                fields: (0..<line.fieldCount).map { Array(line.field($0)) }, isTerminated: line.isTerminated,
                hasNonASCII: line.hasNonASCII, firstNUL: line.firstNUL,
                fieldOfFirstNUL: line.firstNUL.map { line.fieldIndex(containing: $0) }))
        }
        do {
            var start = 0
            var turn = 0
            while start < bytes.count {
                let end = min(bytes.count, start + max(1, chunkSizes.isEmpty ? .max : chunkSizes[turn % chunkSizes.count]))
                try bytes[start..<end].withUnsafeBytes { try scanner.feed($0, collect) }
                start = end
                turn += 1
            }
            try scanner.finish(collect)
        } catch let tooLong as DelimitedLineScanner.LineTooLong {
            return (lines, Stop(message: "line longer than \(tooLong.limit) bytes", line: tooLong.line, column: 0, byteOffset: tooLong.byteOffset))
        } catch {
            return (lines, Stop(message: "\(error)", line: -1, column: 0, byteOffset: nil))
        }
        return (lines, nil)
    }

    /// What `DelimitedTableReader` made of a file.
    public struct Table: Sendable {
        public var rows: Int
        public var badRows: Int
        /// The bytes hashed; nil when a file problem stopped the read.
        public var byteCount: Int64?
        public var problems: [RowProblem]
        public var problemTotal: Int
        public var rejects: [RejectedRow]
    }

    /// Reads the pipe-delimited file at `path` through `DelimitedTableReader`, with a consumer that
    /// reads each column the way the Part D readers read columns of its name (`_YN` a flag, `TIER`
    /// a code, amounts as decimals, days as whole numbers, anything else as text).
    public static func readTable(
        atPath path: String, windows1252: Bool, chunkSize: Int, maximumLineLength: Int, requiresRows: Bool
    ) throws -> Table {
        let file = InputFile(displayName: "fuzz.txt", location: .file(URL(fileURLWithPath: path)), byteCount: nil)
        var reader = DelimitedTableReader(file: file, role: "fuzz", encoding: windows1252 ? .windows1252 : .ascii)
        reader.chunkSize = chunkSize
        reader.maximumLineLength = maximumLineLength
        reader.requiresRows = requiresRows
        var consumer = FuzzRowConsumer()
        var ledger = ProblemLedger(maxRejects: 1 << 20)
        let summary = try reader.read(into: &consumer, sink: FuzzSink(), ledger: &ledger, progress: nil)
        return Table(
            rows: summary.rows, badRows: summary.badRows, byteCount: summary.digest?.byteCount,
            problems: ledger.problems, problemTotal: ledger.total, rejects: ledger.rejects)
    }

    // MARK: - XML

    /// One element event of `XMLStreamReader`.
    public enum XMLEvent: Equatable, Sendable {
        /// `value` is `XMLStartTag.attribute("value")`; `attributes` is `attributes("value", "url", "id")`.
        case start(name: String, namespace: String, line: Int, column: Int, value: String?, attributes: [String?])
        case end
    }

    /// Parses `bytes` with `XMLStreamReader`, supplying at most `chunkSize` bytes per read.
    public static func parseXML(_ bytes: [UInt8], chunkSize: Int) -> (events: [XMLEvent], stop: Stop?) {
        final class Recorder: XMLEventHandler {
            var events: [XMLEvent] = []
            func startElement(_ tag: XMLStartTag) throws {
                let (value, url, id) = tag.attributes("value", "url", "id")
                events.append(.start(
                    name: tag.localName, namespace: "\(tag.namespace)", line: tag.line, column: tag.column,
                    value: tag.attribute("value"), attributes: [value, url, id]))
            }
            func endElement() throws { events.append(.end) }
        }
        let recorder = Recorder()
        let stop = parse(bytes, chunkSize: chunkSize, into: recorder)
        return (recorder.events, stop)
    }

    /// Reads `bytes` as FHIR XML the way the import does (`FHIRXMLResourceReader` on `XMLStreamReader`)
    /// and describes each resource delivered: its type, record number, base path and element count.
    public static func readFHIRXML(_ bytes: [UInt8], chunkSize: Int) -> (resources: [String], stop: Stop?) {
        var resources: [String] = []
        let reader = FHIRXMLResourceReader { record in
            func count(_ element: FHIRElement) -> Int { 1 + element.children.reduce(0) { $0 + count($1) } }
            resources.append("\(record.resourceType) #\(record.recordNumber) \(record.render("")) \(count(record.element))")
        }
        let stop = parse(bytes, chunkSize: chunkSize, into: reader)
        return (resources, stop)
    }

    private static func parse(_ bytes: [UInt8], chunkSize: Int, into handler: any XMLEventHandler) -> Stop? {
        var offset = 0
        do {
            let reader = try XMLStreamReader { buffer in
                let count = min(buffer.count, bytes.count - offset, max(1, chunkSize))
                guard count > 0, let base = buffer.baseAddress else { return 0 }
                bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
                offset += count
                return count
            }
            try reader.parse(into: handler)
            return nil
        } catch let error as XMLStreamError {
            return Stop(message: error.localizedDescription, line: error.line, column: error.column, byteOffset: nil)
        } catch {
            return Stop(message: "\(error)", line: -1, column: 0, byteOffset: nil)
        }
    }
}

/// Reads every column of a row by the rules its name suggests, throwing the first `FieldProblem`.
private struct FuzzRowConsumer: DelimitedRowConsumer {
    enum Kind { case text, flag, code, decimal, whole, double }
    var columns: [(position: Int, kind: Kind)] = []

    mutating func bind(_ binder: inout ColumnBinder) {
        for name in binder.names {
            guard let position = binder.optional(name) else { continue }
            let upper = name.uppercased()
            let kind: Kind =
                upper.hasSuffix("_YN") ? .flag
                : upper.hasPrefix("TIER") ? .code
                : upper.contains("AMT") || upper.contains("AMOUNT") || upper == "PREMIUM" || upper == "DEDUCTIBLE" ? .decimal
                : upper.contains("DAYS") ? .whole
                : upper.contains("RATE") ? .double
                : .text
            columns.append((position, kind))
        }
    }

    mutating func consume(_ row: DelimitedRow) throws {
        for (position, kind) in columns {
            switch kind {
            case .text: _ = row.optionalText(position)
            case .flag: _ = try row.flag(position, acceptsDigits: position % 2 == 0)
            case .code: _ = try row.positiveIntegerCode(position)
            case .decimal: _ = try row.optionalDecimal(position)
            case .whole: _ = try row.optionalWholeNumber(position)
            case .double: _ = try row.optionalDouble(position)
            }
        }
    }
}

/// A sink that keeps nothing: the table reader only opens and closes files on it.
private final class FuzzSink: ImportSink {
    func beginFile(name: String, role: String) throws {}
    func finishFile(sha256: String, byteCount: Int64) throws {}
    func add(_ formulary: Formulary) throws {}
    func add(_ plan: Plan) throws {}
    func add(_ tier: TierDefinition) throws {}
    func add(_ costShare: CostShare) throws {}
    func add(_ entry: FormularyEntry) throws {}
    func add(_ indication: IndicationRestriction) throws {}
    func add(_ concept: DrugConcept) throws {}
    func add(_ mapping: NDCMapping) throws {}
}
