/// A resource that is well-formed JSON or XML but not what its profile requires: a missing tier, a
/// `valueBoolean` that is not a boolean. The importer rejects the resource (or, without a reject
/// allowance, fails the import) and names the place.
struct FHIRDecodingProblem: Error, Hashable, Sendable {
    /// Where inside the resource, FHIRPath-style from the resource root (`.extension[5].valueBoolean`).
    var path: String
    /// 1-based line of the offending element in its file.
    var line: Int
    /// The value as written, when there is one.
    var value: String?
    var expected: String

    /// The problem with its place in the file, as the importers report rows.
    func rowProblem(file: String, record: FHIRResourceRecord) -> RowProblem {
        RowProblem(file: file, line: line, field: record.render(path), value: value, expected: expected)
    }
}
