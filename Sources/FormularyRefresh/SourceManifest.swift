import Foundation
import Yams
import FormularyModel

/// The list of sources a refresh keeps current, read from YAML (or JSON, which is YAML too).
///
/// ```yaml
/// sources:
///   - name: partd-2026            # letters, digits, '.', '_' or '-'; the snapshot source name
///     format: partd               # auto (default), partd, qhp, fhir, reference or rxnorm
///     location: https://example.org/SPUF_2026_20260115.zip   # a URL, or a path relative to this file
///     sha256: 3a64…               # optional: the content must hash to this
///     maxBytes: 3000000000        # optional: refuse larger downloads (default 4 GiB)
///     allowShrink: false          # optional: accept a snapshot that drops over half the previous one
/// ```
///
/// Optional top-level settings: `alerts: DIR` (where watchlist alerts go, relative to this file)
/// and `notifyCommand: CMD` (receives each alert's JSON on stdin).
public struct SourceManifest: Hashable, Sendable {
    /// One source to keep current.
    public struct Source: Hashable, Sendable {
        public var name: String
        /// `nil` means detect from the content.
        public var format: SourceFormat?
        public var location: Location
        public var sha256: String?
        public var maxBytes: Int64?
        /// Accept a snapshot that drops more than half of the previous one's plans, formularies or lines.
        public var allowShrink: Bool = false
        /// The manifest line that declares it, for messages.
        public var line: Int
    }

    /// Where a source's content lives.
    public enum Location: Hashable, Sendable, CustomStringConvertible {
        case file(URL)
        case http(URL)

        public var description: String {
            switch self {
            case .file(let url): url.path
            case .http(let url): url.absoluteString
            }
        }
    }

    public var sources: [Source]
    /// Where watchlist alerts go (`alerts:`, relative to the manifest's folder); nil: the default.
    public var alerts: URL?
    /// A command that receives each alert's JSON on stdin (`notifyCommand:`), run with `/bin/sh -c`.
    public var notifyCommand: String?

    static let formats: [String: SourceFormat?] = [
        "auto": nil, "partd": .partD, "qhp": .qhp, "fhir": .fhir, "reference": .drugReference, "rxnorm": .rxnorm,
    ]
    static let keys: Set<String> = ["name", "format", "location", "sha256", "maxBytes", "allowShrink"]
    static let topKeys: Set<String> = ["sources", "alerts", "notifyCommand"]

    /// Reads and validates a manifest; errors name the file and line.
    public static func load(from url: URL) throws -> SourceManifest {
        let file = url.path
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw RefreshError.invalidManifest(file: file, line: 0, message: "cannot read the manifest: \(error.localizedDescription)")
        }
        return try parse(text, file: file, base: url.deletingLastPathComponent())
    }

    /// Parses manifest text; relative paths resolve against the folder `base`.
    public static func parse(_ text: String, file: String, base: URL) throws -> SourceManifest {
        let base = URL(fileURLWithPath: base.path, isDirectory: true)
        func fail(_ node: Node?, _ message: String) -> RefreshError {
            .invalidManifest(file: file, line: (node?.mark?.line ?? 0), message: message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw RefreshError.invalidManifest(file: file, line: 0, message: "not valid YAML: \(error)")
        }
        guard let root, let top = root.mapping else { throw fail(root, "expected a mapping with a `sources` list") }
        for (key, _) in top {
            guard let name = key.string, topKeys.contains(name) else {
                throw fail(key, "unknown key `\(key.string ?? "?")`; allowed at the top: \(topKeys.sorted().joined(separator: ", "))")
            }
        }
        guard let list = top["sources"]?.sequence else { throw fail(root, "expected `sources:` with a list of sources") }
        var alerts: URL?
        if let node = top["alerts"] {
            guard let text = node.string, !text.isEmpty, !text.contains("://") else { throw fail(node, "`alerts` must be a folder path") }
            alerts = URL(fileURLWithPath: (text as NSString).expandingTildeInPath, relativeTo: base).standardizedFileURL
        }
        var notifyCommand: String?
        if let node = top["notifyCommand"] {
            guard let text = node.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail(node, "`notifyCommand` must be a command line (run with /bin/sh -c)")
            }
            notifyCommand = text
        }
        var sources: [Source] = []
        var seen: [String: Int] = [:]
        for item in list {
            guard let map = item.mapping else { throw fail(item, "each source is a mapping with name and location") }
            for (key, _) in map {
                guard let name = key.string, keys.contains(name) else {
                    throw fail(key, "unknown key `\(key.string ?? "?")`; allowed: \(keys.sorted().joined(separator: ", "))")
                }
            }
            let line = item.mark?.line ?? 0
            guard let nameNode = map["name"], let name = nameNode.string, !name.isEmpty,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
                throw fail(map["name"] ?? item, "`name` is required: letters, digits, '.', '_' or '-'")
            }
            if let first = seen[name] { throw fail(nameNode, "source `\(name)` is already declared on line \(first)") }
            seen[name] = line
            var format: SourceFormat?
            if let formatNode = map["format"] {
                guard let text = formatNode.string, let known = formats[text.lowercased()] else {
                    throw fail(formatNode, "`format` must be one of \(formats.keys.sorted().joined(separator: ", "))")
                }
                format = known
            }
            guard let locationNode = map["location"], let locationText = locationNode.string, !locationText.isEmpty else {
                throw fail(map["location"] ?? item, "`location` is required: a URL or a path")
            }
            let location: Location
            if let url = URL(string: locationText), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" {
                guard url.host != nil else { throw fail(locationNode, "`location` \(locationText) has no host") }
                location = .http(url)
            } else if locationText.contains("://") {
                throw fail(locationNode, "`location` must be http(s) or a local path, not \(locationText)")
            } else {
                location = .file(URL(fileURLWithPath: locationText, relativeTo: base).standardizedFileURL)
            }
            var sha256: String?
            if let node = map["sha256"] {
                guard let value = node.string?.lowercased(), value.count == 64, value.allSatisfy(\.isHexDigit) else {
                    throw fail(node, "`sha256` must be 64 hexadecimal digits")
                }
                sha256 = value
            }
            var maxBytes: Int64?
            if let node = map["maxBytes"] {
                guard let value = node.int, value > 0 else { throw fail(node, "`maxBytes` must be a positive whole number") }
                maxBytes = Int64(value)
            }
            var allowShrink = false
            if let node = map["allowShrink"] {
                guard let value = node.bool else { throw fail(node, "`allowShrink` must be true or false") }
                allowShrink = value
            }
            sources.append(Source(name: name, format: format, location: location, sha256: sha256, maxBytes: maxBytes,
                                  allowShrink: allowShrink, line: line))
        }
        guard !sources.isEmpty else { throw fail(root, "`sources` is empty") }
        return SourceManifest(sources: sources, alerts: alerts, notifyCommand: notifyCommand)
    }
}
