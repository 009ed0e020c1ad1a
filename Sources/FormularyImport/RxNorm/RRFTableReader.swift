import Foundation
import FormularyModel

/// Reads one RRF file into an `RRFRowConsumer`: streams and hashes the bytes through the shared
/// `DelimitedLineScanner`, checks each line's shape, and books bad rows in the `ProblemLedger`
/// with file, line, column and value.
///
/// `DelimitedTableReader` cannot do this job: it binds columns from a header, and RRF files have
/// none. What this reader checks before a consumer sees a row is the RRF contract: exactly the
/// table's columns, each followed by `|`, so a line splits into one more field than there are
/// columns and the last is empty. Blank lines are skipped. Encoding is left to the consumers,
/// which check the few fields they keep: rows of other sources pass through uninspected.
struct RRFTableReader {
    /// What one read produced; `rows` counts well-formed rows, whether or not the consumer kept
    /// anything from them.
    typealias Summary = TableReadSummary

    var file: InputFile
    var table: RRFTable
    /// Rows between progress reports.
    var progressInterval = 250_000
    var chunkSize = InputFile.defaultChunkSize
    /// RRF lines are short (RXNSAT's longest values are a few kilobytes); a longer line means
    /// the file is not RRF, and the cap keeps the scanner's carry buffer from growing with it.
    var maximumLineLength = 1 << 20

    /// Reads the whole file. Row and file problems go to `ledger`; errors from the sink and from
    /// I/O are thrown.
    func read<Consumer: RRFRowConsumer>(
        into consumer: inout Consumer, sink: any ImportSink, ledger: inout ProblemLedger,
        progress: (any ImportProgressReporting)?
    ) throws -> Summary {
        try sink.beginFile(name: file.displayName, role: table.role)
        var pass = Pass(reader: self, consumer: consumer, ledger: ledger, progress: progress)
        defer {
            consumer = pass.consumer
            ledger = pass.ledger
        }
        let digest: ContentDigest
        do {
            digest = try file.scanLines(chunkSize: chunkSize, maximumLineLength: maximumLineLength) { try pass.handle($0) }
        } catch let tooLong as DelimitedLineScanner.LineTooLong {
            pass.ledger.fileProblem(RowProblem(
                file: file.displayName, line: tooLong.line,
                expected: "lines of at most \(tooLong.limit) bytes; the line at byte offset \(tooLong.byteOffset) is longer (is this an RRF file?)"
            ))
            return pass.summary
        }
        try pass.consumer.finish()
        try sink.finishFile(sha256: digest.sha256, byteCount: digest.byteCount)
        pass.summary.digest = digest
        progress?.importProgress(file: file.displayName, bytesRead: digest.byteCount, totalBytes: file.byteCount, rows: pass.summary.rows)
        return pass.summary
    }

    /// The state of one read, in one value so the per-line callback touches one variable.
    private struct Pass<Consumer: RRFRowConsumer> {
        let reader: RRFTableReader
        var consumer: Consumer
        var ledger: ProblemLedger
        let progress: (any ImportProgressReporting)?
        var summary = Summary()

        mutating func handle(_ line: ScannedLine) throws {
            if line.bytes.isEmpty { return }
            let expectedFields = reader.table.fieldCount
            if line.fieldCount != expectedFields || !line.field(expectedFields - 1).isEmpty {
                rejectShape(line)
                return
            }
            do {
                try consumer.consume(RRFRow(line: line))
            } catch let problem as FieldProblem {
                let names = reader.table.columnNames
                let field = problem.column.map { $0 < names.count ? names[$0] : "field \($0 + 1)" }
                reject(line, field: field, value: problem.value, expected: problem.expected)
                return
            }
            summary.rows += 1
            if summary.rows % max(1, reader.progressInterval) == 0 {
                let bytesRead = line.byteOffset + Int64(line.bytes.count)
                progress?.importProgress(file: reader.file.displayName, bytesRead: bytesRead, totalBytes: reader.file.byteCount, rows: summary.rows)
            }
        }

        /// A line that is not the table's columns each ended by `|`.
        private mutating func rejectShape(_ line: ScannedLine) {
            let columns = reader.table.columnNames.count
            let layout = "\(columns) fields, each followed by | (\(reader.table.rawValue) lines split into \(columns + 1) at the |)"
            let expected: String
            if line.fieldCount == reader.table.fieldCount {
                expected = "\(layout); this line has text after its last |"
            } else if !line.isTerminated, line.fieldCount < reader.table.fieldCount {
                expected = "\(layout); the last line splits into \(line.fieldCount) and has no line terminator, so the file looks truncated"
            } else if line.fieldCount == columns {
                expected = "\(layout); this line splits into \(columns): a field or the trailing | is missing"
            } else {
                expected = "\(layout); this line splits into \(line.fieldCount)"
            }
            reject(line, field: nil, value: RRFTableReader.rawText(line), expected: expected)
        }

        private mutating func reject(_ line: ScannedLine, field: String?, value: String?, expected: String) {
            summary.badRows += 1
            ledger.reject(
                RowProblem(file: reader.file.displayName, line: line.number, field: field, value: value, expected: expected),
                raw: RRFTableReader.rawText(line)
            )
        }
    }

    /// The row's text for a message or a reject record, cut to a sane length.
    fileprivate static func rawText(_ line: ScannedLine) -> String {
        line.excerpt { String(decoding: $0, as: UTF8.self) }
    }
}
