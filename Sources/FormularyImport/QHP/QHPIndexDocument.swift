import Foundation

/// An issuer's `cms-data-index.json`: where its plans, drugs and provider files are published.
///
/// The importer never downloads (fetching is the refresh command's job); it only uses the URLs'
/// file names to find the files saved next to the index.
struct QHPIndexDocument: Hashable, Sendable {
    var planURLs: [String] = []
    var formularyURLs: [String] = []
    var providerURLs: [String] = []

    private static let keys = JSONKeySet(["plan_urls", "formulary_urls", "provider_urls"])

    /// Reads the whole document; each list may be absent or null (read as empty).
    static func read(_ reader: JSONReader) throws -> QHPIndexDocument {
        var document = QHPIndexDocument()
        try reader.readObject(keys: keys) { key in
            var urls: [String] = []
            if try !reader.readNull() {
                try reader.readArray { urls.append(try reader.readString()) }
            }
            switch key {
            case 0: document.planURLs = urls
            case 1: document.formularyURLs = urls
            default: document.providerURLs = urls
            }
        }
        try reader.finish()
        return document
    }

    /// The file name a URL's path ends in (`…/data/drugs-1.json?v=2` → `drugs-1.json`), percent-decoded.
    static func fileName(of url: String) -> String? {
        let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        let trimmed = path.split(separator: "#", maxSplits: 1).first.map(String.init) ?? path
        let afterScheme = trimmed.range(of: "://").map { String(trimmed[$0.upperBound...]) } ?? trimmed
        guard !trimmed.hasSuffix("/"), afterScheme.contains("/") || !trimmed.contains("://"),
            let last = afterScheme.split(separator: "/").last
        else { return nil }
        let name = String(last)
        return name.removingPercentEncoding ?? name
    }
}
