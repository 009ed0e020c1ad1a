import FormularyAnalysis
import FormularyCriteria
import FormularyReports
import Foundation
import Testing

/// The hand-written analyses the report tests render, and the fixed metadata that makes their
/// output reproducible. Files are found through `#filePath`: the test target declares no
/// resources.
enum ReportFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// Two plans (commercial Arizona, Medicare Advantage) for one synthetic patient modelled on
    /// DOMAIN.md §5 S1, S4 and S7: every verdict kind a report must word, a washout, a dose
    /// adjustment, a manufacturer switch, state-law and Part D exception grounds.
    static func twoPlans() throws -> AnalysisResult {
        try analysis("analysis_two_plans.json")
    }

    static func analysis(_ name: String) throws -> AnalysisResult {
        let data = try Data(contentsOf: directory.appendingPathComponent("Fixtures").appendingPathComponent(name))
        return try JSONDecoder().decode(AnalysisResult.self, from: data)
    }

    /// 2025-03-20T15:30:00Z, formulary 0.9.0-test, analysis schema 1.0.
    static func metadata(for analysis: AnalysisResult) -> ReportMetadata {
        ReportMetadata(generatedAt: Date(timeIntervalSince1970: 1_742_484_600), asOf: analysis.asOf, toolVersion: "0.9.0-test",
                       analysisSchemaVersion: analysis.schemaVersion)
    }

    static let commercialPlan = "99990AZ0010001"
    static let medicarePlan = "H9990-001-000"
}

/// Golden files under `Golden/`: the expected bytes of a rendered report. Set
/// `FORMULARY_UPDATE_GOLDENS=1` to rewrite them after a deliberate change, then review the diff.
enum Golden {
    static let directory = ReportFixtures.directory.appendingPathComponent("Golden")

    static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["FORMULARY_UPDATE_GOLDENS"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != actual {
            let expectedLines = expected.components(separatedBy: "\n"), actualLines = actual.components(separatedBy: "\n")
            let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
            let where_ = first.map { "line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" }
                ?? "lengths differ (\(expectedLines.count) vs \(actualLines.count) lines)"
            Issue.record("\(name) differs from the golden file at \(where_)\n(set FORMULARY_UPDATE_GOLDENS=1 to accept)", sourceLocation: sourceLocation)
        }
    }
}
