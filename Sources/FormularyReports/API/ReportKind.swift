/// Which report: each has its own audience, and its own word in file names.
public enum ReportKind: String, Hashable, Codable, Sendable, CaseIterable {
    /// For a patient and their advocate: what the plan covers next and what stands in the way.
    case coverage
    /// For clinic staff: one plan and option, the PA checklist and a draft letter.
    case precheck
    /// For open enrollment: the regimen and the key options across plans.
    case compare
}
