import Foundation

/// A push-based splitter of delimited text into lines and fields, working on raw bytes.
///
/// Callers feed it chunks as they arrive (from `read(2)` or a zip entry's decompressor) and get
/// each complete line back in place, without copying, while lines that straddle a chunk boundary
/// are stitched in a reused carry buffer. Lines end at LF; up to two CRs before the LF are dropped,
/// so LF, CRLF and CR CR LF files (a CRLF file passed once more through a text-mode converter)
/// read the same. Fields split on every delimiter byte: the Part D files have no quoting. There is
/// no whole-file `String` anywhere, so memory stays constant whatever the file size.
///
/// NUL bytes are found with one `memchr` per chunk; only a chunk that holds one (and a line carried
/// over from an earlier chunk) is searched line by line, so the common path pays nothing per line.
struct DelimitedLineScanner {
    /// Thrown when a line grows past `maximumLineLength`, which protects memory from a file
    /// without line ends (a binary file, a wrong delimiter).
    struct LineTooLong: Error, Hashable, Sendable {
        var line: Int
        var byteOffset: Int64
        var limit: Int
    }

    let delimiter: UInt8
    let maximumLineLength: Int

    /// Bytes of a line that started in an earlier chunk and has not ended yet.
    private var carry: [UInt8] = []
    /// Reused storage for one line's field ends; it grows to the widest line and stays.
    private var fieldEnds: [Int] = []
    /// Lines handed out so far; the next line's number is this plus one.
    private(set) var lineCount = 0
    /// Bytes fed so far.
    private(set) var bytesConsumed: Int64 = 0

    init(delimiter: UInt8 = UInt8(ascii: "|"), maximumLineLength: Int = 16 << 20) {
        self.delimiter = delimiter
        self.maximumLineLength = maximumLineLength
    }

    /// Splits `chunk` and calls `body` for every line it completes.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (ScannedLine) throws -> Void) throws {
        guard let raw = chunk.baseAddress, chunk.count > 0 else { return }
        // Work on locals so the callback can run while the buffers are borrowed.
        var pending: [UInt8] = []
        var ends: [Int] = []
        swap(&pending, &carry)
        swap(&ends, &fieldEnds)
        defer {
            swap(&pending, &carry)
            swap(&ends, &fieldEnds)
        }

        let start = raw.assumingMemoryBound(to: UInt8.self)
        let end = start + chunk.count
        let chunkOffset = bytesConsumed
        bytesConsumed += Int64(chunk.count)
        var cursor = start
        let chunkHasNUL = memchr(raw, 0, chunk.count) != nil

        if !pending.isEmpty {
            let lineOffset = chunkOffset - Int64(pending.count)
            guard let lf = Self.findLineFeed(from: cursor, to: end) else {
                pending.append(contentsOf: UnsafeBufferPointer(start: cursor, count: end - cursor))
                try checkLength(pending.count, offset: lineOffset)
                return
            }
            pending.append(contentsOf: UnsafeBufferPointer(start: cursor, count: lf - cursor))
            try checkLength(pending.count, offset: lineOffset)
            try pending.withUnsafeBufferPointer { line in
                try emit(line, offset: lineOffset, terminated: true, findNUL: true, ends: &ends, body)
            }
            pending.removeAll(keepingCapacity: true)
            cursor = lf + 1
        }

        while cursor < end {
            let lineOffset = chunkOffset + Int64(cursor - start)
            guard let lf = Self.findLineFeed(from: cursor, to: end) else {
                try checkLength(end - cursor, offset: lineOffset)
                pending.append(contentsOf: UnsafeBufferPointer(start: cursor, count: end - cursor))
                break
            }
            try checkLength(lf - cursor, offset: lineOffset)
            try emit(
                UnsafeBufferPointer(start: cursor, count: lf - cursor), offset: lineOffset, terminated: true,
                findNUL: chunkHasNUL, ends: &ends, body)
            cursor = lf + 1
        }
    }

    /// Hands out a last line that has no LF, if there is one. Call once, after the last chunk.
    mutating func finish(_ body: (ScannedLine) throws -> Void) throws {
        guard !carry.isEmpty else { return }
        var pending: [UInt8] = []
        var ends: [Int] = []
        swap(&pending, &carry)
        swap(&ends, &fieldEnds)
        defer {
            pending.removeAll(keepingCapacity: true)
            swap(&pending, &carry)
            swap(&ends, &fieldEnds)
        }
        let lineOffset = bytesConsumed - Int64(pending.count)
        try pending.withUnsafeBufferPointer { line in
            try emit(line, offset: lineOffset, terminated: false, findNUL: true, ends: &ends, body)
        }
    }

    private func checkLength(_ length: Int, offset: Int64) throws {
        if length > maximumLineLength {
            throw LineTooLong(line: lineCount + 1, byteOffset: offset, limit: maximumLineLength)
        }
    }

    /// Splits one line into fields and hands it to `body`.
    ///
    /// A first pass counts delimiters (and notes any byte of 0x80 or more); a second writes the
    /// field ends into `ends`, which only ever grows, so a row costs no allocation and one
    /// uniqueness check instead of one per field. `findNUL` asks for a search for a NUL byte,
    /// which the caller requests only when the line may hold one.
    private mutating func emit(
        _ line: UnsafeBufferPointer<UInt8>, offset: Int64, terminated: Bool, findNUL: Bool, ends: inout [Int],
        _ body: (ScannedLine) throws -> Void
    ) throws {
        lineCount += 1
        var count = line.count
        if count > 0, line[count - 1] == 0x0D {
            count -= 1
            if count > 0, line[count - 1] == 0x0D { count -= 1 }
        }
        let bytes = UnsafeBufferPointer(rebasing: line[0 ..< count])
        var nulPosition = -1
        if findNUL, count > 0, let base = bytes.baseAddress, let found = memchr(base, 0, count) {
            nulPosition = UnsafeRawPointer(found) - UnsafeRawPointer(base)
        }
        let delimiter = self.delimiter
        var seen: UInt8 = 0
        var fieldCount = 1
        for byte in bytes {
            seen |= byte
            fieldCount &+= byte == delimiter ? 1 : 0
        }
        if ends.count < fieldCount {
            ends.append(contentsOf: repeatElement(0, count: fieldCount - ends.count))
        }
        let number = lineCount
        try ends.withUnsafeMutableBufferPointer { storage in
            var field = 0
            for index in 0 ..< count where bytes[index] == delimiter {
                storage[field] = index
                field += 1
            }
            storage[field] = count
            let fieldEnds = UnsafeBufferPointer(UnsafeMutableBufferPointer(rebasing: storage[0 ..< fieldCount]))
            try body(ScannedLine(
                bytes: bytes, fieldEnds: fieldEnds, number: number, byteOffset: offset,
                isTerminated: terminated, hasNonASCII: seen >= 0x80, nulPosition: nulPosition
            ))
        }
    }

    /// The next LF at or after `cursor`, found with `memchr` (vectorized in libc).
    @inline(__always)
    private static func findLineFeed(from cursor: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        guard let found = memchr(cursor, 0x0A, end - cursor) else { return nil }
        return UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
    }
}

/// What reading one table file produced (`DelimitedTableReader`, `RRFTableReader`).
struct TableReadSummary: Hashable, Sendable {
    /// Rows the consumer accepted.
    var rows = 0
    /// Rows booked as problems.
    var badRows = 0
    /// `nil` when a file problem (a runaway line, a missing column, an empty file) kept the
    /// file from being read through.
    var digest: ContentDigest?
}

extension InputFile {
    /// Streams and hashes the file through a `DelimitedLineScanner`, handing `handle` every line.
    /// Throws `DelimitedLineScanner.LineTooLong` at a line longer than `maximumLineLength`.
    func scanLines(chunkSize: Int, maximumLineLength: Int, _ handle: (ScannedLine) throws -> Void) throws -> ContentDigest {
        var scanner = DelimitedLineScanner(maximumLineLength: maximumLineLength)
        let digest = try stream(chunkSize: chunkSize) { chunk in
            try scanner.feed(chunk, handle)
        }
        try scanner.finish(handle)
        return digest
    }
}

extension ScannedLine {
    /// The line's text for a message or a reject record, cut at 4 KiB.
    func excerpt(_ decode: (UnsafeBufferPointer<UInt8>) -> String) -> String {
        let limit = 4096
        if bytes.count <= limit { return decode(bytes) }
        return decode(UnsafeBufferPointer(rebasing: bytes[0 ..< limit])) + "…"
    }
}
