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

/// One bad row of a table other than the basic formulary.
struct PartDTableRowCase: Sendable, CustomTestStringConvertible {
    var table: String
    var header: String
    var rows: [String]
    var line: Int
    var field: String
    var value: String

    var testDescription: String { "\(field) = \(value)" }

    static let planHeader = "CONTRACT_ID|PLAN_ID|SEGMENT_ID|CONTRACT_NAME|PLAN_NAME|FORMULARY_ID|PREMIUM|DEDUCTIBLE|MA_REGION_CODE|PDP_REGION_CODE|STATE|COUNTY_CODE|SNP|PLAN_SUPPRESSED_YN"
    static let costHeader = "CONTRACT_ID|PLAN_ID|SEGMENT_ID|COVERAGE_LEVEL|TIER|DAYS_SUPPLY|COST_TYPE_PREF|COST_AMT_PREF|COST_MIN_AMT_PREF|COST_MAX_AMT_PREF|COST_TYPE_NONPREF|COST_AMT_NONPREF|COST_MIN_AMT_NONPREF|COST_MAX_AMT_NONPREF|COST_TYPE_MAIL_PREF|COST_AMT_MAIL_PREF|COST_MIN_AMT_MAIL_PREF|COST_MAX_AMT_MAIL_PREF|COST_TYPE_MAIL_NONPREF|COST_AMT_MAIL_NONPREF|COST_MIN_AMT_MAIL_NONPREF|COST_MAX_AMT_MAIL_NONPREF|TIER_SPECIALTY_YN|DED_APPLIES_YN"
    static let insulinHeader = "CONTRACT_ID|PLAN_ID|SEGMENT_ID|TIER|DAYS_SUPPLY|copay_amt_pref_insln|copay_amt_nonpref_insln|copay_amt_mail_pref_insln|copay_amt_mail_nonpref_insln|coin_amt_pref_insln|coin_amt_nonpref_insln|coin_amt_mail_pref_insln|coin_amt_mail_nonpref_insln"
    static let plan = "plan information  PPUF_2026Q1.txt"
    static let cost = "beneficiary cost file  PPUF_2026Q1.txt"
    static let insulin = "insulin beneficiary cost file  PPUF_2026Q1.txt"

    static let all: [PartDTableRowCase] = [
        PartDTableRowCase(table: plan, header: planHeader, rows: ["H0028|007|000|H|P|26408|0|0| | |FL|10050|0|N"],
                          line: 2, field: "FORMULARY_ID", value: "26408"),
        PartDTableRowCase(table: plan, header: planHeader, rows: [
            "H0028|007|000|H|P|00026408|0|0| | |FL|10050|0|N", "H0028|007|000|H|P|00026409|0|0| | |GA|11010|0|N",
        ], line: 3, field: "FORMULARY_ID", value: "00026409"),
        PartDTableRowCase(table: plan, header: planHeader, rows: ["H0028|007|000|H|P|00026408|$5|0| | |FL|10050|0|N"],
                          line: 2, field: "PREMIUM", value: "$5"),
        PartDTableRowCase(table: plan, header: planHeader, rows: ["H0028|007|000|H|P|00026408|0|0| | |Florida|10050|0|N"],
                          line: 2, field: "STATE", value: "Florida"),
        PartDTableRowCase(table: plan, header: planHeader, rows: ["H28|007|000|H|P|00026408|0|0| | |FL|10050|0|N"],
                          line: 2, field: "CONTRACT_ID", value: "H28"),
        PartDTableRowCase(table: cost, header: costHeader, rows: ["H0028|007|000|5|1|1|1|0|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N"],
                          line: 2, field: "COVERAGE_LEVEL", value: "5"),
        PartDTableRowCase(table: cost, header: costHeader, rows: ["H0028|007|000|1|1|7|1|0|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N"],
                          line: 2, field: "DAYS_SUPPLY", value: "7"),
        PartDTableRowCase(table: cost, header: costHeader, rows: ["H0028|007|000|1|1|1|1|0|0|0|9|5|0|0|1|0|0|0|0|0|0|0|N|N"],
                          line: 2, field: "COST_TYPE_NONPREF", value: "9"),
        PartDTableRowCase(table: cost, header: costHeader, rows: ["H0028|007|000|1|1|1|2|250|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N"],
                          line: 2, field: "COST_AMT_PREF", value: "250"),
        PartDTableRowCase(table: cost, header: costHeader, rows: ["H0028|007|000|1|1|1|1| |0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N"],
                          line: 2, field: "COST_AMT_PREF", value: " "),
        PartDTableRowCase(table: cost, header: costHeader, rows: ["H0028|007|000|1|1|1|1|0|0|0|1|5|0|0|1|0|0|0|0|0|0|0|S|N"],
                          line: 2, field: "TIER_SPECIALTY_YN", value: "S"),
        PartDTableRowCase(table: insulin, header: insulinHeader, rows: ["H0028|007|000|x|1|35|35|35|35| | | | "],
                          line: 2, field: "TIER", value: "x"),
        PartDTableRowCase(table: insulin, header: insulinHeader, rows: ["H0028|007|000|.|1|35|thirty|35|35| | | | "],
                          line: 2, field: "copay_amt_nonpref_insln", value: "thirty"),
    ]
}

extension PartDBadInputTests {
    @Test("Bad rows in the plan, cost and insulin tables name their column and value", arguments: PartDTableRowCase.all)
    func otherTables(_ rowCase: PartDTableRowCase) throws {
        let scratch = try ScratchFolder()
        try scratch.stage(releaseFile: PartDFixtures.basicName, as: "r/\(PartDFixtures.basicName)")
        try scratch.write(lines: [rowCase.header] + rowCase.rows, as: "r/\(rowCase.table)")
        let (problems, total) = try invalidRows { _ = try importPartD([scratch.url.appendingPathComponent("r")]) }
        #expect(total == 1)
        let problem = try #require(problems.first)
        #expect(problem.file == "r/\(rowCase.table)")
        #expect(problem.line == rowCase.line)
        #expect(problem.field == rowCase.field)
        #expect(problem.value == rowCase.value)
    }
}
