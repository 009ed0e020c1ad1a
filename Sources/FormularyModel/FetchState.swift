import Foundation

/// What a refresh last saw of a source: the validators for a conditional request, and the hash
/// of the content last imported, which decides whether a new import is needed.
public struct FetchState: Hashable, Codable, Sendable {
    public var sourceName: String
    /// The file path or URL the content came from.
    public var location: String
    /// HTTP `ETag` of the last response, sent back as `If-None-Match`.
    public var etag: String?
    /// HTTP `Last-Modified` of the last response, sent back as `If-Modified-Since`.
    public var lastModified: String?
    /// SHA-256 of the content last imported (for a folder, of its files' hashes in name order).
    public var contentSHA256: String?
    public var checkedAt: Date
    /// The snapshot the content was imported as.
    public var snapshotID: Int64?

    public init(sourceName: String, location: String, etag: String? = nil, lastModified: String? = nil,
                contentSHA256: String? = nil, checkedAt: Date, snapshotID: Int64? = nil) {
        self.sourceName = sourceName
        self.location = location
        self.etag = etag
        self.lastModified = lastModified
        self.contentSHA256 = contentSHA256
        self.checkedAt = checkedAt
        self.snapshotID = snapshotID
    }
}
