import FormularyAnalysis
import FormularyCriteria
@testable import FormularyReports
import Foundation
import Testing

@Suite("Report writer and file names")
struct ReportWriterTests {
    /// A fixed 32-byte secret, as `FormularyStore.reportNameKey()` makes one.
    static let key = ReportNameKey(Data((0..<32).map { UInt8($0) }))!
    static let otherKey = ReportNameKey(Data((0..<32).map { UInt8(255 - $0) }))!

    let analysis: AnalysisResult
    let metadata: ReportMetadata
    let directory: URL

    init() throws {
        var analysis = try ReportFixtures.twoPlans()
        analysis.patient = "Jane Q. Doe"
        self.analysis = analysis
        metadata = ReportFixtures.metadata(for: analysis)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-reports-\(UUID().uuidString)")
    }

    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test("files are mode 0600 in a new 0700 folder, one per format, and the paths are returned")
    func modes() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("nested/Reports").path
        let report = try CoverageReport(analysis: analysis, metadata: metadata)
        let name = ReportFileName(kind: .coverage, subject: .hashed(analysis.patient, key: Self.key), asOf: analysis.asOf)
        let paths = try ReportWriter(directory: out).write(report, formats: ReportFormat.allCases, name: name)
        #expect(paths.count == 3)
        for path in paths {
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try mode(path) == 0o600, "\(path) is owner-only")
        }
        #expect(try mode(out) == 0o700)
        #expect(try mode(directory.appendingPathComponent("nested").path) == 0o700)
        #expect(try String(contentsOfFile: paths[0], encoding: .utf8) == (try report.render(.html)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "no temporary file is left behind")
    }

    @Test("a rewrite replaces a wider-mode file with a 0600 one")
    func replaceWiderFile() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("coverage-x-2025-03-20.md").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
        let written = try ReportWriter(directory: directory.path).write("new", fileName: "coverage-x-2025-03-20.md")
        #expect(written == path)
        #expect(try mode(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
    }

    @Test("names never hold the patient's label: a short stable keyed hash, the kind and the as-of date")
    func naming() throws {
        let name = ReportFileName(kind: .coverage, subject: .hashed("Jane Q. Doe", key: Self.key), asOf: try #require(Day("2025-03-20")))
        let html = name.fileName(.html)
        #expect(html.wholeMatch(of: /coverage-[0-9a-f]{10}-2025-03-20\.html/) != nil, "\(html)")
        #expect(!html.lowercased().contains("jane") && !html.lowercased().contains("doe"))
        #expect(name.fileName(.markdown).hasSuffix("-2025-03-20.md"))
        #expect(name.fileName(.json).hasSuffix("-2025-03-20.json"))
        #expect(ReportFileName(kind: .coverage, subject: .hashed("Jane Q. Doe", key: Self.key), asOf: name.asOf).fileName(.html) == html, "stable across runs")
        #expect(ReportFileName(kind: .coverage, subject: .hashed("John Roe", key: Self.key), asOf: name.asOf).fileName(.html) != html)

        let precheck = ReportFileName(kind: .precheck, subject: .hashed("Jane Q. Doe", key: Self.key), qualifier: "esketamine", asOf: name.asOf)
        #expect(precheck.fileName(.html).wholeMatch(of: /precheck-[0-9a-f]{10}-esketamine-2025-03-20\.html/) != nil)
    }

    @Test("the hash is keyed: another database's secret gives another name, and the unkeyed SHA-256 of the label is not the name")
    func keyedHash() throws {
        let day = try #require(Day("2025-03-20"))
        let mine = ReportFileName(kind: .coverage, subject: .hashed("S1", key: Self.key), asOf: day).subjectToken
        let theirs = ReportFileName(kind: .coverage, subject: .hashed("S1", key: Self.otherKey), asOf: day).subjectToken
        #expect(mine != theirs, "the same short label names different files under different secrets")
        // What the old unsalted scheme produced, and what a guesser would try.
        for guess in ["formulary-report:S1", "formulary-report-name/1:S1", "S1"] {
            #expect(!ReportHash.sha256Hex(guess).hasPrefix(mine))
        }
        // HMAC-SHA256 under the key, the first 10 hex digits.
        let expected = ReportHash.hmacHex(key: Data((0..<32).map { UInt8($0) }), message: "formulary-report-name/1:S1")
        #expect(mine == String(expected.prefix(ReportFileName.hashLength)))
    }

    @Test("a secret shorter than 16 bytes is refused")
    func shortKey() {
        #expect(ReportNameKey(Data(repeating: 7, count: 15)) == nil)
        #expect(ReportNameKey(Data(repeating: 7, count: 16)) != nil)
    }

    @Test("a chosen label is reduced to safe characters; one with none left falls back to the hash")
    func labels() throws {
        let day = try #require(Day("2025-03-20"))
        #expect(ReportFileName(kind: .compare, subject: .label("S1"), asOf: day).fileName(.markdown) == "compare-S1-2025-03-20.md")
        let hostile = ReportFileName(kind: .compare, subject: .label("../../etc/passwd"), qualifier: "a/b c", asOf: day).fileName(.html)
        #expect(hostile == "compare-etc_passwd-a_b_c-2025-03-20.html")
        let empty = ReportFileName(kind: .compare, subject: .label("../"), asOf: day).fileName(.html)
        #expect(empty.wholeMatch(of: /compare-[0-9a-f]{10}-2025-03-20\.html/) != nil)
    }

    @Test("a file name with a path in it is refused")
    func refusesPaths() throws {
        #expect(throws: ReportError.self) { try ReportWriter(directory: directory.path).write("x", fileName: "../escape.html") }
        #expect(throws: ReportError.self) { try ReportWriter(directory: directory.path).write("x", fileName: "..") }
        try? FileManager.default.removeItem(at: directory)
    }

    @Test("the digests are swift-crypto's SHA-256 and HMAC-SHA256 (FIPS 180-4 and RFC 4231 vectors)", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256(_ input: String, _ digest: String) {
        #expect(ReportHash.sha256Hex(input) == digest)
    }

    @Test("HMAC-SHA256 test case 2 of RFC 4231")
    func hmacVector() throws {
        // Key "Jefe" is 4 bytes, below the report-name minimum: check the primitive directly.
        #expect(ReportHash.hmacHex(key: Data("Jefe".utf8), message: "what do ya want for nothing?")
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
