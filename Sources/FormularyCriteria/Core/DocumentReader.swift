import Foundation
import Yams

/// Reads a YAML (or JSON, a subset of YAML's flow style) document as a Yams node tree and pulls
/// typed values out of it, collecting every problem with its file, line, rule and field path
/// instead of stopping at the first: a person fixing a criteria file wants the whole list.
///
/// Yams nodes are not `Sendable` (anchors are classes), so a reader lives only inside one load
/// call and never escapes it.
final class DocumentReader {
    let file: String
    private(set) var issues: [DocumentIssue] = []
    /// The rule id being read, stamped on every issue reported meanwhile.
    var ruleID: String?

    init(file: String) { self.file = file }

    /// The root node, or `nil` after reporting a syntax error (with the parser's line).
    ///
    /// Scalars keep their text (`Resolver.basic`): every reader below interprets values by their
    /// text, and the default resolver ran up to seven regular expressions per scalar whenever a
    /// key was hashed (Yams's duplicate-key check), a third of an API request's time (perf).
    func parse(_ text: String) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: text, .basic) else {
                report(.missingField, nil, "", problem: "the document is empty")
                return nil
            }
            return root
        } catch let error as YamlError {
            var line: Int?
            var column: Int?
            var problem = "\(error)"
            switch error {
            case let .scanner(_, message, mark, _), let .parser(_, message, mark, _), let .composer(_, message, mark, _):
                line = mark.line
                column = mark.column
                problem = message
            case let .duplicatedKeysInMapping(duplicates, context):
                line = context.mark.line
                column = context.mark.column
                problem = "duplicate keys: \(duplicates.joined(separator: ", "))"
            default:
                break
            }
            issues.append(DocumentIssue(kind: .syntax, file: file, line: line, column: column, fieldPath: "", problem: problem))
            return nil
        } catch {
            issues.append(DocumentIssue(kind: .syntax, file: file, line: nil, fieldPath: "", problem: "\(error)"))
            return nil
        }
    }

    func report(_ kind: DocumentIssue.Kind, _ node: Node?, _ path: String, value: String? = nil, problem: String) {
        issues.append(DocumentIssue(kind: kind, file: file, line: node?.mark?.line, column: node?.mark?.column,
                                    ruleID: ruleID, fieldPath: path, value: value, problem: problem))
    }

    /// Throws `DocumentError.invalid` when anything was reported.
    func throwIfInvalid() throws {
        if !issues.isEmpty { throw DocumentError.invalid(file: file, issues: issues) }
    }
}

/// A mapping node with its path, checked against the keys its schema allows.
struct MappingView {
    let node: Node
    let path: String
    let entries: [(key: String, keyNode: Node, value: Node)]

    func value(_ key: String) -> Node? { entries.first { $0.key == key }?.value }
    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

extension DocumentReader {
    /// The node as a mapping; reports a wrong type, and every key not in `allowed`.
    func mapping(_ node: Node, _ path: String, allowed: Set<String>? = nil) -> MappingView? {
        guard case .mapping(let mapping) = node else {
            report(.wrongType, node, path, value: node.scalar?.string, problem: "expected a mapping (key: value lines)")
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            let name = key.scalar?.string ?? "\(key)"
            if let allowed, !allowed.contains(name) {
                let hint = allowed.sorted().joined(separator: ", ")
                report(.unknownKey, key, path.isEmpty ? name : "\(path).\(name)", value: name,
                       problem: "unknown key \"\(name)\"; allowed here: \(hint)")
                continue
            }
            entries.append((name, key, value))
        }
        return MappingView(node: node, path: path, entries: entries)
    }

    /// True when the node is YAML null (`~`, `null`, or empty).
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted { return false }
        return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" || scalar.string == "Null" || scalar.string == "NULL"
    }

    func scalarText(_ node: Node, _ path: String, expected: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(.wrongType, node, path, problem: "expected \(expected), found a \(node.isMapping ? "mapping" : "list")")
            return nil
        }
        return scalar.string
    }

    func string(_ map: MappingView, _ key: String, required: Bool = false) -> String? {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(.missingField, map.node, map.path(key), problem: "\"\(key)\" is required") }
            return nil
        }
        guard let text = scalarText(node, map.path(key), expected: "text") else { return nil }
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty, required {
            report(.missingField, node, map.path(key), problem: "\"\(key)\" must not be empty")
            return nil
        }
        return trimmed
    }

    func int(_ map: MappingView, _ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(.missingField, map.node, map.path(key), problem: "\"\(key)\" is required") }
            return nil
        }
        guard let text = scalarText(node, map.path(key), expected: "a whole number") else { return nil }
        guard let value = Int(text.trimmingSpaces()) else {
            report(.wrongType, node, map.path(key), value: text, problem: "expected a whole number")
            return nil
        }
        if let range, !range.contains(value) {
            report(.invalidValue, node, map.path(key), value: text, problem: "must be within \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    func double(_ map: MappingView, _ key: String, required: Bool = false) -> Double? {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(.missingField, map.node, map.path(key), problem: "\"\(key)\" is required") }
            return nil
        }
        guard let text = scalarText(node, map.path(key), expected: "a number") else { return nil }
        guard let value = Double(text.trimmingSpaces()), value.isFinite else {
            report(.wrongType, node, map.path(key), value: text, problem: "expected a number")
            return nil
        }
        return value
    }

    func bool(_ map: MappingView, _ key: String, required: Bool = false) -> Bool? {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(.missingField, map.node, map.path(key), problem: "\"\(key)\" is required") }
            return nil
        }
        guard let text = scalarText(node, map.path(key), expected: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            report(.wrongType, node, map.path(key), value: text, problem: "expected true or false")
            return nil
        }
    }

    func day(_ map: MappingView, _ key: String, required: Bool = false) -> Day? {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(.missingField, map.node, map.path(key), problem: "\"\(key)\" is required") }
            return nil
        }
        return day(node, map.path(key))
    }

    func day(_ node: Node, _ path: String) -> Day? {
        guard let text = scalarText(node, path, expected: "a date YYYY-MM-DD") else { return nil }
        guard let day = Day(text.trimmingSpaces()) else {
            report(.wrongType, node, path, value: text, problem: "expected a date YYYY-MM-DD")
            return nil
        }
        return day
    }

    /// A list; a single scalar is accepted as a one-element list when `scalarAsList` is set.
    func list(_ map: MappingView, _ key: String, required: Bool = false, scalarAsList: Bool = false) -> [(node: Node, path: String)] {
        guard let node = map.value(key), !isNull(node) else {
            if required { report(.missingField, map.node, map.path(key), problem: "\"\(key)\" is required") }
            return []
        }
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().map { (node: $0.element, path: "\(map.path(key))[\($0.offset)]") }
        case .scalar where scalarAsList:
            return [(node, map.path(key))]
        default:
            report(.wrongType, node, map.path(key), problem: "expected a list")
            return []
        }
    }

    /// A list of text values (a single scalar is one value).
    func strings(_ map: MappingView, _ key: String, required: Bool = false) -> [String] {
        list(map, key, required: required, scalarAsList: true).compactMap { item in
            scalarText(item.node, item.path, expected: "text").map { $0.trimmingSpaces() }
        }
    }
}

extension Node {
    var isMapping: Bool { if case .mapping = self { true } else { false } }
}
