/// One line of delimited text as the scanner found it, viewed in place.
///
/// The bytes and field bounds point into the scanner's chunk or carry buffer, so a line is valid
/// only inside the callback that receives it: copy out what you keep (usually a few short
/// `String`s). That is what keeps per-row work free of allocations.
struct ScannedLine {
    /// The line's bytes without its LF and without up to two CRs before it.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The exclusive end of each field in `bytes`; a field starts one byte after the previous end.
    let fieldEnds: UnsafeBufferPointer<Int>
    /// 1-based line number in the file, counting every LF-terminated line.
    let number: Int
    /// Offset of the line's first byte from the start of the file.
    let byteOffset: Int64
    /// False for a last line that ended with the file instead of an LF: a possible truncation.
    let isTerminated: Bool
    /// True when some byte is 0x80 or above, so encoding checks run only on the rare lines that need them.
    let hasNonASCII: Bool
    /// The position in `bytes` of the line's first NUL byte, or -1 when it has none. Stored as a
    /// plain `Int` (not an optional) because the line is built per row on the hot path: the
    /// optional measured a few percent slower in a release build of the scanner. Read it through
    /// `firstNUL`.
    let nulPosition: Int

    var fieldCount: Int { fieldEnds.count }

    /// The position in `bytes` of the line's first NUL byte, if it has one: text tables never do,
    /// so it marks a damaged, binary or UTF-16 file.
    var firstNUL: Int? { nulPosition < 0 ? nil : nulPosition }

    /// Where field `index` starts in `bytes`.
    @inline(__always)
    func fieldStart(_ index: Int) -> Int {
        index == 0 ? 0 : fieldEnds[index - 1] + 1
    }

    /// The bytes of field `index` (0-based), without the delimiter.
    @inline(__always)
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[fieldStart(index) ..< fieldEnds[index]])
    }

    /// The field that holds byte `position` of the line.
    func fieldIndex(containing position: Int) -> Int {
        for index in 0 ..< fieldEnds.count where position <= fieldEnds[index] {
            return index
        }
        return max(fieldEnds.count - 1, 0)
    }
}
