import Foundation

/// What a QHP file is, decided by its content: issuers and mirrors name files freely
/// (`drugs-1.json`, `formulary_2025.json`, `data_plans.json`), so names only break ties.
enum QHPFileKind: Hashable, Sendable {
    /// `cms-data-index.json`: an object of `plan_urls`, `formulary_urls`, `provider_urls`.
    case index
    /// `plans.json`: an array of plans (`marketing_name`, `formulary`, …).
    case plans
    /// `drugs.json`: an array of drugs (`rxnorm_id`, `drug_name`, `plans`).
    case drugs
    /// `providers.json`: provider directories, which this project does not import.
    case providers
    /// Anything else, with the reason in plain words.
    case unknown(String)

    /// The role recorded with the file in provenance.
    var role: String {
        switch self {
        case .index: "cms-data-index.json"
        case .plans: "plans.json"
        case .drugs: "drugs.json"
        case .providers: "providers.json"
        case .unknown: "unknown"
        }
    }

    private static let indexKeys: Set<String> = ["plan_urls", "formulary_urls", "provider_urls"]
    private static let planKeys: Set<String> = ["marketing_name", "formulary", "summary_url", "plan_contact", "network"]
    private static let drugKeys: Set<String> = ["rxnorm_id", "drug_name"]
    private static let providerKeys: Set<String> = ["npi", "facility_name", "group_name", "addresses", "accepting", "specialty"]

    /// Reads as little of `file` as decides its kind: the top-level keys of an index, or the keys
    /// of the first array element. An empty array, or JSON broken before anything decisive, falls
    /// back to the file name, so the import itself can then report the real problem with its position.
    static func sniff(_ file: InputFile) -> QHPFileKind {
        let source = InputFileByteSource(file: file, chunkSize: 64 << 10, bufferCount: 2)
        defer { source.cancel() }
        let reader = JSONReader(source: source, readSize: 64 << 10)
        do {
            switch try reader.peek() {
            case .beginObject:
                var seen = false
                try reader.readObject { key in
                    if indexKeys.contains(key) { seen = true }
                }
                return seen ? .index : .unknown("a JSON object without plan_urls, formulary_urls or provider_urls")
            case .beginArray:
                try reader.beginArray()
                guard try reader.nextElement() else {
                    return byName(file.fileName) ?? .unknown("an empty JSON array, and its name does not say plans or drugs")
                }
                guard try reader.peek() == .beginObject else {
                    return .unknown("a JSON array whose first element is not an object")
                }
                var kind: QHPFileKind?
                try reader.beginObject()
                while kind == nil, let key = try reader.nextKey() {
                    if drugKeys.contains(key) {
                        kind = .drugs
                    } else if planKeys.contains(key) {
                        kind = .plans
                    } else if providerKeys.contains(key) {
                        kind = .providers
                    }
                }
                return kind ?? byName(file.fileName) ?? .unknown("a JSON array of objects that are neither plans nor drugs")
            default:
                return .unknown("JSON that is neither an array nor an object")
            }
        } catch {
            return byName(file.fileName) ?? .unknown("not readable as JSON (\(error.localizedDescription))")
        }
    }

    /// The kind a file name suggests, for the cases content cannot decide.
    static func byName(_ fileName: String) -> QHPFileKind? {
        let name = fileName.lowercased()
        guard name.hasSuffix(".json") else { return nil }
        if name.contains("index") { return .index }
        if name.contains("drug") || name.contains("formular") { return .drugs }
        if name.contains("plan") { return .plans }
        if name.contains("provider") { return .providers }
        return nil
    }
}
