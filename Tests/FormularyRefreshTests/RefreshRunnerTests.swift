import Foundation
import Logging
import Testing
import FormularyModel
import FormularyRefresh
import FormularyStore

/// A store in a temporary folder plus a runner with short timeouts, for one test.
struct RefreshFixture: ~Copyable {
    let directory: URL
    let store: FormularyStore
    let runner: RefreshRunner

    init(attempts: Int = 2, readTimeout: Double = 1) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-refresh-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try FormularyStore(path: directory.appendingPathComponent("db.sqlite").path)
        var logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        runner = RefreshRunner(
            store: store, options: .init(keep: 2, http: .init(readTimeout: readTimeout, totalTimeout: 10, attempts: attempts, backoff: 0.05)),
            logger: logger)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func manifest(_ yaml: String) throws -> SourceManifest {
        try SourceManifest.parse(yaml, file: "sources.yaml", base: directory)
    }

    func run(_ yaml: String) throws -> [RefreshRunner.Report] {
        runner.run(try manifest(yaml))
    }
}

/// A minimal Part D basic formulary table, with one tier that varies so content can change.
func basicFormulary(tier: Int = 1) -> Data {
    Data(("FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|SELECTED_DRUG_YN\r\n"
        + "00026901|17|2026|312941|09990000101|\(tier)|N| | |N|N|N\r\n"
        + "00026901|17|2026|1790892|09990000102|3|Y|30|30|N|Y|N\r\n").utf8)
}

let tablePath = "/basic%20drugs%20formulary%20file%20%20PPUF_2026Q1.txt"

/// A value a test changes while the server's event loop reads it.
///
/// `@unchecked Sendable`: the value is only touched under `lock`.
final class Shared<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// A URL path another table of the same name can live at (importers recognise tables by name).
func tablePath(in folder: String) -> String { "/\(folder)" + tablePath }

@Suite("refresh against a loopback server", .serialized)
struct RefreshRunnerTests {
    func source(_ server: LoopbackServer, _ path: String = tablePath, name: String = "partd", extra: String = "") -> String {
        """
        sources:
          - name: \(name)
            format: partd
            location: \(server.url(path).absoluteString)
        \(extra)
        """
    }

    @Test("200 imports; the next run sends the ETag back and a 304 costs no import")
    func conditional() throws {
        let fixture = try RefreshFixture()
        let server = try LoopbackServer()
        server.route(tablePath) { request, _ in
            request.headers["if-none-match"] == "\"v1\""
                ? .init(status: 304)
                : .init(headers: ["ETag": "\"v1\"", "Content-Type": "text/plain"], body: basicFormulary())
        }
        let first = try fixture.run(source(server))
        #expect(first.map(\.changed) == [true])
        let second = try fixture.run(source(server))
        #expect(second.first?.line == "partd: unchanged (HTTP 304 not modified)")
        #expect(server.requests.last?.headers["if-none-match"] == "\"v1\"")
        #expect(try fixture.store.snapshots().count == 1)
    }

    @Test("the same content without validators is unchanged by SHA-256; new content is a new snapshot")
    func contentHash() throws {
        let fixture = try RefreshFixture()
        let server = try LoopbackServer()
        let tier = Shared(1)
        server.route(tablePath) { _, _ in .init(body: basicFormulary(tier: tier.value)) }
        _ = try fixture.run(source(server))
        let same = try fixture.run(source(server))
        #expect(same.first?.line.hasPrefix("partd: unchanged (sha256 ") == true)
        tier.value = 2
        let changed = try fixture.run(source(server))
        #expect(changed.first?.changed == true)
        #expect(try fixture.store.snapshots().count == 2)
    }

    @Test("404 fails at once with no retry; 500 then 200 retries and imports")
    func statuses() throws {
        let fixture = try RefreshFixture(attempts: 3)
        let server = try LoopbackServer()
        server.route(tablePath(in: "flaky")) { _, count in count == 0 ? .init(status: 500) : .init(body: basicFormulary()) }
        let missing = try fixture.run(source(server, "/missing.txt", name: "gone"))
        #expect(missing.first?.line.contains("answered HTTP 404") == true)
        #expect(server.requests.filter { $0.path == "/missing.txt" }.count == 1)
        let flaky = try #require(try fixture.run(source(server, tablePath(in: "flaky"), name: "flaky")).first)
        #expect(flaky.changed, "\(flaky.line)")
        #expect(server.requests.filter { $0.path == tablePath(in: "flaky") }.count == 2)
    }

    @Test("a truncated body, a slow server, an HTML page and an oversized body all fail and import nothing", arguments: [
        ("truncated", LoopbackServer.Answer(body: basicFormulary(), cutAfter: 40), "", "ended after"),
        ("slow", LoopbackServer.Answer(body: basicFormulary(), delay: 2.5), "", "did not answer within"),
        ("html", LoopbackServer.Answer(headers: ["Content-Type": "text/html; charset=utf-8"], body: Data("<html>sign in</html>".utf8)), "", "sent text/html"),
        ("big", LoopbackServer.Answer(body: Data(repeating: 65, count: 5000)), "    maxBytes: 1000", "more than the 1,000 bytes"),
    ])
    func badBodies(name: String, answer: LoopbackServer.Answer, extra: String, expected: String) throws {
        let fixture = try RefreshFixture(attempts: 2, readTimeout: 1)
        let server = try LoopbackServer()
        server.route("/\(name).txt") { _, _ in answer }
        let report = try #require(try fixture.run(source(server, "/\(name).txt", name: name, extra: extra)).first)
        #expect(report.failed)
        #expect(report.line.contains(expected), "\(report.line)")
        #expect(try fixture.store.snapshots().isEmpty)
        server.stop()
    }

    @Test("one failing source does not stop the others, and the previous snapshot stays current")
    func isolation() throws {
        let fixture = try RefreshFixture()
        let server = try LoopbackServer()
        let broken = Shared(false)
        server.route(tablePath) { _, _ in broken.value ? .init(status: 503) : .init(body: basicFormulary()) }
        server.route(tablePath(in: "other")) { _, _ in .init(body: basicFormulary(tier: 4)) }
        let yaml = source(server) + "\n" + """
          - name: other
            format: partd
            location: \(server.url(tablePath(in: "other")).absoluteString)
        """
        _ = try fixture.run(yaml)
        broken.value = true
        let reports = try fixture.run(yaml)
        #expect(reports.map(\.failed) == [true, false], "\(reports.map(\.line))")
        #expect(try fixture.store.snapshots().filter(\.isCurrent).count == 2)
    }

    @Test("a manifest checksum that does not match fails the source")
    func checksum() throws {
        let fixture = try RefreshFixture()
        let server = try LoopbackServer()
        server.route(tablePath) { _, _ in .init(body: basicFormulary()) }
        let report = try #require(try fixture.run(source(server, extra: "    sha256: " + String(repeating: "0", count: 64))).first)
        #expect(report.line.contains("the manifest expects 0000"))
    }

    @Test("local folders refresh too, and --keep prunes old snapshots")
    func localAndKeep() throws {
        let fixture = try RefreshFixture()
        let folder = fixture.directory.appendingPathComponent("release")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let table = folder.appendingPathComponent("basic drugs formulary file  PPUF_2026Q1.txt")
        let yaml = "sources:\n  - name: local\n    location: release\n"
        for tier in 1...3 {
            try basicFormulary(tier: tier).write(to: table)
            let report = try #require(try fixture.run(yaml).first)
            #expect(report.changed, "\(report.line)")
        }
        #expect(try fixture.store.snapshots().count == 2)
        #expect(try fixture.run(yaml).first?.changed == false)
    }
}

@Suite("sources manifest and lock")
struct ManifestTests {
    @Test("manifest errors name the line", arguments: [
        ("sources:\n  - name: a\n    location: x\n  - name: a\n    location: y\n", 4, "already declared on line 2"),
        ("sources:\n  - name: a\n    format: csv\n    location: x\n", 3, "`format` must be one of"),
        ("sources:\n  - name: a\n    colour: red\n    location: x\n", 3, "unknown key `colour`"),
        ("sources:\n  - name: a b\n    location: x\n", 2, "`name` is required"),
        ("sources:\n  - name: a\n    location: ftp://x/y\n", 3, "must be http(s) or a local path"),
        ("sources:\n  - name: a\n    location: x\n    sha256: abc\n", 4, "64 hexadecimal digits"),
        ("other: 1\n", 1, "unknown key `other`"),
        ("alerts: x\n", 1, "expected `sources:`"),
        ("sources:\n  - name: a\n    location: x\nnotifyCommand: \"\"\n", 4, "`notifyCommand` must be a command line"),
    ])
    func errors(yaml: String, line: Int, message: String) {
        #expect {
            try SourceManifest.parse(yaml, file: "sources.yaml", base: URL(fileURLWithPath: "/tmp"))
        } throws: { error in
            let text = (error as? RefreshError)?.errorDescription ?? ""
            return text.hasPrefix("sources.yaml:\(line):") && text.contains(message)
        }
    }

    @Test("relative paths resolve against the manifest; URLs stay URLs")
    func locations() throws {
        let manifest = try SourceManifest.parse(
            "sources:\n  - name: a\n    location: data/x.zip\n  - name: b\n    format: qhp\n    location: https://example.org/cms-data-index.json\n",
            file: "m.yaml", base: URL(fileURLWithPath: "/etc/formulary"))
        #expect(manifest.sources.map(\.location.description) == ["/etc/formulary/data/x.zip", "https://example.org/cms-data-index.json"])
        #expect(manifest.sources.map(\.format) == [nil, .qhp])
    }

    @Test("a second refresh cannot take the lock while the first holds it")
    func lock() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let first = try RefreshLock(path: path)
            #expect(throws: RefreshError.self) { try RefreshLock(path: path) }
            withExtendedLifetime(first) {}
        }
        // Released with the first holder, the lock can be taken again.
        _ = try RefreshLock(path: path)
    }

    @Test("the bundled example manifest is valid")
    func example() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Formularies/sources.example.yaml")
        let manifest = try SourceManifest.load(from: url)
        #expect(manifest.sources.map(\.name).contains("partd-2026q1"))
    }
}
