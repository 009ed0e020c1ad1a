import Foundation

/// "Did you mean": the known names nearest to what a person typed, by edit distance (letters
/// swapped, missing, extra or wrong), ignoring case, spaces and hyphens.
public enum NameSuggestions {
    /// A candidate name and how to show it ("Trintellix (vortioxetine)").
    public struct Candidate: Hashable, Sendable {
        public var name: String
        public var display: String

        public init(name: String, display: String) {
            self.name = name
            self.display = display
        }
    }

    /// Up to `limit` candidates within a distance that grows with the length of `typed`, nearest
    /// first; none when nothing is close.
    public static func nearest(to typed: String, in candidates: [Candidate], limit: Int = 3) -> [String] {
        let query = normalize(typed)
        guard !query.isEmpty else { return [] }
        let allowed = max(1, min(3, query.count / 3))
        var best: [String: Int] = [:]
        for candidate in candidates {
            let name = normalize(candidate.name)
            guard abs(name.count - query.count) <= allowed else { continue }
            let distance = editDistance(query, name)
            if distance <= allowed, distance < (best[candidate.display] ?? .max) { best[candidate.display] = distance }
        }
        return best.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(limit).map(\.key)
    }

    static func normalize(_ text: String) -> [Character] {
        Array(text.lowercased().filter { !$0.isWhitespace && $0 != "-" })
    }

    /// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
