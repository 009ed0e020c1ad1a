/// The bounds a JSON reader enforces so hostile input fails cleanly instead of exhausting memory or stack.
///
/// The defaults are far above anything a formulary file needs and far below what would hurt:
/// a 16 MiB string is sixteen times the largest free-text field seen in published files, and the
/// buffer that holds one token never grows past that plus one read chunk.
public struct JSONLimits: Hashable, Sendable {
    /// Maximum container nesting. Deeper input fails with `JSONError.limitExceeded` (no recursion is involved).
    public var maxDepth: Int
    /// Maximum bytes of one string or key as written in the file (escapes counted as written).
    public var maxStringBytes: Int
    /// Maximum bytes of one number literal.
    public var maxNumberBytes: Int

    public init(maxDepth: Int = 512, maxStringBytes: Int = 16 << 20, maxNumberBytes: Int = 1024) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxNumberBytes = maxNumberBytes
    }

    /// 512 levels, 16 MiB strings, 1 KiB numbers.
    public static let `default` = JSONLimits()
}
