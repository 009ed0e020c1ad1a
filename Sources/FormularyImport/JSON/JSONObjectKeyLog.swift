/// The keys `JSONReader` has read in its open objects other than those of the consumer's
/// `JSONKeySet` (which cost one bit each in the reader's frame), so a key named twice in one object
/// is found the moment its second copy is read.
///
/// Keys are copied, as bytes, into one growing buffer and tagged with the depth of their object.
/// They stack like the objects: an object's keys are always the top of the log while it reads them
/// (the keys of objects nested in its earlier values left when those closed), and `close(depth:)`
/// drops them. So an object costs nothing when it opens, one comparison when it closes, and a key a
/// byte copy; no allocation once the buffer has grown to the widest path, and no reference counting.
/// A scan is linear in the object's logged keys, so an object with more than `linearLimit` of them
/// moves to a hash set.
///
/// It owns manually allocated memory: the owner calls `release()` exactly once.
struct JSONObjectKeyLog {
    /// Objects with more logged keys than this are checked with a hash set.
    static let linearLimit = 16

    private var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity = 1024
    private var byteCount = 0
    /// Per logged key: its object's depth, its start offset in `bytes` and its length.
    private var entries: UnsafeMutablePointer<(depth: Int, offset: Int, length: Int)>
    private var entryCapacity = 128
    private var count = 0
    /// The keys of objects that outgrew the scan, by depth.
    private var largeObjects: [Int: Set<String>] = [:]

    init() {
        bytes = .allocate(capacity: byteCapacity)
        entries = .allocate(capacity: entryCapacity)
    }

    mutating func release() {
        bytes.deallocate()
        entries.deallocate()
    }

    /// Ends the object at `depth`, forgetting its keys.
    @inline(__always)
    mutating func close(depth: Int) {
        if count > 0 && entries[count - 1].depth == depth { drop(depth: depth) }
        if !largeObjects.isEmpty { largeObjects[depth] = nil }
    }

    /// Records `key` (its UTF-8 bytes) for the innermost open object, at `depth`; false when that
    /// object has it already.
    @inline(__always)
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, depth: Int) -> Bool {
        if !largeObjects.isEmpty, usesSet(depth) { return insertIntoSet(key, depth: depth) }
        var i = count - 1
        while i >= 0 && entries[i].depth == depth {
            if entries[i].length == key.count && equal(key, at: entries[i].offset) { return false }
            i -= 1
        }
        if count - 1 - i < Self.linearLimit {
            append(key, depth: depth)
            return true
        }
        return moveToSet(key, depth: depth, from: i + 1)
    }

    @inline(never)
    private func usesSet(_ depth: Int) -> Bool {
        largeObjects[depth] != nil
    }

    @inline(never)
    private mutating func insertIntoSet(_ key: UnsafeBufferPointer<UInt8>, depth: Int) -> Bool {
        largeObjects[depth, default: []].insert(String(decoding: key, as: UTF8.self)).inserted
    }

    /// An object outgrew the scan: its keys (from entry `first` on) and `key` move to a set and
    /// leave the log.
    @inline(never)
    private mutating func moveToSet(_ key: UnsafeBufferPointer<UInt8>, depth: Int, from first: Int) -> Bool {
        var set = Set((first..<count).map { j in
            String(decoding: UnsafeBufferPointer(start: bytes + entries[j].offset, count: entries[j].length), as: UTF8.self)
        })
        set.insert(String(decoding: key, as: UTF8.self))
        drop(depth: depth)
        largeObjects[depth] = set
        return true
    }

    /// Drops the keys on top of the log that belong to the object at `depth`.
    private mutating func drop(depth: Int) {
        while count > 0 && entries[count - 1].depth == depth { count -= 1 }
        byteCount = count == 0 ? 0 : entries[count - 1].offset + entries[count - 1].length
    }

    @inline(__always)
    private func equal(_ key: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard let base = key.baseAddress else { return true }
        var j = 0
        while j < key.count {
            if bytes[offset + j] != base[j] { return false }
            j += 1
        }
        return true
    }

    private mutating func append(_ key: UnsafeBufferPointer<UInt8>, depth: Int) {
        if byteCount + key.count > byteCapacity {
            let capacity = max(byteCapacity * 2, byteCount + key.count)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = grown
            byteCapacity = capacity
        }
        if count == entryCapacity {
            let grown = UnsafeMutablePointer<(depth: Int, offset: Int, length: Int)>.allocate(capacity: entryCapacity * 2)
            grown.update(from: entries, count: count)
            entries.deallocate()
            entries = grown
            entryCapacity *= 2
        }
        if let base = key.baseAddress { (bytes + byteCount).update(from: base, count: key.count) }
        entries[count] = (depth, byteCount, key.count)
        byteCount += key.count
        count += 1
    }
}
