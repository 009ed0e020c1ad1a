import Foundation
import FormularyModel

/// Reads one pipe-delimited table file into a `DelimitedRowConsumer`: streams and hashes the
/// bytes, binds columns by header name, checks each row's shape and encoding, and books bad
/// rows in the `ProblemLedger` with file, line, column and value.
///
/// Checks done here, before the consumer sees a row: the row holds no NUL byte (named with its
/// byte offset), the field count matches the header (a last line without a terminator and too
/// few fields is reported as truncated), and every byte is valid in the table's encoding. Blank
/// lines are skipped. A header with a NUL byte or a UTF-16 byte order mark fails the file.
struct DelimitedTableReader {
    typealias Summary = TableReadSummary

    var file: InputFile
    /// What the file is read as, for the sink (`basic drugs formulary`).
    var role: String
    var encoding: TextEncoding
    /// Whether a header without rows is a problem (the Part D basic formulary must have rows).
    var requiresRows = false
    /// Rows between progress reports.
    var progressInterval = 100_000
    var chunkSize = InputFile.defaultChunkSize
    var maximumLineLength = 16 << 20

    /// Ends the read at a file problem; never escapes `read`.
    private struct StopReading: Error {}

    /// Reads the whole file. Row and file problems go to `ledger`; errors from the sink and
    /// from I/O are thrown.
    func read<Consumer: DelimitedRowConsumer>(
        into consumer: inout Consumer, sink: any ImportSink, ledger: inout ProblemLedger,
        progress: (any ImportProgressReporting)?
    ) throws -> Summary {
        try sink.beginFile(name: file.displayName, role: role)
        // One value holds the state of the pass, so the per-line callback touches one variable.
        var pass = Pass(reader: self, consumer: consumer, ledger: ledger, progress: progress)
        defer {
            consumer = pass.consumer
            ledger = pass.ledger
        }
        let digest: ContentDigest
        do {
            digest = try file.scanLines(chunkSize: chunkSize, maximumLineLength: maximumLineLength) { try pass.handle($0) }
        } catch is StopReading {
            return pass.summary
        } catch let tooLong as DelimitedLineScanner.LineTooLong {
            pass.fileProblem(
                line: tooLong.line,
                expected: "lines of at most \(tooLong.limit) bytes; the line at byte offset \(tooLong.byteOffset) is longer (is this a pipe-delimited text file?)"
            )
            return pass.summary
        }

        if pass.columnNames.isEmpty {
            pass.fileProblem(
                line: 0,
                expected: digest.byteCount == 0
                    ? "a header line; the file is empty (0 bytes)"
                    : "a header line; the file has only blank lines"
            )
            return pass.summary
        }
        if requiresRows, pass.summary.rows == 0, pass.summary.badRows == 0 {
            pass.fileProblem(line: 0, expected: "data rows after the header; the file has no rows")
            return pass.summary
        }
        try pass.consumer.finish()
        try sink.finishFile(sha256: digest.sha256, byteCount: digest.byteCount)
        pass.summary.digest = digest
        progress?.importProgress(file: file.displayName, bytesRead: digest.byteCount, totalBytes: file.byteCount, rows: pass.summary.rows)
        return pass.summary
    }

    /// The state of one read: the consumer, the ledger, the header and the tallies.
    private struct Pass<Consumer: DelimitedRowConsumer> {
        let reader: DelimitedTableReader
        var consumer: Consumer
        var ledger: ProblemLedger
        let progress: (any ImportProgressReporting)?
        var summary = Summary()
        /// The header's names; empty until the header is read.
        var columnNames: [String] = []
        /// The header's field count, cached apart from the names so rows never touch the array.
        var headerCount = -1

        var fileName: String { reader.file.displayName }

        mutating func fileProblem(line: Int, field: String? = nil, value: String? = nil, expected: String) {
            ledger.fileProblem(RowProblem(file: fileName, line: line, field: field, value: value, expected: expected))
        }

        mutating func handle(_ line: ScannedLine) throws {
            if line.bytes.isEmpty { return }
            if headerCount < 0 {
                columnNames = try reader.bindHeader(line, into: &consumer, ledger: &ledger)
                headerCount = columnNames.count
                return
            }
            if let position = line.firstNUL {
                rejectNUL(at: position, of: line)
                return
            }
            if line.fieldCount != headerCount {
                rejectFieldCount(line)
                return
            }
            if line.hasNonASCII, let position = reader.encoding.firstInvalidByte(in: line.bytes) {
                rejectByte(at: position, of: line)
                return
            }
            do {
                try consumer.consume(DelimitedRow(line: line, encoding: reader.encoding))
            } catch let problem as FieldProblem {
                let field = problem.column.map { $0 < columnNames.count ? columnNames[$0] : "column \($0 + 1)" }
                reject(line, field: field, value: problem.value, expected: problem.expected)
                return
            }
            summary.rows += 1
            if summary.rows % max(1, reader.progressInterval) == 0 {
                let bytesRead = line.byteOffset + Int64(line.bytes.count)
                progress?.importProgress(file: fileName, bytesRead: bytesRead, totalBytes: reader.file.byteCount, rows: summary.rows)
            }
        }

        private mutating func rejectFieldCount(_ line: ScannedLine) {
            let found = "\(line.fieldCount) field\(line.fieldCount == 1 ? "" : "s")"
            let expected = !line.isTerminated && line.fieldCount < headerCount
                ? "\(headerCount) fields as in the header; the last line has \(found) and no line terminator, so the file looks truncated"
                : "\(headerCount) fields as in the header, found \(found)"
            reject(line, field: nil, value: DelimitedTableReader.rawText(line), expected: expected)
        }

        private mutating func rejectNUL(at position: Int, of line: ScannedLine) {
            let column = line.fieldIndex(containing: position)
            let field = column < columnNames.count ? columnNames[column] : "column \(column + 1)"
            reject(
                line, field: field, value: DelimitedTableReader.visibleText(line.field(column)),
                expected: "text without NUL bytes; "
                    + DelimitedTableReader.nulFinding(offset: line.byteOffset + Int64(position), line: line.number)
            )
        }

        private mutating func rejectByte(at position: Int, of line: ScannedLine) {
            let encoding = reader.encoding
            let column = line.fieldIndex(containing: position)
            let offset = line.byteOffset + Int64(position)
            let what = encoding == .ascii ? "is not ASCII" : "is undefined in Windows-1252"
            reject(
                line, field: columnNames[column], value: TextEncoding.displayText(line.field(column)),
                expected: "\(encoding.displayName) text; byte 0x\(DelimitedTableReader.hex(line.bytes[position])) at byte offset \(offset) \(what)"
            )
        }

        private mutating func reject(_ line: ScannedLine, field: String?, value: String?, expected: String) {
            summary.badRows += 1
            ledger.reject(
                RowProblem(file: fileName, line: line.number, field: field, value: value, expected: expected),
                raw: DelimitedTableReader.rawText(line)
            )
        }
    }

    /// Reads the header, binds the consumer's columns and books missing ones. Throws `StopReading`
    /// when the rows cannot be read.
    fileprivate func bindHeader<Consumer: DelimitedRowConsumer>(
        _ line: ScannedLine, into consumer: inout Consumer, ledger: inout ProblemLedger
    ) throws -> [String] {
        let name = file.displayName
        var bytes = line.bytes
        // A byte-order mark from an editor's "save as UTF-8".
        if line.number == 1, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeBufferPointer(rebasing: bytes[3...])
        }
        if line.number == 1, bytes.count >= 2, (bytes[0], bytes[1]) == (0xFF, 0xFE) || (bytes[0], bytes[1]) == (0xFE, 0xFF) {
            ledger.fileProblem(RowProblem(
                file: name, line: 0,
                expected: "ASCII or Windows-1252 text; the file starts with a UTF-16 byte order mark (0x\(Self.hex(bytes[0]))"
                    + " 0x\(Self.hex(bytes[1]))), so it is UTF-16: convert it to UTF-8 or ASCII first (e.g. iconv -f UTF-16 -t UTF-8)"
            ))
            throw StopReading()
        }
        if let position = line.firstNUL {
            ledger.fileProblem(RowProblem(
                file: name, line: line.number, value: Self.visibleText(bytes),
                expected: "an ASCII header of column names; "
                    + Self.nulFinding(offset: line.byteOffset + Int64(position), line: line.number)
            ))
            throw StopReading()
        }
        if let position = bytes.firstIndex(where: { $0 >= 0x80 }) {
            ledger.fileProblem(RowProblem(
                file: name, line: line.number, value: TextEncoding.displayText(bytes),
                expected: "an ASCII header of column names; byte 0x\(Self.hex(bytes[position])) at byte offset \(line.byteOffset + Int64(position)) is not ASCII"
            ))
            throw StopReading()
        }
        let names = String(decoding: bytes, as: UTF8.self)
            .split(separator: "|", omittingEmptySubsequences: false)
            .map { String($0).trimmingCharacters(in: .whitespaces) }
        var binder = ColumnBinder(names: names)
        consumer.bind(&binder)
        for column in binder.missing {
            ledger.fileProblem(RowProblem(
                file: name, line: line.number, field: column,
                expected: "a \(column) column in the header; the header has \(names.joined(separator: ", "))"
            ))
        }
        for column in binder.ambiguous {
            ledger.fileProblem(RowProblem(
                file: name, line: line.number, field: column,
                expected: "the header to name \(column) once; it names it more than once"
            ))
        }
        if !binder.missing.isEmpty || !binder.ambiguous.isEmpty { throw StopReading() }
        return names
    }

    /// Where a NUL byte is, and what it means.
    fileprivate static func nulFinding(offset: Int64, line: Int) -> String {
        "a NUL byte (0x00) is at byte offset \(offset) (line \(line)): "
            + "a text table never holds one, so the file is damaged there, binary, or UTF-16"
    }

    /// Bytes for a message, NUL bytes shown as `\0` so the message stays printable.
    fileprivate static func visibleText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        TextEncoding.displayText(bytes).replacingOccurrences(of: "\u{0}", with: "\\0")
    }

    /// The row's text for a reject record, cut to a sane length.
    fileprivate static func rawText(_ line: ScannedLine) -> String {
        line.excerpt(TextEncoding.displayText)
    }

    fileprivate static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
