/// A set of drugs a criterion draws from: named options, whole classes, or "any
/// antidepressant" (§5.0 rule 10), minus exclusions. Resolved against the drug reference.
public struct AgentPool: Hashable, Codable, Sendable {
    /// Option ids (`bupropion`, `sertraline`), validated against the drug reference.
    public var options: [String]
    public var classes: [DrugClass]
    /// Every option whose class counts as an antidepressant.
    public var antidepressants: Bool
    public var excludeOptions: [String]
    public var excludeClasses: [DrugClass]

    public init(options: [String] = [], classes: [DrugClass] = [], antidepressants: Bool = false,
                excludeOptions: [String] = [], excludeClasses: [DrugClass] = []) {
        self.options = options
        self.classes = classes
        self.antidepressants = antidepressants
        self.excludeOptions = excludeOptions
        self.excludeClasses = excludeClasses
    }

    /// True when a single-ingredient option belongs to the pool.
    public func contains(_ option: DrugOption) -> Bool {
        if excludeOptions.contains(option.id) || excludeClasses.contains(option.drugClass) { return false }
        if options.contains(option.id) { return true }
        if classes.contains(option.drugClass) { return true }
        return antidepressants && option.countsAsAntidepressant && option.drugClass.isAntidepressantClass
    }

    /// The pool in words: `bupropion`, `any SSRI`, `any antidepressant except SSRI`.
    public func describe(_ reference: DrugReference?) -> String {
        var parts: [String] = options.map { id in reference?.option(id: id)?.displayName ?? id }
        parts += classes.map { "any \($0.displayName)" }
        if antidepressants { parts.append("any antidepressant") }
        var text = parts.joined(separator: ", ")
        let excluded = excludeOptions + excludeClasses.map(\.displayName)
        if !excluded.isEmpty { text += " except \(excluded.joined(separator: ", "))" }
        return text
    }
}
