import Foundation
@testable import FormularyImport
import FormularyModel
import Testing

/// Columns are found by header name, so layouts from other years read the same.
@Suite("Part D importer: layouts")
struct PartDLayoutTests {
    func importBasic(fixture: String) throws -> (ImportOutcome, InMemoryImportSink) {
        let scratch = try ScratchFolder()
        let file = try scratch.stage(fixture, as: PartDFixtures.basicName)
        return try importPartD([file])
    }

    @Test("The older 11-column basic layout has no SELECTED_DRUG_YN: selectedDrug stays unknown")
    func elevenColumns() throws {
        let (outcome, sink) = try importBasic(fixture: "partd_basic_11_columns.txt")
        #expect(outcome.contractYear == 2024)
        #expect(sink.entries.map(\.selectedDrug) == [nil, nil])
        #expect(sink.entries.last?.quantityLimit == QuantityLimit(required: true, amount: 60, days: 30))
        #expect(sink.formularies == [Formulary(id: FormularyID("00026408"), version: "12", contractYear: 2024)])
    }

    @Test("Reordered, mixed-case and extra columns are read by name")
    func reorderedAndExtraColumns() throws {
        let (_, sink) = try importBasic(fixture: "partd_basic_reordered_extra_columns.txt")
        let scope = EntryScope.formulary(FormularyID("00026408"))
        #expect(sink.entries == [
            FormularyEntry(scope: scope, drug: DrugRef(rxcui: RxCUI("1551300"), ndc: NDC("00002143380")), tierCode: "2",
                           priorAuthorization: UMFlag(required: true), stepTherapy: UMFlag(required: false),
                           quantityLimit: QuantityLimit(required: true, amount: 4, days: 28), selectedDrug: false, sourceLine: 2),
            FormularyEntry(scope: scope, drug: DrugRef(rxcui: RxCUI("856783"), ndc: NDC("00093071101")), tierCode: "1",
                           priorAuthorization: UMFlag(required: false), stepTherapy: UMFlag(required: false),
                           quantityLimit: QuantityLimit(required: false), selectedDrug: true, sourceLine: 3),
        ])
    }

    @Test("LF line ends and a missing final newline read like CRLF")
    func lineFeedsWithoutFinalNewline() throws {
        let (outcome, sink) = try importBasic(fixture: "partd_basic_lf_only_no_final_newline.txt")
        #expect(outcome.counts["formulary rows"] == 2)
        #expect(sink.entries.map(\.drug.rxcui?.rawValue) == ["1551300", "856783"])
    }

    @Test("A UTF-8 byte-order mark and blank lines do not disturb the header or the line numbers")
    func byteOrderMarkAndBlankLines() throws {
        let scratch = try ScratchFolder()
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(try PartDFixtures.data("partd_basic_11_columns.txt"))
        data.append(Data("\r\n\r\n".utf8))
        let file = try scratch.write(data, as: PartDFixtures.basicName)
        let (_, sink) = try importPartD([file])
        #expect(sink.entries.map(\.sourceLine) == [2, 3])
    }

    @Test("Lower-case insulin headers and PRIOR_AUTHORIZATION_YN in the excluded table are accepted")
    func headerVariants() throws {
        let scratch = try ScratchFolder()
        try scratch.stage(releaseFile: PartDFixtures.basicName, as: "r/\(PartDFixtures.basicName)")
        try scratch.write(lines: [
            "contract_id|plan_id|rxcui|tier|quantity_limit_yn|quantity_limit_amount|quantity_limit_days|prior_authorization_yn|step_therapy_yn",
            "H0028|007|312950|1|Y|6|30|Y|N",
        ], as: "r/excluded drugs formulary file  PPUF_2026Q1.txt")
        let (_, sink) = try importPartD([scratch.url.appendingPathComponent("r")])
        let excluded = try #require(sink.entries.last)
        #expect(excluded.status == .coveredSupplemental)
        #expect(excluded.priorAuthorization == UMFlag(required: true))
        #expect(excluded.cappedBenefit == nil)
    }

    @Test("A column named twice is ambiguous and refused")
    func repeatedColumn() throws {
        let scratch = try ScratchFolder()
        let file = try scratch.write(lines: [
            "FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|rxcui",
            "00026408|17|2026|1551300|00002143380|2|N| | |N|N|1551300",
        ], as: PartDFixtures.basicName)
        let (problems, _) = try invalidRows { _ = try importPartD([file]) }
        #expect(problems.first?.field == "RXCUI")
        #expect(problems.first?.expected.contains("more than once") == true)
    }

    @Test("Any chunk size gives the same rows", arguments: [1, 2, 7, 64, 1 << 20])
    func chunkSizes(chunkSize: Int) throws {
        let url = try PartDFixtures.release().appendingPathComponent(PartDFixtures.basicName)
        let file = try #require(try InputCatalog(inputs: [url]).files.first)
        func read(_ size: Int) throws -> [FormularyEntry] {
            let sink = InMemoryImportSink()
            var consumer = BasicFormularyReader(sink: sink)
            var ledger = ProblemLedger(maxRejects: 0)
            let reader = DelimitedTableReader(file: file, role: "basic drugs formulary", encoding: .ascii, requiresRows: true, chunkSize: size)
            _ = try reader.read(into: &consumer, sink: sink, ledger: &ledger, progress: nil)
            _ = try ledger.settle()
            return sink.entries
        }
        #expect(try read(chunkSize) == read(1 << 20))
    }

    @Test("A line longer than the limit is a file problem, not an unbounded buffer")
    func lineTooLong() throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(Data(repeating: 0x41, count: 10_000), as: PartDFixtures.basicName)
        let file = try #require(try InputCatalog(inputs: [url]).files.first)
        let sink = InMemoryImportSink()
        var consumer = BasicFormularyReader(sink: sink)
        var ledger = ProblemLedger(maxRejects: 10)
        let reader = DelimitedTableReader(
            file: file, role: "basic drugs formulary", encoding: .ascii, chunkSize: 1000, maximumLineLength: 4096
        )
        _ = try reader.read(into: &consumer, sink: sink, ledger: &ledger, progress: nil)
        #expect(ledger.hasFailed)
        #expect(ledger.problems.first?.expected.contains("lines of at most 4096 bytes") == true)
    }
}

/// Records progress calls.
final class ProgressLog: ImportProgressReporting {
    var calls: [(file: String, bytes: Int64, total: Int64?, rows: Int)] = []

    func importProgress(file: String, bytesRead: Int64, totalBytes: Int64?, rows: Int) {
        calls.append((file, bytesRead, totalBytes, rows))
    }
}

@Suite("Part D importer: progress")
struct PartDProgressTests {
    @Test("Progress is reported at the end of every table with its rows and bytes")
    func fileEnds() throws {
        let log = ProgressLog()
        _ = try importPartD([try PartDFixtures.release()], progress: log)
        #expect(log.calls.count == 6)
        let basic = try #require(log.calls.first)
        #expect(basic.file == "release/\(PartDFixtures.basicName)")
        #expect(basic.rows == 7)
        #expect(basic.bytes == basic.total)
    }

    @Test("Progress is reported every interval of rows")
    func interval() throws {
        let url = try PartDFixtures.release().appendingPathComponent(PartDFixtures.basicName)
        let file = try #require(try InputCatalog(inputs: [url]).files.first)
        let log = ProgressLog()
        let sink = InMemoryImportSink()
        var consumer = BasicFormularyReader(sink: sink)
        var ledger = ProblemLedger(maxRejects: 0)
        let reader = DelimitedTableReader(file: file, role: "basic drugs formulary", encoding: .ascii, progressInterval: 3)
        _ = try reader.read(into: &consumer, sink: sink, ledger: &ledger, progress: log)
        #expect(log.calls.map(\.rows) == [3, 6, 7])
        #expect(log.calls.map(\.bytes) == log.calls.map(\.bytes).sorted())
    }
}
