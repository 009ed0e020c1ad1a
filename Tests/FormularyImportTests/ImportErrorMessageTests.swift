import Foundation
@testable import FormularyImport
import Testing

@Suite("Import error messages")
struct ImportErrorMessageTests {
    @Test("One problem with a whole file is headlined as the file's problem, not as an invalid row")
    func wholeFile() {
        let problem = RowProblem(file: "drugs.json", line: 0, expected: "a header line; the file is empty (0 bytes)")
        #expect(ImportError.invalidRows(problems: [problem], total: 1).localizedDescription
            == "cannot import drugs.json: expected a header line; the file is empty (0 bytes); nothing was imported")
        let withField = RowProblem(file: "plans.json", line: 0, field: "plan_id", value: "x", expected: "a HIOS id")
        #expect(ImportError.invalidRows(problems: [withField], total: 1).localizedDescription
            == "cannot import plans.json: plan_id = \"x\": expected a HIOS id; nothing was imported")
    }

    @Test("Rows keep their headline; several whole-file problems, and a mix, say what they are")
    func rowsAndMixes() {
        let row = RowProblem(file: "t.txt", line: 4, field: "TIER", value: "X", expected: "a tier")
        #expect(ImportError.invalidRows(problems: [row], total: 1).localizedDescription
            == "1 invalid row; nothing was imported:\n  t.txt:4: TIER = \"X\": expected a tier")
        let fileA = RowProblem(file: "a.txt", line: 0, expected: "rows")
        let fileB = RowProblem(file: "b.txt", line: 0, expected: "rows")
        #expect(ImportError.invalidRows(problems: [fileA, fileB], total: 2).localizedDescription
            == "cannot import a.txt, b.txt: 2 problems with the files as a whole; nothing was imported:\n  a.txt: expected rows\n  b.txt: expected rows")
        #expect(ImportError.invalidRows(problems: [fileA, row], total: 2).localizedDescription
            == "2 problems, with whole files and with rows; nothing was imported:\n  a.txt: expected rows\n  t.txt:4: TIER = \"X\": expected a tier")
    }

    @Test("A file a QHP index lists but that is missing names both")
    func listedFileMissing() {
        let error = ImportError.listedFileNotFound(
            path: "/data/plans.json", index: "cms-data-index.json", listedAs: "https://example.org/plans.json")
        #expect(error.localizedDescription == "no such file: /data/plans.json, which cms-data-index.json lists "
            + "(as https://example.org/plans.json); nothing was imported. Import reads local files only and never downloads: "
            + "save the file next to the index (fetching is the refresh command's job)")
    }

    @Test("Counts read the same in every locale")
    func grouped() {
        #expect(ImportError.grouped(0) == "0")
        #expect(ImportError.grouped(999) == "999")
        #expect(ImportError.grouped(1_000) == "1,000")
        #expect(ImportError.grouped(67_108_864) == "67,108,864")
        #expect(ImportError.grouped(-1_234_567) == "-1,234,567")
    }
}
