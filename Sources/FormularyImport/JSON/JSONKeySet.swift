/// A fixed set of object keys a reader matches by bytes, so hot loops (millions of drug-plan
/// entries) neither build a `String` per key nor compare strings one by one.
public struct JSONKeySet: Sendable {
    /// The keys, in the order their indexes refer to.
    public let names: [String]
    /// Returned for a key not in the set.
    public static let unknown = -1

    private let flat: [UInt8]
    private let starts: [Int]
    private let lengths: [Int]

    public init(_ names: [String]) {
        self.names = names
        var flat: [UInt8] = []
        var starts: [Int] = []
        var lengths: [Int] = []
        for name in names {
            starts.append(flat.count)
            lengths.append(name.utf8.count)
            flat.append(contentsOf: name.utf8)
        }
        self.flat = flat
        self.starts = starts
        self.lengths = lengths
    }

    /// The index of `key` (UTF-8 bytes) in `names`, or `JSONKeySet.unknown`.
    public func index(of key: UnsafeBufferPointer<UInt8>) -> Int {
        let count = key.count
        return flat.withUnsafeBufferPointer { flat in
            for i in 0..<lengths.count where lengths[i] == count {
                let start = starts[i]
                var equal = true
                var j = 0
                while j < count {
                    if flat[start + j] != key[j] {
                        equal = false
                        break
                    }
                    j += 1
                }
                if equal { return i }
            }
            return JSONKeySet.unknown
        }
    }
}
