/// Cuts a byte source into NDJSON lines: each line reads as a whole JSON document of its own, so
/// the shared tokenizer (which accepts one top-level value) reads FHIR bulk-export files unchanged.
///
/// Call `nextLine()` to move to the next line that is not blank, then hand this source to a new
/// `JSONReader`: `read` returns the line's bytes and then 0, as if the input ended at the newline.
/// A class so that reader and caller share one position in the underlying source.
final class NDJSONLineSource: JSONByteSource {
    private var base: any JSONByteSource
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var baseEnded = false
    /// True while the current line still has bytes to hand out.
    private var inLine = false

    /// The 1-based number of the current line.
    private(set) var lineNumber = 0
    /// The byte offset of the current line's start in the whole input.
    private(set) var lineOffset: Int64 = 0
    private var consumed: Int64 = 0

    init(base: any JSONByteSource, chunkSize: Int = 1 << 20) {
        self.base = base
        buffer = .allocate(byteCount: max(64, chunkSize), alignment: 64)
    }

    deinit {
        buffer.deallocate()
    }

    /// Moves past the rest of the current line to the next one holding something other than
    /// whitespace. Returns false at the end of the input.
    func nextLine() throws -> Bool {
        while inLine {
            guard try fill() else { break }
            if let newline = newlineIndex() {
                advance(to: newline + 1)
                inLine = false
            } else {
                advance(to: end)
            }
        }
        inLine = false
        while true {
            guard try fill() else { return false }
            let byte = buffer[start]
            if byte == 0x0A {
                lineNumber += 1
                advance(to: start + 1)
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                // A line of only whitespace is skipped whole; otherwise its leading blanks belong to it.
                if isBlankRest() { continue }
                beginLine()
                return true
            } else {
                beginLine()
                return true
            }
        }
    }

    func read(into destination: UnsafeMutableRawBufferPointer) throws -> Int {
        guard inLine, try fill() else {
            inLine = false
            return 0
        }
        let limit = newlineIndex() ?? end
        if limit == start {
            // At the line's newline: it ends the line (and is not counted again by `nextLine`).
            advance(to: start + 1)
            inLine = false
            return 0
        }
        let count = min(destination.count, limit - start)
        guard count > 0, let target = destination.baseAddress, let source = buffer.baseAddress else { return 0 }
        target.copyMemory(from: source + start, byteCount: count)
        advance(to: start + count)
        return count
    }

    private func beginLine() {
        lineNumber += 1
        lineOffset = consumed
        inLine = true
    }

    /// Whether the current line, from `start`, holds only whitespace; if so it is consumed whole.
    private func isBlankRest() -> Bool {
        var index = start
        while index < end {
            let byte = buffer[index]
            if byte == 0x0A {
                lineNumber += 1
                advance(to: index + 1)
                return true
            }
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { return false }
            index += 1
        }
        return false
    }

    private func newlineIndex() -> Int? {
        var index = start
        while index < end {
            if buffer[index] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    private func advance(to index: Int) {
        consumed += Int64(index - start)
        start = index
    }

    /// Makes at least one unread byte available; false at the end of the input.
    private func fill() throws -> Bool {
        if start < end { return true }
        guard !baseEnded else { return false }
        start = 0
        end = try base.read(into: buffer)
        if end == 0 { baseEnded = true }
        return end > 0
    }
}
