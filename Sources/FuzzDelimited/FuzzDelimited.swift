// Fuzz target for the delimited-line scanner and the table reader on top of it. See Tests/Fuzz/run.sh.
//
// Built with `-D FUZZING` and libFuzzer (`--sanitize=fuzzer`), libFuzzer's `main` drives
// `LLVMFuzzerTestOneInput`. In an ordinary build it is a replay tool instead:
// `FuzzDelimited FILE|FOLDER…` runs each input through the same checks, to reproduce a crash file.
//
// Checks per input, beyond "no crash": the scanner's lines (bytes, fields, numbers, offsets, line
// ends, NUL and non-ASCII marks, the too-long stop) equal a plain model of the input, fed whole and
// in small uneven chunks; and `DelimitedTableReader` over the same bytes as a file accounts for
// every line (a row, a rejected row, or a file problem) with a line number inside the file.
import Foundation
import FormularyImport
import FormularyModel

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Harness.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
@main
enum Replay {
    static func main() {
        let inputs = CommandLine.arguments.dropFirst().flatMap(Harness.files(at:))
        guard !inputs.isEmpty else {
            print("usage: FuzzDelimited FILE|FOLDER… (replays inputs through the fuzz checks)")
            exit(2)
        }
        for input in inputs {
            Harness.check(Array(FileManager.default.contents(atPath: input) ?? Data()))
        }
        print("FuzzDelimited: \(inputs.count) input(s), no failure")
    }
}
#endif

enum Harness {
    /// The files at `path`: the file itself, or the regular files in a folder.
    static func files(at path: String) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard isDirectory(path) else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }.filter { !isDirectory($0) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// FNV-1a: the reading parameters are derived from the input, so a crash file replays exactly.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static func fail(_ what: String, _ bytes: [UInt8]) -> Never {
        fatalError("FuzzDelimited: \(what) (input of \(bytes.count) bytes)")
    }

    /// Where the table reader's file goes: one per process, rewritten for every input.
    static let scratchPath: String = {
        let folder = ProcessInfo.processInfo.environment["FUZZ_SCRATCH"] ?? NSTemporaryDirectory()
        return folder + "/FuzzDelimited-\(getpid()).txt"
    }()

    static func check(_ bytes: [UInt8]) {
        let h = hash(bytes)
        let pipe = UInt8(ascii: "|")
        // Mostly the pipe; sometimes the input's first byte (a CR, an LF, a NUL…) as the delimiter.
        let delimiter = h & 15 == 0 ? (bytes.first ?? pipe) : pipe
        let limit = h >> 4 & 3 == 0 ? 1 + Int(h >> 8 & 255) : 16 << 20
        let expected = model(bytes, delimiter: delimiter, limit: limit)

        let whole = _FuzzEntryPoints.scanLines(bytes, delimiter: delimiter, chunkSizes: [max(1, bytes.count)], maximumLineLength: limit)
        compare(whole, expected, bytes, "fed whole")
        let patterns: [[Int]] = [[1], [1, 2, 3, 5, 8, 13], [7], [64, 1], [4096], (0..<8).map { 1 + Int(h >> UInt64(16 + 5 * $0) & 31) }]
        let chunks = patterns[Int((h >> 12) % UInt64(patterns.count))]
        let chunked = _FuzzEntryPoints.scanLines(bytes, delimiter: delimiter, chunkSizes: chunks, maximumLineLength: limit)
        compare(chunked, expected, bytes, "fed in chunks of \(chunks)")

        checkTable(bytes, h: h, model: delimiter == pipe && limit == 16 << 20 ? expected : model(bytes, delimiter: pipe, limit: 16 << 20))
    }

    // MARK: - Scanner

    struct Line {
        var number: Int
        var byteOffset: Int64
        var bytes: [UInt8]
        var fields: [[UInt8]]
        var isTerminated: Bool
        var hasNonASCII: Bool
        var firstNUL: Int?
        var fieldOfFirstNUL: Int?
    }

    /// What the scanner must produce, computed the plain way: split at LF, drop up to two CRs,
    /// split at the delimiter; stop at the first line (LF excluded, CRs included) over the limit.
    static func model(_ bytes: [UInt8], delimiter: UInt8, limit: Int) -> (lines: [Line], stop: (line: Int, offset: Int64)?) {
        var lines: [Line] = []
        var start = 0
        func add(_ end: Int, terminated: Bool) -> Bool {
            if end - start > limit { return false }
            var count = end - start
            if count > 0, bytes[start + count - 1] == 0x0D {
                count -= 1
                if count > 0, bytes[start + count - 1] == 0x0D { count -= 1 }
            }
            let line = Array(bytes[start..<start + count])
            let fields = line.split(separator: delimiter, omittingEmptySubsequences: false).map(Array.init)
            let nul = line.firstIndex(of: 0)
            var nulField: Int?
            if let nul {
                // The field whose end (its delimiter, or the line's end) is at or after the NUL.
                var fieldEnd = -1
                for (index, field) in fields.enumerated() {
                    fieldEnd += field.count + 1
                    if nul <= fieldEnd {
                        nulField = index
                        break
                    }
                }
            }
            lines.append(Line(
                number: lines.count + 1, byteOffset: Int64(start), bytes: line, fields: fields, isTerminated: terminated,
                hasNonASCII: line.contains { $0 >= 0x80 }, firstNUL: nul, fieldOfFirstNUL: nulField))
            return true
        }
        for index in bytes.indices where bytes[index] == 0x0A {
            guard add(index, terminated: true) else { return (lines, (lines.count + 1, Int64(start))) }
            start = index + 1
        }
        if start < bytes.count {
            guard add(bytes.count, terminated: false) else { return (lines, (lines.count + 1, Int64(start))) }
        }
        return (lines, nil)
    }

    static func compare(
        _ scanned: (lines: [_FuzzEntryPoints.Line], stop: _FuzzEntryPoints.Stop?),
        _ expected: (lines: [Line], stop: (line: Int, offset: Int64)?), _ bytes: [UInt8], _ how: String
    ) {
        if scanned.lines.count != expected.lines.count {
            fail("\(how): \(scanned.lines.count) lines, the model has \(expected.lines.count)", bytes)
        }
        for (got, want) in zip(scanned.lines, expected.lines) {
            let same = got.number == want.number && got.byteOffset == want.byteOffset && got.bytes == want.bytes
                && got.fields == want.fields && got.isTerminated == want.isTerminated && got.hasNonASCII == want.hasNonASCII
                && got.firstNUL == want.firstNUL && got.fieldOfFirstNUL == want.fieldOfFirstNUL
            if !same { fail("\(how): line \(want.number) at byte \(want.byteOffset) is \(got), the model has \(want)", bytes) }
        }
        switch (scanned.stop, expected.stop) {
        case (nil, nil):
            break
        case (let stop?, let want?):
            if stop.line != want.line || stop.byteOffset != want.offset {
                fail("\(how): stopped at line \(stop.line), byte \(String(describing: stop.byteOffset)); the model at line \(want.line), byte \(want.offset)", bytes)
            }
        default:
            fail("\(how): stop \(String(describing: scanned.stop)), the model \(String(describing: expected.stop))", bytes)
        }
    }

    // MARK: - Table reader

    /// `model` is the pipe-delimited model without a length limit.
    static func checkTable(_ bytes: [UInt8], h: UInt64, model: (lines: [Line], stop: (line: Int, offset: Int64)?)) {
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            let descriptor = open(scratchPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            return buffer.count == 0 || write(descriptor, buffer.baseAddress, buffer.count) == buffer.count
        }
        guard written else { fail("cannot write \(scratchPath)", bytes) }
        let limit = h >> 40 & 3 == 0 ? 1 + Int(h >> 42 & 511) : 16 << 20
        let table: _FuzzEntryPoints.Table
        do {
            table = try _FuzzEntryPoints.readTable(
                atPath: scratchPath, windows1252: h >> 50 & 1 == 0, chunkSize: 1 + Int(h >> 51 & 4095),
                maximumLineLength: limit, requiresRows: h >> 63 == 0)
        } catch {
            fail("the table reader threw \(error)", bytes)
        }
        let lineCount = model.lines.count
        let content = model.lines.filter { !$0.bytes.isEmpty }.count
        if table.rows < 0 || table.badRows < 0 || table.rows + table.badRows > max(0, content - 1) {
            fail("table: \(table.rows) rows + \(table.badRows) bad rows, from \(content) non-blank lines with the header", bytes)
        }
        if table.problemTotal < table.badRows || table.rejects.count != table.badRows {
            fail("table: \(table.badRows) bad rows, \(table.problemTotal) problems, \(table.rejects.count) rejects", bytes)
        }
        if let byteCount = table.byteCount {
            // Read through: every line after the header is a row or a bad row, and nothing else went wrong.
            if byteCount != Int64(bytes.count) { fail("table: hashed \(byteCount) of \(bytes.count) bytes", bytes) }
            if table.rows + table.badRows != content - 1 || table.problemTotal != table.badRows {
                fail("table: read through, but \(table.rows) rows + \(table.badRows) bad rows from \(content) non-blank lines, \(table.problemTotal) problems", bytes)
            }
        } else if table.problemTotal == table.badRows {
            fail("table: stopped without a file problem", bytes)
        }
        for problem in table.problems where problem.line < 0 || problem.line > lineCount || problem.expected.isEmpty {
            fail("table: problem at line \(problem.line) of \(lineCount): \(problem)", bytes)
        }
        for reject in table.rejects where reject.line < 1 || reject.line > lineCount || reject.reason.isEmpty {
            fail("table: reject at line \(reject.line) of \(lineCount): \(reject)", bytes)
        }
    }
}
