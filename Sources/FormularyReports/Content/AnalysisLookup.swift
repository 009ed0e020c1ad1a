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

    /// The plan `id` names (see `plans(_:in:)`), or the first plan when `id` is nil. A plan id
    /// the analysis holds under two criteria versions names neither: the error lists both
    /// labels to choose from, rather than a report silently showing one of them.
    static func plan(_ id: String?, in analysis: AnalysisResult) throws -> PlanResult {
        guard let first = analysis.plans.first else { throw ReportError.noPlans }
        guard let id else { return first }
        if analysis.plans.filter({ $0.planID.lowercased() == id.lowercased() }).count > 1 {
            throw ReportError.planNotFound(id, available: availableNames(analysis))
        }
        return try plans([id], in: analysis)[0]
    }

    /// The plan result each reference names: a plan id (case-insensitive), a plan key or label
    /// (`99990AZ0010001 (A-2025-01)`), or a pinned criteria version id (`A-2025-01`). One plan
    /// can be analyzed under two pinned versions; a plan id then names each in turn: its first
    /// mention takes the first result, its second mention the second, so asking for both never
    /// shows one version twice.
    static func plans(_ ids: [String], in analysis: AnalysisResult) throws -> [PlanResult] {
        guard !analysis.plans.isEmpty else { throw ReportError.noPlans }
        var taken = Set<Int>()
        return try ids.map { id in
            let wanted = id.lowercased()
            let tests: [(PlanResult) -> Bool] = [
                { $0.planID == id },
                { $0.planID.lowercased() == wanted },
                { $0.planKey.lowercased() == wanted || $0.planLabel?.lowercased() == wanted },
                { $0.criteria.pinned && $0.criteria.policyVersion?.lowercased() == wanted },
            ]
            for test in tests {
                let matches = analysis.plans.indices.filter { test(analysis.plans[$0]) }
                guard let index = matches.first(where: { !taken.contains($0) }) ?? matches.first else { continue }
                taken.insert(index)
                return analysis.plans[index]
            }
            throw ReportError.planNotFound(id, available: availableNames(analysis))
        }
    }

    /// The plan ids, with the version for a plan analyzed under more than one.
    static func availableNames(_ analysis: AnalysisResult) -> [String] {
        analysis.plans.map { plan in analysis.plans.filter { $0.planID == plan.planID }.count > 1 ? plan.planKey : plan.planID }
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
