import Foundation
import GRDB

extension FormularyStore {
    /// NDC → RxCUI from the drug references imported into the store (RxNorm's NDC attribute,
    /// `formulary import --format rxnorm`): for each NDC of `ndcs` (11 digits, as stored) that is
    /// mapped, its RxCUI. An NDC mapped to more than one concept gets the current mapping first,
    /// then the lowest RxCUI, so the answer is the same on every run. Unmapped NDCs are absent.
    public func rxcuis(forNDCs ndcs: [String]) throws -> [String: String] {
        let wanted = Array(Set(ndcs)).sorted()
        guard !wanted.isEmpty else { return [:] }
        return try pool.read { db in
            var found: [String: (rxcui: String, current: Bool)] = [:]
            // SQLite's default limit on bound parameters is well above this; chunks keep each statement small.
            var start = 0
            while start < wanted.count {
                let chunk = Array(wanted[start ..< min(start + 500, wanted.count)])
                start += chunk.count
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchCursor(db, sql: "SELECT ndc, rxcui, is_current FROM concept_ndc WHERE ndc IN (\(marks))",
                                               arguments: StatementArguments(chunk))
                while let row = try rows.next() {
                    let ndc: String = row[0]
                    let rxcui: String = row[1]
                    let current = (row[2] as Int64? ?? 0) != 0
                    if let known = found[ndc] {
                        let better = (current && !known.current)
                            || (current == known.current && (rxcui.count, rxcui) < (known.rxcui.count, known.rxcui))
                        if !better { continue }
                    }
                    found[ndc] = (rxcui, current)
                }
            }
            return found.mapValues(\.rxcui)
        }
    }
}
