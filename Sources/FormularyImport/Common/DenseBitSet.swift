/// A set of small non-negative integers stored one bit each.
///
/// The basic formulary must have one row per (FORMULARY_ID, RXCUI). Each distinct RXCUI gets a
/// dense number, and each formulary keeps a bit set over those numbers, so checking 1.5 M rows
/// (or 15 M) costs a few kilobytes per formulary instead of a hash set of every pair.
struct DenseBitSet: Hashable, Sendable {
    private var words: [UInt64] = []

    /// Adds `member`; returns false when it was already there.
    @inline(__always)
    mutating func insert(_ member: Int) -> Bool {
        let word = member >> 6
        let mask = UInt64(1) << UInt64(member & 63)
        if word >= words.count {
            words.append(contentsOf: repeatElement(0, count: word - words.count + 1))
        }
        if words[word] & mask != 0 { return false }
        words[word] |= mask
        return true
    }

    @inline(__always)
    func contains(_ member: Int) -> Bool {
        let word = member >> 6
        return word < words.count && words[word] & (UInt64(1) << UInt64(member & 63)) != 0
    }
}
