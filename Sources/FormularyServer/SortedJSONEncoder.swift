import Foundation

/// The API's JSON encoder: the bytes Foundation's `JSONEncoder` writes with `[.sortedKeys,
/// .withoutEscapingSlashes]` and ISO 8601 dates, in a fraction of the time. Foundation's encoder
/// was a sixth of a pre-check's CPU (perf): a class, a dictionary and a coding path per container,
/// then a sort through `String` comparisons. This one gathers each object's keys and values in two
/// arrays and sorts them once, by UTF-8 bytes as Foundation does on Linux.
///
/// Identical output is the contract (`SortedJSONEncoderTests` compares the two on every analysis
/// of the bundled patients and on edge cases). Whatever it does not mirror exactly — a non-finite
/// number (Foundation's error), `superEncoder`, re-opening a key's container — makes it hand the
/// value to `JSONEncoder`, which then answers exactly as before.
enum SortedJSONEncoder {
    /// The encoder this one stands in for, and falls back to.
    static func foundation() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let state = EncodingState()
        if let node = try? JSONNode.of(value, state), !state.unsupported {
            var writer = JSONByteWriter()
            writer.write(node)
            if !writer.repeatedKey { return writer.bytes }
        }
        return Array(try foundation().encode(value))
    }
}

/// Set when a value used something the fast path does not mirror; the caller then falls back.
final class EncodingState {
    var unsupported = false
}

/// Thrown inside the fast path for what only Foundation answers exactly (its error, for example).
struct UnsupportedEncoding: Error {}

/// An encoded value, before writing.
enum JSONNode {
    case null
    case bool(Bool)
    /// A number's text, written as it is.
    case number(String)
    case string(String)
    case array(JSONArrayBox)
    case object(JSONObjectBox)

    /// `value` as Foundation's `JSONEncoder` sees it: dates, data, URLs and decimals by its rules,
    /// everything else through its own `encode(to:)`.
    static func of<T: Encodable>(_ value: T, _ state: EncodingState) throws -> JSONNode {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Date.self { return .string((value as! Date).formatted(.iso8601)) }
        if T.self == Decimal.self { return .number((value as! Decimal).description) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        let encoder = NodeEncoder(state)
        try value.encode(to: encoder)
        return encoder.node ?? .object(JSONObjectBox())
    }

    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws -> JSONNode {
        guard value.isFinite else { throw UnsupportedEncoding() }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }
}

final class JSONArrayBox {
    var items: [JSONNode] = []
}

/// An object's members in the order encoded; sorted when written.
final class JSONObjectBox {
    var keys: [String] = []
    var values: [JSONNode] = []

    func append(_ key: String, _ value: JSONNode) {
        keys.append(key)
        values.append(value)
    }
}

final class NodeEncoder: Encoder {
    let state: EncodingState
    var node: JSONNode?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ state: EncodingState) { self.state = state }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let box)? = node { return KeyedEncodingContainer(KeyedNodeContainer(box: box, state: state)) }
        if node != nil { state.unsupported = true }
        let box = JSONObjectBox()
        node = .object(box)
        return KeyedEncodingContainer(KeyedNodeContainer(box: box, state: state))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let box)? = node { return UnkeyedNodeContainer(box: box, state: state) }
        if node != nil { state.unsupported = true }
        let box = JSONArrayBox()
        node = .array(box)
        return UnkeyedNodeContainer(box: box, state: state)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleNodeContainer(encoder: self) }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONObjectBox
    let state: EncodingState
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { box.append(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.append(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.append(key.stringValue, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { box.append(key.stringValue, try .number(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { box.append(key.stringValue, try .number(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { box.append(key.stringValue, .number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { box.append(key.stringValue, try .of(value, state)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        if box.keys.contains(key.stringValue) { state.unsupported = true }
        let nested = JSONObjectBox()
        box.append(key.stringValue, .object(nested))
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(box: nested, state: state))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        if box.keys.contains(key.stringValue) { state.unsupported = true }
        let nested = JSONArrayBox()
        box.append(key.stringValue, .array(nested))
        return UnkeyedNodeContainer(box: nested, state: state)
    }

    mutating func superEncoder() -> any Encoder {
        state.unsupported = true
        return NodeEncoder(state)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        state.unsupported = true
        return NodeEncoder(state)
    }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let box: JSONArrayBox
    let state: EncodingState
    var codingPath: [any CodingKey] { [] }
    var count: Int { box.items.count }

    mutating func encodeNil() throws { box.items.append(.null) }
    mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.items.append(try .number(value)) }
    mutating func encode(_ value: Float) throws { box.items.append(try .number(value)) }
    mutating func encode(_ value: Int) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { box.items.append(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { box.items.append(try .of(value, state)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        box.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(box: nested, state: state))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        box.items.append(.array(nested))
        return UnkeyedNodeContainer(box: nested, state: state)
    }

    mutating func superEncoder() -> any Encoder {
        state.unsupported = true
        return NodeEncoder(state)
    }
}

struct SingleNodeContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    var codingPath: [any CodingKey] { [] }

    private func set(_ node: JSONNode) {
        if encoder.node != nil { encoder.state.unsupported = true }
        encoder.node = node
    }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try .number(value)) }
    mutating func encode(_ value: Float) throws { set(try .number(value)) }
    mutating func encode(_ value: Int) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { set(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { set(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { set(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { set(try .of(value, encoder.state)) }
}

/// Writes nodes as Foundation's `JSONWriter` does without pretty printing: keys sorted by their
/// UTF-8 bytes, strings escaped as it escapes them, slashes left alone. An object that repeats a
/// key sets `repeatedKey` (Foundation's dictionary keeps one value; the caller falls back to it).
struct JSONByteWriter {
    var bytes: [UInt8] = []
    var repeatedKey = false

    init() { bytes.reserveCapacity(8192) }

    mutating func write(_ node: JSONNode) {
        switch node {
        case .null: append("null")
        case .bool(let value): append(value ? "true" : "false")
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .string(let text): write(string: text)
        case .array(let box):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in box.items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let box):
            bytes.append(UInt8(ascii: "{"))
            let keys = box.keys
            let order = keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) }
            for (position, index) in order.enumerated() {
                if position > 0 {
                    if keys[order[position - 1]] == keys[index] { repeatedKey = true }
                    bytes.append(UInt8(ascii: ","))
                }
                write(string: keys[index])
                bytes.append(UInt8(ascii: ":"))
                write(box.values[index])
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func write(string: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = string
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
