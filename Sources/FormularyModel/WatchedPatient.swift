import Foundation

/// A patient profile saved to the watchlist, so a refresh can re-run its analysis and tell the
/// people helping them when a verdict flips. The profile is sensitive: it lives only in the
/// database (mode 0600) and is never logged.
public struct WatchedPatient: Hashable, Sendable {
    public var id: Int64
    /// A label that is not the patient's name: the profile's own id or a hash of the file.
    public var label: String
    /// The profile file's text, as saved.
    public var profile: String
    /// The profile file's name, which tells its format (`.yaml`, `.json`).
    public var fileName: String
    /// Plans to analyze; empty means the plans the profile names.
    public var plans: [String]
    public var addedAt: Date
    /// The last analysis, as the analyzer's JSON, to compare the next one with.
    public var lastAnalysis: String?
    public var lastAnalyzedAt: Date?

    public init(id: Int64, label: String, profile: String, fileName: String, plans: [String], addedAt: Date,
                lastAnalysis: String? = nil, lastAnalyzedAt: Date? = nil) {
        self.id = id
        self.label = label
        self.profile = profile
        self.fileName = fileName
        self.plans = plans
        self.addedAt = addedAt
        self.lastAnalysis = lastAnalysis
        self.lastAnalyzedAt = lastAnalyzedAt
    }
}
