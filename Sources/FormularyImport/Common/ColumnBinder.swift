/// Finds a table's columns by header name, case-insensitively, so files from years with added,
/// dropped or reordered columns read the same. Unknown extra columns are ignored.
///
/// A consumer asks for the columns it needs; every required name that is absent (or appears
/// twice, which would make the choice arbitrary) is collected, and the reader reports them all at once.
struct ColumnBinder {
    /// The header's names as written, trimmed of spaces.
    let names: [String]
    private let positions: [String: Int]
    private let repeated: Set<String>
    /// Required columns the header lacks, under the name the consumer asked for.
    private(set) var missing: [String] = []
    /// Requested columns that the header names more than once.
    private(set) var ambiguous: [String] = []

    init(names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        var repeated: Set<String> = []
        for (index, name) in names.enumerated() {
            let key = name.uppercased()
            guard !key.isEmpty else { continue }
            if positions[key] == nil {
                positions[key] = index
            } else {
                repeated.insert(key)
            }
        }
        self.positions = positions
        self.repeated = repeated
    }

    /// The position of a column that must be present, trying `aliases` if `name` is not.
    /// A missing column is recorded and 0 returned; the reader stops before any row is read.
    mutating func require(_ name: String, aliases: [String] = []) -> Int {
        if let position = locate(name, aliases: aliases) { return position }
        missing.append(name)
        return 0
    }

    /// The position of a column that only some layouts have (`SELECTED_DRUG_YN`), or `nil`.
    mutating func optional(_ name: String, aliases: [String] = []) -> Int? {
        locate(name, aliases: aliases)
    }

    private mutating func locate(_ name: String, aliases: [String]) -> Int? {
        for candidate in [name] + aliases {
            let key = candidate.uppercased()
            guard let position = positions[key] else { continue }
            if repeated.contains(key) { ambiguous.append(names[position]) }
            return position
        }
        return nil
    }
}
