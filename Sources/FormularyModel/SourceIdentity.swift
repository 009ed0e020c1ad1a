import Foundation

/// What one snapshot holds, counted as the store wrote it: what the content check, the shrink
/// guard and the source's default name read.
public struct SnapshotContent: Hashable, Codable, Sendable {
    public var plans = 0
    /// Every formulary row, declared or only referenced (by a tier, a cost share or a line).
    public var formularies = 0
    /// Formularies the inputs declared (a Formulary resource, a formulary in a plans file).
    public var declaredFormularies = 0
    /// Formulary lines, formulary-wide and plan-scoped.
    public var entries = 0
    public var concepts = 0
    public var ndcMappings = 0

    public init(plans: Int = 0, formularies: Int = 0, entries: Int = 0, concepts: Int = 0, ndcMappings: Int = 0) {
        self.plans = plans
        self.formularies = formularies
        self.entries = entries
        self.concepts = concepts
        self.ndcMappings = ndcMappings
    }

    /// True when the snapshot holds what its format is for: a plan, a declared formulary or a
    /// formulary line (a tier that only names a formulary is not one); for a drug reference, a
    /// concept or an NDC mapping.
    public func hasContent(for format: SourceFormat) -> Bool {
        switch format {
        case .partD, .qhp, .fhir: plans + declaredFormularies + entries > 0
        case .drugReference, .rxnorm: concepts + ndcMappings > 0
        }
    }
}

/// The name a snapshot's source gets when the user gives none, derived from what was imported,
/// so that one publisher's import replaces that publisher's earlier data and nobody else's:
/// Part D is the national release (`partd`); QHP is named by its issuers' HIOS ids
/// (`qhp-99990`); FHIR by its formulary ids, else its plan ids (`fhir-FormularyD1002`); the drug
/// reference and RxNorm are global (`reference`, `rxnorm`). Content that names more than
/// `maximumParts` issuers or formularies is ambiguous: the user must name the source.
public enum SourceIdentity {
    public enum Derivation: Hashable, Sendable {
        case named(String)
        /// Why no name can be derived; the import asks for `--source`.
        case ambiguous(String)
    }

    /// The most issuers or formularies a derived name lists.
    public static let maximumParts = 3
    /// The longest derived name.
    public static let maximumLength = 64

    public static func derive(format: SourceFormat, planIDs: [String], formularyIDs: [String]) -> Derivation {
        switch format {
        case .partD: return .named("partd")
        case .drugReference: return .named("reference")
        case .rxnorm: return .named("rxnorm")
        case .qhp:
            // A HIOS plan id starts with the issuer's 5-digit id.
            let issuers = Set(planIDs.map { String($0.prefix(5)) }.filter { $0.count == 5 && $0.allSatisfy(\.isNumber) })
            return name("qhp", parts: issuers, what: "issuers")
        case .fhir:
            return formularyIDs.isEmpty
                ? name("fhir", parts: Set(planIDs), what: "plans")
                : name("fhir", parts: Set(formularyIDs), what: "formularies")
        }
    }

    static func name(_ prefix: String, parts: Set<String>, what: String) -> Derivation {
        let sorted = parts.sorted()
        guard !sorted.isEmpty else { return .ambiguous("it names no \(what)") }
        guard sorted.count <= maximumParts else {
            return .ambiguous("it holds \(sorted.count) \(what) (\(sorted.prefix(3).joined(separator: ", ")), …)")
        }
        let name = ([prefix] + sorted.map(sanitize)).joined(separator: "-")
        guard name.count <= maximumLength else { return .ambiguous("a name from its \(what) would be too long (\(name.count) characters)") }
        return .named(name)
    }

    /// Letters, digits, '.', '_' and '-' are kept; anything else becomes '-'.
    static func sanitize(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
    }

    /// True for a name a user may give: letters, digits, '.', '_' or '-', at most 64 characters.
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= maximumLength && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}
