import FormularyCriteria
import Foundation

/// What a report says about itself: when it was made, by which tool version, for which as-of
/// date, and from which analysis schema. Passed in (never read from a clock inside the
/// renderers) so reports and their golden files are reproducible.
public struct ReportMetadata: Hashable, Codable, Sendable {
    /// The version of the report JSON envelope. Additions bump the minor number.
    public static let reportSchemaVersion = "1.0"

    public var generatedAt: Date
    public var asOf: Day
    public var toolVersion: String
    /// The `schemaVersion` of the `AnalysisResult` the report renders.
    public var analysisSchemaVersion: String

    public init(generatedAt: Date, asOf: Day, toolVersion: String, analysisSchemaVersion: String) {
        self.generatedAt = generatedAt
        self.asOf = asOf
        self.toolVersion = toolVersion
        self.analysisSchemaVersion = analysisSchemaVersion
    }

    /// UTC, to the second: `2025-03-20T14:05:00Z`.
    public var generatedAtText: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: generatedAt)
    }

    enum CodingKeys: String, CodingKey { case generatedAt, asOf, toolVersion, analysisSchemaVersion }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .generatedAt)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else {
            throw DecodingError.dataCorruptedError(forKey: .generatedAt, in: container, debugDescription: "expected an ISO 8601 date-time, got \(text)")
        }
        generatedAt = date
        asOf = try container.decode(Day.self, forKey: .asOf)
        toolVersion = try container.decode(String.self, forKey: .toolVersion)
        analysisSchemaVersion = try container.decode(String.self, forKey: .analysisSchemaVersion)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(generatedAtText, forKey: .generatedAt)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(toolVersion, forKey: .toolVersion)
        try container.encode(analysisSchemaVersion, forKey: .analysisSchemaVersion)
    }
}
