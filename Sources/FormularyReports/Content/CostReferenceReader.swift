import FormularyCriteria
import Foundation
import Yams

/// Reads the reports' own reference files (`cost_model.yaml`, `appeals.yaml`) as a Yams node tree
/// and pulls typed values out of it, collecting every problem with the file, the line and the key
/// path (`partD[1].outOfPocketCap`) instead of stopping at the first. Problems are
/// `FormularyCriteria.DocumentIssue`s and the load throws `DocumentError.invalid`, as the
/// criteria and the safety rules do, so every front end reports them the same way.
///
/// Yams nodes are not `Sendable`; a reader lives inside one load call and never escapes it.
/// Public only as an opaque type in `ReferenceDocument.parse`; all of it is internal.
public final class ReferenceReader {
    let file: String
    private(set) var issues: [DocumentIssue] = []

    init(file: String) { self.file = file }

    /// A mapping with its key path, checked against the keys its schema allows.
    struct Map {
        let node: Node
        let path: String
        let entries: [(key: String, value: Node)]

        func value(_ key: String) -> Node? { entries.first { $0.key == key }?.value }
        func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    }

    /// The root mapping, or nil after reporting a syntax error with the parser's line.
    func root(_ text: String, allowed: Set<String>) -> Map? {
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else { // scalars read by their text (DocumentReader.parse)
                report(nil, "", problem: "the document is empty", kind: .missingField)
                return nil
            }
            return mapping(node, "", allowed: allowed)
        } catch let error as YamlError {
            var line: Int?
            var problem = "\(error)"
            switch error {
            case let .scanner(_, message, mark, _), let .parser(_, message, mark, _), let .composer(_, message, mark, _):
                line = mark.line
                problem = message
            case let .duplicatedKeysInMapping(duplicates, context):
                line = context.mark.line
                problem = "duplicate keys: \(duplicates.joined(separator: ", "))"
            default:
                break
            }
            issues.append(DocumentIssue(kind: .syntax, file: file, line: line, fieldPath: "", problem: problem))
            return nil
        } catch {
            issues.append(DocumentIssue(kind: .syntax, file: file, line: nil, fieldPath: "", problem: "\(error)"))
            return nil
        }
    }

    func report(_ node: Node?, _ path: String, value: String? = nil, problem: String, kind: DocumentIssue.Kind = .invalidValue) {
        issues.append(DocumentIssue(kind: kind, file: file, line: node?.mark?.line, column: node?.mark?.column,
                                    fieldPath: path, value: value, problem: problem))
    }

    /// Throws `DocumentError.invalid` when anything was reported.
    func throwIfInvalid() throws {
        if !issues.isEmpty { throw DocumentError.invalid(file: file, issues: issues) }
    }

    /// The node as a mapping; reports a wrong type, every key not in `allowed`, and every key in
    /// `required` that is missing.
    func mapping(_ node: Node, _ path: String, allowed: Set<String>, required: Set<String> = []) -> Map? {
        guard case .mapping(let mapping) = node else {
            report(node, path, value: node.scalar?.string, problem: "expected a mapping (key: value lines)", kind: .wrongType)
            return nil
        }
        var entries: [(key: String, value: Node)] = []
        for (key, value) in mapping {
            let name = key.scalar?.string ?? "\(key)"
            guard allowed.contains(name) else {
                report(key, path.isEmpty ? name : "\(path).\(name)", value: name,
                       problem: "unknown key \"\(name)\"; allowed here: \(allowed.sorted().joined(separator: ", "))", kind: .unknownKey)
                continue
            }
            entries.append((name, value))
        }
        let map = Map(node: node, path: path, entries: entries)
        for key in required.sorted() where map.value(key) == nil {
            report(node, map.path(key), problem: "\"\(key)\" is required", kind: .missingField)
        }
        return map
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private func scalar(_ node: Node, _ path: String, expected: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, path, problem: "expected \(expected), found a \(node.mapping != nil ? "mapping" : "list")", kind: .wrongType)
            return nil
        }
        return scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Non-empty text.
    func text(_ map: Map, _ key: String, required: Bool = true) -> String? {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(map.node, map.path(key), problem: "\"\(key)\" is required", kind: .missingField) }
            return nil
        }
        guard let text = scalar(node, map.path(key), expected: "text") else { return nil }
        if text.isEmpty {
            report(node, map.path(key), problem: "\"\(key)\" must not be empty", kind: .missingField)
            return nil
        }
        return text
    }

    /// A citation: required, non-empty text.
    func citation(_ map: Map, _ key: String = "citation") -> String? {
        guard let node = map.value(key), !isNull(node) else {
            report(map.node, map.path(key), problem: "every number needs its source: \"\(key)\" is required", kind: .missingCitation)
            return nil
        }
        return text(map, key)
    }

    /// A decimal number (dollars, fractions) read from its text, never through a Double.
    func decimal(_ map: Map, _ key: String, required: Bool = true, range: ClosedRange<Decimal>? = nil) -> Decimal? {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(map.node, map.path(key), problem: "\"\(key)\" is required", kind: .missingField) }
            return nil
        }
        guard let text = scalar(node, map.path(key), expected: "a number") else { return nil }
        guard text.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil, let value = Decimal(string: text) else {
            report(node, map.path(key), value: text, problem: "expected a number such as 615 or 0.20", kind: .wrongType)
            return nil
        }
        if let range, !range.contains(value) {
            report(node, map.path(key), value: text, problem: "must be within \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    func int(_ map: Map, _ key: String, required: Bool = true, range: ClosedRange<Int>) -> Int? {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(map.node, map.path(key), problem: "\"\(key)\" is required", kind: .missingField) }
            return nil
        }
        guard let text = scalar(node, map.path(key), expected: "a whole number") else { return nil }
        guard let value = Int(text) else {
            report(node, map.path(key), value: text, problem: "expected a whole number", kind: .wrongType)
            return nil
        }
        guard range.contains(value) else {
            report(node, map.path(key), value: text, problem: "must be within \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    func bool(_ map: Map, _ key: String, required: Bool = true) -> Bool? {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(map.node, map.path(key), problem: "\"\(key)\" is required", kind: .missingField) }
            return nil
        }
        guard let text = scalar(node, map.path(key), expected: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            report(node, map.path(key), value: text, problem: "expected true or false", kind: .wrongType)
            return nil
        }
    }

    /// A list of nodes with their paths (`routes[2]`).
    func list(_ map: Map, _ key: String, required: Bool = true) -> [(node: Node, path: String)] {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(map.node, map.path(key), problem: "\"\(key)\" is required", kind: .missingField) }
            return []
        }
        guard case .sequence(let sequence) = node else {
            report(node, map.path(key), problem: "expected a list", kind: .wrongType)
            return []
        }
        if sequence.isEmpty, required { report(node, map.path(key), problem: "\"\(key)\" must list at least one entry", kind: .missingField) }
        return sequence.enumerated().map { (node: $0.element, path: "\(map.path(key))[\($0.offset)]") }
    }

    /// A list of non-empty texts.
    func texts(_ map: Map, _ key: String, required: Bool = true) -> [String] {
        list(map, key, required: required).compactMap { item in
            guard let text = scalar(item.node, item.path, expected: "text") else { return nil }
            if text.isEmpty { report(item.node, item.path, problem: "must not be empty", kind: .missingField) }
            return text.isEmpty ? nil : text
        }
    }

    /// The header every reference file starts with: `schema` (exactly `expected`), `version`,
    /// `source`.
    func header(_ root: Map, schema expected: String) -> (version: String, source: String) {
        if let schema = text(root, "schema"), schema != expected {
            report(root.value("schema"), "schema", value: schema, problem: "expected \(expected)")
        }
        return (text(root, "version") ?? "", text(root, "source") ?? "")
    }

    /// Reports the second and later entries with the same key in a list (`year: 2026` twice).
    func checkUnique<Key: Hashable>(_ items: [(key: Key, node: Node, path: String)], what: String) {
        var seen = Set<Key>()
        for item in items where !seen.insert(item.key).inserted {
            report(item.node, item.path, value: "\(item.key)", problem: "a second \(what) \(item.key)", kind: .duplicate)
        }
    }
}

/// Reading a reference file from disk, with the path in the error when it cannot be read.
enum ReferenceFile {
    static func read(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DocumentError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
    }
}

/// A reference file the reports read (`cost_model.yaml`, `appeals.yaml`): loaded from a folder,
/// a path or text, and validated as a whole before any of it is used.
public protocol ReferenceDocument: Sendable {
    /// The file's name in a reference folder.
    static var fileName: String { get }
    /// Parses `text`, recording every problem in `reader`; nil when the text cannot be read at all.
    static func parse(_ text: String, _ reader: ReferenceReader) -> Self?
}

extension ReferenceDocument {
    /// Loads and validates the file named `fileName` in `directory`.
    public static func load(directory: String) throws -> Self {
        try load(path: (directory as NSString).appendingPathComponent(fileName))
    }

    public static func load(path: String) throws -> Self {
        try load(text: ReferenceFile.read(path), file: path)
    }

    /// Validates `text`; throws `DocumentError.invalid` listing every problem (file, line, key).
    public static func load(text: String, file: String) throws -> Self {
        let reader = ReferenceReader(file: file)
        let document = parse(text, reader)
        try reader.throwIfInvalid()
        guard let document else { throw DocumentError.invalid(file: file, issues: reader.issues) }
        return document
    }
}
