import Foundation
import FormularyImport
import FormularyModel
import Testing

/// One bad-input fixture and what its problem must say.
struct PartDBadCase: Sendable, CustomTestStringConvertible {
    var fixture: String
    /// The table the fixture stands in for.
    var stagedAs = PartDFixtures.basicName
    var line: Int
    var field: String?
    var value: String?
    /// Words the "expected" text must contain.
    var expects: [String]

    var testDescription: String { fixture }
}

@Suite("Part D importer: bad input")
struct PartDBadInputTests {
    static let cases: [PartDBadCase] = [
        PartDBadCase(fixture: "partd_missing_column.txt", line: 1, field: "TIER_LEVEL_VALUE", value: nil,
                     expects: ["TIER_LEVEL_VALUE column", "the header has FORMULARY_ID"]),
        PartDBadCase(fixture: "partd_wrong_field_count.txt", line: 3, field: nil, value: "00026408|17|2026|856783|00093071101|1|N| |N|N|N",
                     expects: ["12 fields as in the header, found 11"]),
        PartDBadCase(fixture: "partd_bad_tier.txt", line: 3, field: "TIER_LEVEL_VALUE", value: "T2",
                     expects: ["positive whole number"]),
        PartDBadCase(fixture: "partd_bad_flag.txt", line: 2, field: "PRIOR_AUTHORIZATION_YN", value: "X",
                     expects: ["Y, N or blank"]),
        PartDBadCase(fixture: "partd_bad_quantity.txt", line: 2, field: "QUANTITY_LIMIT_AMOUNT", value: "2 tabs",
                     expects: ["a quantity"]),
        PartDBadCase(fixture: "partd_truncated_last_line.txt", line: 3, field: nil, value: "00026408|17|2026|8567",
                     expects: ["no line terminator", "truncated", "has 4 fields"]),
        PartDBadCase(fixture: "partd_duplicate_rxcui.txt", line: 4, field: "RXCUI", value: "1551300",
                     expects: ["one row per FORMULARY_ID and RXCUI", "00026408"]),
        PartDBadCase(fixture: "partd_mixed_contract_year.txt", line: 3, field: "CONTRACT_YEAR", value: "2025",
                     expects: ["2026"]),
        PartDBadCase(fixture: "partd_non_ascii_byte.txt", line: 3, field: "NDC", value: nil,
                     expects: ["ASCII text", "0xC3", "byte offset \(nonASCIIOffset)", "is not ASCII"]),
        PartDBadCase(fixture: "partd_plan_undefined_cp1252_byte.txt", stagedAs: PartDFixtures.planName, line: 2, field: "PLAN_NAME",
                     value: nil, expects: ["Windows-1252", "0x81", "byte offset", "undefined"]),
        PartDBadCase(fixture: "partd_empty.txt", line: 0, field: nil, value: nil, expects: ["header", "empty (0 bytes)"]),
        PartDBadCase(fixture: "partd_header_only.txt", line: 0, field: nil, value: nil, expects: ["no rows"]),
    ]

    /// Where the 0xC3 byte sits in `partd_non_ascii_byte.txt`, computed from the fixture itself.
    static let nonASCIIOffset: Int = {
        let data = (try? PartDFixtures.data("partd_non_ascii_byte.txt")) ?? Data()
        return data.firstIndex(of: 0xC3).map { $0 - data.startIndex } ?? -1
    }()

    /// Stages a fixture under its real table name (with a good basic file when it stands for another table).
    static func stage(_ badCase: PartDBadCase, in scratch: ScratchFolder) throws -> URL {
        let folder = "release"
        try scratch.stage(badCase.fixture, as: "\(folder)/\(badCase.stagedAs)")
        if badCase.stagedAs != PartDFixtures.basicName {
            try scratch.stage(releaseFile: PartDFixtures.basicName, as: "\(folder)/\(PartDFixtures.basicName)")
        }
        return scratch.url.appendingPathComponent(folder)
    }

    @Test("Each bad input fails the import with a problem naming file, line, column and value", arguments: cases)
    func badInput(_ badCase: PartDBadCase) throws {
        let scratch = try ScratchFolder()
        let input = try Self.stage(badCase, in: scratch)
        let (problems, total) = try invalidRows { _ = try importPartD([input]) }
        #expect(total == 1)
        let problem = try #require(problems.first)
        #expect(problem.file == "release/\(badCase.stagedAs)")
        #expect(problem.line == badCase.line)
        #expect(problem.field == badCase.field)
        if let value = badCase.value { #expect(problem.value == value) }
        for words in badCase.expects {
            #expect(problem.expected.contains(words), "\(problem.expected) lacks \(words)")
        }
        // The message people see carries all of it.
        let message = ImportError.invalidRows(problems: problems, total: total).localizedDescription
        #expect(message.contains("release/\(badCase.stagedAs)"))
        if badCase.line > 0 { #expect(message.contains("release/\(badCase.stagedAs):\(badCase.line)")) }
        if let field = badCase.field { #expect(message.contains(field)) }
        if let value = badCase.value { #expect(message.contains(value)) }
    }

    @Test("The undefined Windows-1252 byte is reported at its exact offset")
    func cp1252Offset() throws {
        let scratch = try ScratchFolder()
        let input = try Self.stage(Self.cases[9], in: scratch)
        let data = try PartDFixtures.data("partd_plan_undefined_cp1252_byte.txt")
        let offset = try #require(data.firstIndex(of: 0x81))
        let (problems, _) = try invalidRows { _ = try importPartD([input]) }
        #expect(problems.first?.expected.contains("byte offset \(offset)") == true)
        #expect(problems.first?.value?.contains("Humana") == true)
    }

    /// A basic table with `good` valid rows and `bad` rows whose tier is not a number.
    static func basicTable(good: Int, bad: Int, in scratch: ScratchFolder) throws -> URL {
        var lines = ["FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|SELECTED_DRUG_YN"]
        for index in 0 ..< good + bad {
            let tier = index < good ? "2" : "X\(index)"
            lines.append("00026408|17|2026|\(100_000 + index)|00002143380|\(tier)|N| | |N|N|N")
        }
        return try scratch.write(lines: lines, as: PartDFixtures.basicName)
    }

    @Test("Problems are counted to the end but at most 20 are listed")
    func problemCap() throws {
        let scratch = try ScratchFolder()
        let file = try Self.basicTable(good: 3, bad: 25, in: scratch)
        let (problems, total) = try invalidRows { _ = try importPartD([file]) }
        #expect(total == 25)
        #expect(problems.count == 20)
        #expect(problems.first?.line == 5)
        #expect(problems.last?.line == 24)
        let message = ImportError.invalidRows(problems: problems, total: total).localizedDescription
        #expect(message.hasPrefix("25 invalid rows; nothing was imported:"))
        #expect(message.hasSuffix("… and 5 more"))
    }

    @Test("Within maxRejects, bad rows are skipped and returned as rejects")
    func rejectsWithinAllowance() throws {
        let scratch = try ScratchFolder()
        let file = try Self.basicTable(good: 3, bad: 2, in: scratch)
        let (outcome, sink) = try importPartD([file], maxRejects: 2)
        #expect(sink.entries.count == 3)
        #expect(outcome.counts["formulary rows"] == 3)
        #expect(outcome.rejects == [
            RejectedRow(file: PartDFixtures.basicName, line: 5, reason: "TIER_LEVEL_VALUE = \"X3\": expected a tier: a positive whole number such as 1 or 5",
                        raw: "00026408|17|2026|100003|00002143380|X3|N| | |N|N|N"),
            RejectedRow(file: PartDFixtures.basicName, line: 6, reason: "TIER_LEVEL_VALUE = \"X4\": expected a tier: a positive whole number such as 1 or 5",
                        raw: "00026408|17|2026|100004|00002143380|X4|N| | |N|N|N"),
        ])
    }

    @Test("Past maxRejects the import fails and counts every bad row")
    func rejectsBeyondAllowance() throws {
        let scratch = try ScratchFolder()
        let file = try Self.basicTable(good: 3, bad: 4, in: scratch)
        let (problems, total) = try invalidRows { _ = try importPartD([file], maxRejects: 3) }
        #expect(total == 4)
        #expect(problems.map(\.line) == [5, 6, 7, 8])
    }

    @Test("A rejected row never reaches the sink, not even a duplicate key it would have claimed")
    func rejectedRowsLeaveNoTrace() throws {
        let scratch = try ScratchFolder()
        let file = try scratch.write(lines: [
            "FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN",
            "00026408|17|2026|1551300|00002143380|2|N| | |Q|N",
            "00026408|17|2026|1551300|00002143380|2|N| | |N|N",
        ], as: PartDFixtures.basicName)
        let (outcome, sink) = try importPartD([file], maxRejects: 1)
        #expect(outcome.rejects.map(\.line) == [2])
        #expect(sink.entries.map(\.sourceLine) == [3])
        #expect(sink.formularies.count == 1)
    }

    @Test("File problems are never covered by maxRejects", arguments: ["partd_missing_column.txt", "partd_empty.txt", "partd_header_only.txt"])
    func fileProblemsAlwaysFail(fixture: String) throws {
        let scratch = try ScratchFolder()
        let file = try scratch.stage(fixture, as: PartDFixtures.basicName)
        let (_, total) = try invalidRows { _ = try importPartD([file], maxRejects: 100) }
        #expect(total == 1)
    }

    @Test("A header-only table other than the basic formulary is fine")
    func headerOnlyOtherTable() throws {
        let scratch = try ScratchFolder()
        try scratch.stage(releaseFile: PartDFixtures.basicName, as: "r/\(PartDFixtures.basicName)")
        try scratch.write(lines: ["CONTRACT_ID|PLAN_ID|RXCUI|DISEASE"], as: "r/Indication Based Coverage Formulary File  PPUF_2026Q1.txt")
        let (outcome, sink) = try importPartD([scratch.url.appendingPathComponent("r")])
        #expect(outcome.counts["indication rows"] == 0)
        #expect(sink.indications.isEmpty)
    }

    @Test("Problems in several tables are all reported together")
    func problemsAcrossTables() throws {
        let scratch = try ScratchFolder()
        try scratch.stage("partd_bad_tier.txt", as: "r/\(PartDFixtures.basicName)")
        try scratch.write(lines: [
            "CONTRACT_ID|PLAN_ID|RXCUI|TIER|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTH_YN|STEP_THERAPY_YN|CAPPED_BENEFIT_YN",
            "H0028|7|312950|1|2|6|30|N|N|N",
        ], as: "r/excluded drugs formulary file  PPUF_2026Q1.txt")
        let (problems, total) = try invalidRows { _ = try importPartD([scratch.url.appendingPathComponent("r")]) }
        #expect(total == 2)
        #expect(problems.map(\.field) == ["TIER_LEVEL_VALUE", "PLAN_ID"])
    }
}
