/// A small materialized JSON value: for one array element or one resource at a time, never for a
/// whole large document (use `JSONReader`'s streaming calls for that).
///
/// Numbers keep their source text, so no precision is lost before a caller picks `Decimal` or `Double`.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written (`0.10`, `2e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; duplicate keys are kept as written.
    case object([Member])

    /// One object member.
    public struct Member: Hashable, Sendable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The first member named `key`, when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The element at `index`, when this is an array and the index exists.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }
}
