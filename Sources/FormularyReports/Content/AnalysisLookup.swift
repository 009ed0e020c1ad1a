import FormularyAnalysis

/// Finding the plan and option a report is about, and refusing analyses of a schema the
/// renderers do not read, with errors that list what is there.
enum AnalysisLookup {
    static let supportedMajorVersion = "1"

    static func checkSchema(_ analysis: AnalysisResult) throws {
        let major = analysis.schemaVersion.split(separator: ".").first.map(String.init) ?? analysis.schemaVersion
        guard major == supportedMajorVersion else {
            throw ReportError.unsupportedSchema(found: analysis.schemaVersion, supported: supportedMajorVersion)
        }
    }

    /// The plan with this id (case-insensitive), or the first plan when `id` is nil.
    static func plan(_ id: String?, in analysis: AnalysisResult) throws -> PlanResult {
        guard let first = analysis.plans.first else { throw ReportError.noPlans }
        guard let id else { return first }
        if let match = analysis.plans.first(where: { $0.planID == id }) ?? analysis.plans.first(where: { $0.planID.lowercased() == id.lowercased() }) {
            return match
        }
        throw ReportError.planNotFound(id, available: analysis.plans.map(\.planID))
    }

    /// The option with this id, name or brand (case-insensitive).
    static func option(_ text: String, in plan: PlanResult) throws -> OptionResult {
        let wanted = text.lowercased()
        let match = plan.options.first { $0.optionID.lowercased() == wanted }
            ?? plan.options.first { $0.name.lowercased() == wanted || $0.brands.contains { $0.lowercased() == wanted } }
        guard let match else {
            throw ReportError.optionNotFound(text, plan: plan.planID, available: plan.options.sorted { $0.rank < $1.rank }.map(\.optionID))
        }
        return match
    }

    /// The options in the analyzer's order (rank 1 first).
    static func ranked(_ plan: PlanResult) -> [OptionResult] {
        plan.options.sorted { $0.rank < $1.rank }
    }
}
