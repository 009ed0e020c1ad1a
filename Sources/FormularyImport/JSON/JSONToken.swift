/// One lexical unit of JSON as `JSONTokenizer` reports it.
///
/// A string in key position is its own token (`key`), with the following `:` already consumed,
/// so a consumer never has to track whether a string is a name or a value.
public enum JSONToken: UInt8, Hashable, Sendable {
    case beginObject
    case endObject
    case beginArray
    case endArray
    case key
    case string
    case number
    case `true`
    case `false`
    case null
    /// The single top-level value ended and only whitespace followed it.
    case endOfDocument

    /// What a person would call this token in "expected …, found …".
    public var displayName: String {
        switch self {
        case .beginObject: "an object"
        case .endObject: "the end of an object"
        case .beginArray: "an array"
        case .endArray: "the end of an array"
        case .key: "an object key"
        case .string: "a string"
        case .number: "a number"
        case .true: "true"
        case .false: "false"
        case .null: "null"
        case .endOfDocument: "the end of the document"
        }
    }

    /// True for tokens that start a value.
    var startsValue: Bool {
        switch self {
        case .beginObject, .beginArray, .string, .number, .true, .false, .null: true
        case .endObject, .endArray, .key, .endOfDocument: false
        }
    }
}
