import FormularyAnalysis
import FormularyCriteria
import Foundation

/// The JSON format of every report: `{"report": {…metadata…}, "analysis": {…}}`. The analysis
/// is the analyzer's documented output as is (see `Sources/FormularyAnalysis/README.md`); the
/// `report` object says which report, when, by which tool, and about which plan and option.
struct ReportEnvelope: Encodable {
    struct Header: Encodable {
        var kind: ReportKind
        var schemaVersion: String
        var generatedAt: String
        var asOf: String
        var toolVersion: String
        var analysisSchemaVersion: String
        var plans: [String]
        var option: String?
    }

    var report: Header
    var analysis: AnalysisResult

    init(kind: ReportKind, metadata: ReportMetadata, scope: ReportScope, analysis: AnalysisResult) {
        report = Header(kind: kind, schemaVersion: ReportMetadata.reportSchemaVersion, generatedAt: metadata.generatedAtText,
                        asOf: metadata.asOf.description, toolVersion: metadata.toolVersion,
                        analysisSchemaVersion: metadata.analysisSchemaVersion, plans: scope.plans, option: scope.option)
        self.analysis = analysis
    }

    /// Pretty, key-sorted, stable output: the same analysis and metadata give the same bytes.
    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(self)
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw ReportError.encodingFailed("\(error)")
        }
    }
}
