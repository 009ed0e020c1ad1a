import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import FormularyApp
import FormularyImport
import FormularyModel
import FormularyServer
import FormularyStore

/// The web app and the API in process (HummingbirdTesting's router framework): pages, forms with
/// CSRF, problem details, limits, headers, tokens, and logs without patient data.
@Suite("formulary serve: routes", .serialized)
struct ServerRouteTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func repo(_ path: String) -> String { repository.appendingPathComponent(path).path }
    static let s1 = (try? String(contentsOfFile: repo("Formularies/patients/s1-baseline.yaml"), encoding: .utf8)) ?? ""

    /// A database with the bundled reference, Formulary A (QHP) and the Part D sample.
    static func database() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("db.sqlite").path
        let job = ImportJob(store: try FormularyStore(path: path))
        for (input, source) in [("Formularies/reference/rxnorm_subset.csv", "reference"), ("Formularies/qhp/reference-a", "plan-a"), ("Formularies/partd/2026Q1", "partd")] {
            _ = try job.run(.init(inputs: [URL(fileURLWithPath: repo(input))], sourceName: source))
        }
        return path
    }

    static func documents() -> DocumentChoice {
        DocumentChoice(criteria: repo("Formularies/criteria"), reference: repo("Formularies/reference"))
    }

    static func server(token: String? = nil, host: String = "127.0.0.1", logs: LogCapture = LogCapture()) throws -> WebServer {
        let settings = ServerSettings(host: host, port: 0, token: token, databasePath: try database(), documents: documents())
        return try WebServer(settings: settings, logger: Logger(label: "test") { _ in logs })
    }

    static func json(_ value: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value))
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    /// The session cookie and CSRF token a page hands out.
    static func sessionAndToken(_ client: some TestClientProtocol) async throws -> (cookie: String, token: String) {
        let response = try await client.execute(uri: "/", method: .get)
        let cookie = try #require(response.headers[.setCookie]?.components(separatedBy: ";").first)
        let body = String(buffer: response.body)
        let token = try #require(body.range(of: "name=\"csrf\" value=\"").map { String(body[$0.upperBound...].prefix { $0 != "\"" }) })
        return (cookie, token)
    }

    static func multipart(_ fields: [(String, String, String?)], boundary: String = "formulary-test-boundary") -> (ByteBuffer, String) {
        var text = ""
        for (name, value, fileName) in fields {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"" + (fileName.map { "; filename=\"\($0)\"" } ?? "") + "\r\n"
            if fileName != nil { text += "Content-Type: application/x-yaml\r\n" }
            text += "\r\n\(value)\r\n"
        }
        text += "--\(boundary)--\r\n"
        return (ByteBuffer(string: text), "multipart/form-data; boundary=\(boundary)")
    }

    @Test("upload S1 as a file, then the analysis shows Spravato with PA criteria met, and the pre-check page its checklist and letter")
    func uploadAnalyzePrecheck() async throws {
        let server = try Self.server()
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, token) = try await Self.sessionAndToken(client)
            let (body, type) = Self.multipart([("csrf", token, nil), ("profile", Self.s1, "s1.yaml"), ("profileText", "", nil)])
            let upload = try await client.execute(uri: "/patient", method: .post, headers: [.contentType: type, .cookie: cookie], body: body)
            #expect(upload.status == .seeOther)
            #expect(upload.headers[.location] == "/plans")
            let analysis = try await client.execute(uri: "/analysis", method: .get, headers: [.cookie: cookie])
            #expect(analysis.status == .ok)
            let html = String(buffer: analysis.body)
            #expect(html.contains("Spravato"))
            #expect(html.contains("PA criteria met"), "the shortlist's reason")
            #expect(html.contains("<nav aria-label=\"Main\""))
            let precheck = try await client.execute(uri: "/precheck?plan=99990AZ0010001%20(A-2025-07)&option=esketamine", method: .get, headers: [.cookie: cookie])
            #expect(precheck.status == .ok, "\(String(buffer: precheck.body).prefix(500))")
            let sheet = String(buffer: precheck.body)
            #expect(sheet.contains("Spravato") && sheet.lowercased().contains("letter"))
            #expect(sheet.contains("name=\"csrf\""))
            let markdown = try await client.execute(uri: "/precheck/download?plan=99990AZ0010001&option=esketamine&format=md", method: .get, headers: [.cookie: cookie])
            #expect(markdown.status == .ok)
            #expect(markdown.headers[.contentDisposition]?.contains("attachment") == true)
        }
    }

    @Test("FHIR records upload as a patient, in the form and in the API, and nothing stays staged")
    func uploadRecords() async throws {
        let server = try Self.server()
        let chart = try String(contentsOfFile: Self.repo("Formularies/patients/records/chart.json"), encoding: .utf8)
        let claims = try String(contentsOfFile: Self.repo("Formularies/patients/records/claims.ndjson"), encoding: .utf8)
        let staged = { (try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm"))?.filter { $0.hasPrefix("formulary-upload-") } ?? [] }
        let before = Set(staged())
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, token) = try await Self.sessionAndToken(client)
            let (body, type) = Self.multipart([("csrf", token, nil), ("profile", chart, "chart.json"), ("profileText", "", nil)])
            let upload = try await client.execute(uri: "/patient", method: .post, headers: [.contentType: type, .cookie: cookie], body: body)
            #expect(upload.status == .seeOther, "\(String(buffer: upload.body).prefix(400))")
            let analysis = try await client.execute(uri: "/analysis?plan=99990AZ0010001", method: .get, headers: [.cookie: cookie])
            #expect(analysis.status == .ok)
            #expect(String(buffer: analysis.body).contains("venlafaxine"), "the chart's trial is in the analysis")
            let api = try await client.execute(uri: "/v1/analyses", method: .post, headers: Self.jsonHeaders,
                                               body: try Self.json(["profile": claims, "plans": ["99990AZ0010001"]]))
            #expect(api.status == .ok, "\(String(buffer: api.body).prefix(400))")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(bytesOf: api.body)) as? [String: Any])
            #expect(((result["plans"] as? [[String: Any]])?.first?["trials"] as? [Any])?.isEmpty == false, "the claims became trials")
            let broken = try await client.execute(uri: "/v1/analyses", method: .post, headers: Self.jsonHeaders,
                                                  body: try Self.json(["profile": "{\"resourceType\": \"Bundle\", \"entry\": [", "plans": ["99990AZ0010001"]]))
            #expect(broken.status.code == 422 || broken.status.code == 400, "\(broken.status)")
            #expect(!String(buffer: broken.body).contains("/dev/shm") && !String(buffer: broken.body).contains("formulary-upload-"))
        }
        #expect(Set(staged()).subtracting(before).isEmpty)
    }

    @Test("a form without the session's CSRF token is refused (403), and nothing is kept")
    func csrf() async throws {
        let server = try Self.server()
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, _) = try await Self.sessionAndToken(client)
            let (body, type) = Self.multipart([("csrf", "0000", nil), ("profileText", Self.s1, nil)])
            let response = try await client.execute(uri: "/patient", method: .post, headers: [.contentType: type, .cookie: cookie], body: body)
            #expect(response.status == .forbidden)
            let analysis = try await client.execute(uri: "/analysis", method: .get, headers: [.cookie: cookie])
            #expect(analysis.status == .conflict, "no patient was stored")
        }
    }

    @Test("every response carries the Content-Security-Policy and no-store; pages have lang, a title and one h1")
    func headers() async throws {
        let server = try Self.server()
        try await Application(router: server.router()).test(.router) { client in
            for uri in ["/", "/plans", "/watchlist", "/status", "/v1/snapshots", "/openapi.json", "/nowhere"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(uri)")
                #expect(response.headers[.cacheControl] == "no-store", "\(uri)")
            }
            let page = String(buffer: try await client.execute(uri: "/status", method: .get).body)
            #expect(page.contains("<html lang=\"en\">") && page.contains("<title>Data status"))
            #expect(page.components(separatedBy: "<h1").count == 2)
        }
    }

    @Test("API errors are problem+json naming the field", arguments: [
        ("/v1/analyses", "{}", 400, "profile"),
        ("/v1/analyses", #"{"profile": "schema: formulary-patient/1\nid: X\nbogus: 1\n"}"#, 422, "profile.bogus"),
        ("/v1/analyses", #"{"profile": "id: X", "asOf": "yesterday"}"#, 400, "asOf"),
        ("/v1/analyses", #"{"profile": "id: X", "use": "both"}"#, 400, "use"),
        ("/v1/prechecks", #"{"profile": "id: X", "option": "Spravato"}"#, 400, "plan"),
        ("/v1/analyses", "not json", 400, "body"),
    ])
    func problems(uri: String, body: String, status: Int, field: String) async throws {
        let server = try Self.server()
        try await Application(router: server.router()).test(.router) { client in
            let response = try await client.execute(uri: uri, method: .post, headers: Self.jsonHeaders, body: ByteBuffer(string: body))
            #expect(Int(response.status.code) == status, "\(String(buffer: response.body))")
            #expect(response.headers[.contentType] == "application/problem+json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(bytesOf: response.body)) as? [String: Any])
            #expect(object["status"] as? Int == status && object["title"] != nil && object["detail"] != nil)
            let errors = try #require(object["errors"] as? [[String: Any]])
            #expect(errors.contains { $0["field"] as? String == field }, "\(errors)")
        }
    }

    @Test("the API answers analyses, pre-checks, comparisons, plans, lookups and the data lists")
    func api() async throws {
        let server = try Self.server()
        try await Application(router: server.router()).test(.router) { client in
            let precheck = try await client.execute(uri: "/v1/prechecks", method: .post, headers: Self.jsonHeaders,
                                                    body: try Self.json(["profile": Self.s1, "plan": "99990AZ0010001", "option": "Spravato"]))
            #expect(precheck.status == .ok)
            let shape = try #require(try JSONSerialization.jsonObject(with: Data(bytesOf: precheck.body)) as? [String: Any])
            #expect((shape["option"] as? [String: Any])?["verdict"] as? String == "COVERED_PA_MET")
            let analysis = try await client.execute(uri: "/v1/analyses", method: .post, headers: Self.jsonHeaders, body: try Self.json(["profile": Self.s1]))
            let result = try #require(try JSONSerialization.jsonObject(with: Data(bytesOf: analysis.body)) as? [String: Any])
            #expect(((result["plans"] as? [[String: Any]])?.first?["shortlist"] as? [Any])?.isEmpty == false)
            let comparison = try await client.execute(uri: "/v1/comparisons", method: .post, headers: Self.jsonHeaders,
                                                      body: try Self.json(["profile": Self.s1, "plans": ["A-2025-01", "A-2025-07"]]))
            #expect(comparison.status == .ok, "\(String(buffer: comparison.body).prefix(300))")
            let plans = try await client.execute(uri: "/v1/plans?search=Reference", method: .get)
            #expect(String(buffer: plans.body).contains("99990AZ0010001"))
            let lookup = try await client.execute(uri: "/v1/plans/H9990-001-000/drugs/Trintellix", method: .get)
            #expect(lookup.status == .ok && String(buffer: lookup.body).contains("\"covered\":true"))
            let missing = try await client.execute(uri: "/v1/plans/H9990-001-00/drugs/sertraline", method: .get)
            #expect(missing.status == .notFound && String(buffer: missing.body).contains("did you mean H9990-001-000"))
            for uri in ["/v1/snapshots", "/v1/watchlist", "/v1/alerts", "/v1/refresh-runs"] {
                #expect(try await client.execute(uri: uri, method: .get).status == .ok, "\(uri)")
            }
            let openapi = try #require(try JSONSerialization.jsonObject(with: Data(bytesOf: try await client.execute(uri: "/openapi.json", method: .get).body)) as? [String: Any])
            #expect(openapi["openapi"] as? String == "3.1.0")
            #expect(((openapi["paths"] as? [String: Any])?.count ?? 0) >= 9)
        }
    }

    @Test("a body over 5 MB is refused with 413")
    func bodyLimit() async throws {
        let server = try Self.server()
        try await Application(router: server.router()).test(.router) { client in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: (5 << 20) + 1)
            let response = try await client.execute(uri: "/v1/analyses", method: .post, headers: Self.jsonHeaders, body: big)
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("settings that cannot work are refused with the option named: a port out of range, a negative plan cache, no event loop")
    func badSettings() throws {
        let path = try Self.database()
        for (settings, words) in [(ServerSettings(port: 70_000, databasePath: path), "--port"), (ServerSettings(databasePath: path, planCache: -1), "--plan-cache"),
                                  (ServerSettings(databasePath: path, eventLoops: 0), "--event-loops")] {
            let error = try #require(throws: ServerError.self) { try settings.validate() }
            #expect(error.localizedDescription.contains(words))
        }
        try ServerSettings(databasePath: path, planCache: 0).validate()
    }

    @Test("off loopback a token is required; with one the API wants it and browsers sign in")
    func token() async throws {
        #expect(throws: ServerError.self) { try Self.server(host: "0.0.0.0") }
        let token = "correct-horse-battery-staple"
        let server = try Self.server(token: token, host: "0.0.0.0")
        try await Application(router: server.router()).test(.router) { client in
            #expect(try await client.execute(uri: "/v1/snapshots", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/snapshots", method: .get, headers: [.authorization: "Bearer wrong-token-wrong-token"]).status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/snapshots", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok)
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .seeOther && page.headers[.location] == "/login")
            let login = try await client.execute(uri: "/login", method: .get)
            let cookie = try #require(login.headers[.setCookie]?.components(separatedBy: ";").first)
            let body = String(buffer: login.body)
            let csrf = try #require(body.range(of: "name=\"csrf\" value=\"").map { String(body[$0.upperBound...].prefix { $0 != "\"" }) })
            let signed = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                                                  body: ByteBuffer(string: "csrf=\(csrf)&token=\(token)"))
            #expect(signed.status == .seeOther)
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]).status == .ok)
        }
    }

    @Test("logs hold method, route template, status and duration, never the patient")
    func logs() async throws {
        let logs = LogCapture()
        let server = try Self.server(logs: logs)
        try await Application(router: server.router()).test(.router) { client in
            _ = try await client.execute(uri: "/v1/prechecks", method: .post, headers: Self.jsonHeaders,
                                         body: try Self.json(["profile": Self.s1, "plan": "99990AZ0010001", "option": "Spravato"]))
            _ = try await client.execute(uri: "/v1/plans/H9990-001-000/drugs/sertraline", method: .get)
        }
        let lines = logs.lines
        #expect(lines.contains { $0.contains("route=/v1/prechecks") && $0.contains("status=200") && $0.contains("method=POST") && $0.contains("ms=") })
        #expect(lines.contains { $0.contains("route=/v1/plans/{plan}/drugs/{drug}") })
        for forbidden in ["S1", "sertraline", "F33.2", "2023-12-01", "H9990-001-000"] {
            #expect(!lines.contains { $0.contains(forbidden) }, "\(forbidden) reached the log")
        }
    }
}

/// Collects log lines in memory.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    var lines: [String] { lock.withLock { stored } }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lock.withLock { stored.append("\(event.message) \(fields)") }
    }
}

extension Data {
    /// The readable bytes of a response body.
    init(bytesOf buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}
