import Foundation
@testable import FormularyImport
import FormularyModel
import Testing

@Suite("Delimited tables: NUL bytes, CR CR LF, UTF-16")
struct CommonDelimitedBadBytesTests {
    static let header = "FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|SELECTED_DRUG_YN"
    static let rows = [
        "00026408|17|2026|1551300|00002143380|2|N| | |N|N|N",
        "00026408|17|2026|856783|00093071101|1|N| | |N|N|N",
    ]

    @Test("CR CR LF line ends import exactly like CRLF")
    func doubleCarriageReturn() throws {
        let scratch = try ScratchFolder()
        let crlf = try scratch.write(lines: [Self.header] + Self.rows, as: "crlf/\(PartDFixtures.basicName)")
        let crcrlf = try scratch.write(lines: [Self.header] + Self.rows, as: "crcrlf/\(PartDFixtures.basicName)", lineEnd: "\r\r\n")
        let (_, expected) = try importPartD([crlf])
        let (outcome, sink) = try importPartD([crcrlf])
        #expect(sink.entries.count == 2)
        #expect(sink.entries == expected.entries)
        #expect(sink.entries.map(\.drug.rxcui?.rawValue) == ["1551300", "856783"])
        #expect(outcome.counts["formulary rows"] == 2)
    }

    @Test("A NUL byte in a row is named with its column, byte offset and line")
    func nulInRow() throws {
        let scratch = try ScratchFolder()
        let bad = "00026408|17|2026|85\u{0}783|00093071101|1|N| | |N|N|N"
        let url = try scratch.write(lines: [Self.header, Self.rows[0], bad], as: PartDFixtures.basicName)
        let offset = Self.header.utf8.count + 2 + Self.rows[0].utf8.count + 2 + "00026408|17|2026|85".utf8.count
        let (problems, total) = try invalidRows { _ = try importPartD([url]) }
        #expect(total == 1)
        #expect(problems == [RowProblem(
            file: PartDFixtures.basicName, line: 3, field: "RXCUI", value: "85\\0783",
            expected: "text without NUL bytes; a NUL byte (0x00) is at byte offset \(offset) (line 3): "
                + "a text table never holds one, so the file is damaged there, binary, or UTF-16")])
    }

    @Test("A row with a NUL byte is a row problem: --max-rejects can skip it")
    func nulRowIsRejectable() throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(lines: [Self.header, "00026408|17|2026|1\u{0}|00093071101|1|N| | |N|N|N", Self.rows[1]], as: PartDFixtures.basicName)
        let (outcome, sink) = try importPartD([url], maxRejects: 1)
        #expect(sink.entries.map(\.drug.rxcui?.rawValue) == ["856783"])
        #expect(outcome.rejects.map(\.line) == [2])
    }

    @Test("A header with NUL bytes (UTF-16 without a byte order mark) fails the file at its first NUL")
    func nulInHeader() throws {
        let scratch = try ScratchFolder()
        var bytes: [UInt8] = []
        for unit in (Self.header + "\r\n").utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let url = try scratch.write(Data(bytes), as: PartDFixtures.basicName)
        let (problems, total) = try invalidRows { _ = try importPartD([url]) }
        #expect(total == 1)
        let problem = try #require(problems.first)
        #expect(problem.line == 1)
        #expect(problem.value?.hasPrefix("F\\0O\\0R\\0M\\0") == true)
        #expect(problem.expected == "an ASCII header of column names; a NUL byte (0x00) is at byte offset 1 (line 1): "
            + "a text table never holds one, so the file is damaged there, binary, or UTF-16")
    }

    @Test("A UTF-16 byte order mark fails the whole file, headlined as a file problem")
    func utf16Header() throws {
        let scratch = try ScratchFolder()
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in (Self.header + "\r\n" + Self.rows[0] + "\r\n").utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let url = try scratch.write(Data(bytes), as: PartDFixtures.basicName)
        let (problems, total) = try invalidRows { _ = try importPartD([url]) }
        let expected = "ASCII or Windows-1252 text; the file starts with a UTF-16 byte order mark (0xFF 0xFE), so it is UTF-16: "
            + "convert it to UTF-8 or ASCII first (e.g. iconv -f UTF-16 -t UTF-8)"
        #expect(problems == [RowProblem(file: PartDFixtures.basicName, line: 0, expected: expected)])
        #expect(ImportError.invalidRows(problems: problems, total: total).localizedDescription
            == "cannot import \(PartDFixtures.basicName): expected \(expected); nothing was imported")
    }
}
