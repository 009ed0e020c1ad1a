import Foundation
import Logging

/// A QHP issuer's `cms-data-index.json` names the plans and formulary (drugs) files by URL;
/// a refresh fetches them into one folder, which the QHP importer then reads.
enum QHPIndexExpansion {
    struct Index: Decodable {
        var planURLs: [String]
        var formularyURLs: [String]

        enum CodingKeys: String, CodingKey {
            case planURLs = "plan_urls"
            case formularyURLs = "formulary_urls"
        }
    }

    /// The index, when `url` is a single JSON file shaped like one (small: it is read whole).
    static func indexDocument(at url: URL) throws -> Index? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let size = try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize, size < 1 << 20,
              let data = try? Data(contentsOf: url), data.first(where: { !" \t\r\n".utf8.contains($0) }) == UInt8(ascii: "{")
        else { return nil }
        return try? JSONDecoder().decode(Index.self, from: data)
    }

    /// Fetches every listed file into a new folder and returns it. Relative URLs resolve
    /// against the index's own location.
    static func fetchListedFiles(_ index: Index, base: SourceManifest.Location, into workspace: URL,
                                 fetcher: HTTPFetcher, maxBytes: Int64?, log: Logger) throws -> URL {
        let folder = workspace.appendingPathComponent("qhp-files")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let listed = index.planURLs.enumerated().map { ("plans-\($0.offset + 1).json", $0.element) }
            + index.formularyURLs.enumerated().map { ("drugs-\($0.offset + 1).json", $0.element) }
        for (name, text) in listed {
            let target = folder.appendingPathComponent(name)
            switch base {
            case .http(let indexURL):
                guard let url = URL(string: text, relativeTo: indexURL)?.absoluteURL else {
                    throw RefreshError.transport(url: text, reason: "not a URL")
                }
                try fetchInto(url, target: target, workspace: workspace, fetcher: fetcher, maxBytes: maxBytes, log: log)
            case .file(let indexFile):
                if let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" {
                    try fetchInto(url, target: target, workspace: workspace, fetcher: fetcher, maxBytes: maxBytes, log: log)
                } else {
                    let local = URL(fileURLWithPath: text, relativeTo: indexFile.deletingLastPathComponent())
                    try FileManager.default.copyItem(at: local, to: target)
                }
            }
        }
        return folder
    }

    private static func fetchInto(_ url: URL, target: URL, workspace: URL, fetcher: HTTPFetcher, maxBytes: Int64?, log: Logger) throws {
        log.info("fetching listed file", metadata: ["url": .string(url.absoluteString)])
        switch try fetcher.fetch(url, etag: nil, lastModified: nil, into: workspace, maxBytes: maxBytes) {
        case .notModified:
            throw RefreshError.httpStatus(url: url.absoluteString, status: 304)
        case .downloaded(let file, _, _, _):
            try FileManager.default.moveItem(at: file, to: target)
        }
    }
}
