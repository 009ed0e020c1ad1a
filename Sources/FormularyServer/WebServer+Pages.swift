import Foundation
import Hummingbird
import MultipartKit
import FormularyAnalysis
import FormularyApp
import FormularyCriteria
import FormularyModel
import FormularyReports
import FormularyStore

/// The pages clinic staff use: patient, plans, analysis, pre-check, comparison, watchlist and data
/// status. Server-rendered, no script, every form with a CSRF token, printable.
extension WebServer {
    /// The request's session and the cookie to set when it is new.
    func session(_ request: Request) async -> BrowserSession {
        await sessions.session(request.cookies["fsid"]?.value)
    }

    /// A page response that keeps (or sets) the session cookie.
    func page(_ session: BrowserSession, _ request: Request, title: String, current: String, body: String) -> Response {
        withCookie(WebServer.html(HTML.page(title: title, current: current, body: body)), session, request)
    }

    func withCookie(_ response: Response, _ session: BrowserSession, _ request: Request) -> Response {
        guard request.cookies["fsid"]?.value != session.id else { return response }
        var response = response
        response.setCookie(.init(name: "fsid", value: session.id, path: "/", secure: !ServerSettings.isLoopback(settings.host), httpOnly: true, sameSite: .strict))
        return response
    }

    func addPages(to router: Router<WebContext>) {
        router.get("/") { request, _ in try await self.patientPage(request, notice: nil) }
        router.post("/patient") { request, context in try await self.uploadPatient(request, context) }
        router.post("/patient/watch") { request, context in try await self.patientFromWatchlist(request, context) }
        router.get("/plans") { request, _ in try await self.plansPage(request) }
        router.get("/analysis") { request, _ in try await self.analysisPage(request) }
        router.get("/precheck") { request, _ in try await self.precheckPage(request) }
        router.get("/precheck/download") { request, _ in try await self.precheckDownload(request) }
        router.get("/compare") { request, _ in try await self.comparePage(request) }
        router.get("/watchlist") { request, _ in try await self.watchlistPage(request, notice: nil) }
        router.post("/watchlist") { request, context in try await self.saveToWatchlist(request, context) }
        router.get("/status") { request, _ in try await self.statusPage(request) }
        router.get("/login") { request, _ in try await self.loginPage(request, failed: false) }
        router.post("/login") { request, context in try await self.login(request, context) }
    }

    // MARK: Patient

    func patientPage(_ request: Request, notice: String?) async throws -> Response {
        let session = await session(request)
        let token = await sessions.csrfToken(for: session.id)
        var body = notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? ""
        if let patient = session.patient {
            body += "<section aria-labelledby=\"current\"><h2 id=\"current\">Current patient</h2><p>Patient <strong>\(HTML.escape(patient.id))</strong>"
                + (patient.plans.isEmpty ? "" : ", plans \(HTML.escape(patient.plans.joined(separator: ", ")))")
                + ". <a href=\"/analysis\">See the analysis</a> · <a href=\"/plans\">Choose plans and options</a></p>"
                + "<p>The profile stays in this server's memory for this browser only, and is forgotten after two hours, unless you save it to the watchlist.</p></section>"
        }
        body += """
            <section aria-labelledby="upload"><h2 id="upload">Upload a patient</h2>
            <form method="post" action="/patient" enctype="multipart/form-data">\(HTML.csrf(token))
            <label for="profile">Profile (YAML or JSON, the documented patient format), FHIR records (a JSON Bundle or resource, NDJSON, XML: claims, dispenses, conditions, PHQ-9) or a monitoring log (CSV, JSON)</label>
            <input type="file" id="profile" name="profile" accept=".yaml,.yml,.json,.ndjson,.xml,.csv,.txt">
            <label for="profileText">or paste it</label>
            <textarea id="profileText" name="profileText" rows="8" cols="70"></textarea>
            <p><button type="submit">Use this patient</button></p></form></section>
            """
        let watches = try store.watches()
        body += "<section aria-labelledby=\"watched\"><h2 id=\"watched\">Or pick a watched patient</h2>"
        if watches.isEmpty {
            body += "<p>No patient is on the watchlist.</p>"
        } else {
            body += "<form method=\"post\" action=\"/patient/watch\">\(HTML.csrf(token))<label for=\"watch\">Watched patient</label><select id=\"watch\" name=\"watch\">"
                + watches.map { "<option value=\"\($0.id)\">\(HTML.escape($0.label))</option>" }.joined()
                + "</select> <button type=\"submit\">Use</button></form>"
        }
        body += "</section>"
        return page(session, request, title: "Patient", current: "/", body: body)
    }

    /// A form the pages post: it carries the session's CSRF token.
    protocol CSRFForm: Decodable { var csrf: String? { get } }

    struct UploadForm: CSRFForm {
        var csrf: String?
        var profile: String?
        var profileText: String?
    }

    func uploadPatient(_ request: Request, _ context: WebContext) async throws -> Response {
        var session = await session(request)
        let form = try await postedForm(UploadForm.self, request, context, session)
        let text = [form.profile, form.profileText].compactMap { $0 }.first { !WebServer.isBlank($0) }
        guard let text else { throw Problem.badRequest("choose a profile file or paste one", field: "profile") }
        let upload = try records.profile(uploaded: text, name: "uploaded")
        session.patient = upload.profile
        session.patientText = upload.text
        session.patientFile = "uploaded.yaml"
        await sessions.update(session)
        return withCookie(WebServer.redirect("/plans"), session, request)
    }

    struct WatchPick: CSRFForm {
        var csrf: String?
        var watch: Int64?
    }

    func patientFromWatchlist(_ request: Request, _ context: WebContext) async throws -> Response {
        var session = await session(request)
        let form = try await postedForm(WatchPick.self, request, context, session)
        guard let id = form.watch, let watch = try store.watches().first(where: { $0.id == id }) else {
            throw Problem.notFound("no watched patient with that id", field: "watch")
        }
        session.patient = try PatientLoader.load(text: watch.profile, file: watch.fileName, reference: documents.reference)
        session.patientText = watch.profile
        session.patientFile = watch.fileName
        await sessions.update(session)
        return withCookie(WebServer.redirect("/plans"), session, request)
    }

    // MARK: Plans

    func plansPage(_ request: Request) async throws -> Response {
        let session = await session(request)
        let search = request.uri.queryParameters.get("search") ?? ""
        let plans = try store.plans(search: search.isEmpty ? nil : search)
        let chosen = Set(session.patient?.plans ?? [])
        var body = """
            <form method="get" action="/plans" role="search"><label for="search">Find plans (id, name, organization, state)</label>
            <input id="search" name="search" value="\(HTML.escape(search))"> <button type="submit">Search</button></form>
            """
        if session.patient == nil { body += "<p class=\"notice\">No patient yet: <a href=\"/\">upload one</a> to analyze.</p>" }
        body += "<form method=\"get\" action=\"/analysis\"><fieldset><legend>Plans to analyze</legend><table><caption>\(plans.count) plan\(plans.count == 1 ? "" : "s")</caption>"
            + "<thead><tr><th scope=\"col\">Choose</th><th scope=\"col\">Plan</th><th scope=\"col\">Name</th><th scope=\"col\">Year</th><th scope=\"col\">States</th><th scope=\"col\">Source</th></tr></thead><tbody>"
        for listing in plans.prefix(500) {
            let id = listing.plan.id.rawValue
            body += "<tr><td><input type=\"checkbox\" name=\"plan\" value=\"\(HTML.escape(id))\" id=\"p-\(HTML.escape(id))\"\(chosen.contains(id) ? " checked" : "")></td>"
                + "<th scope=\"row\"><label for=\"p-\(HTML.escape(id))\">\(HTML.escape(id))</label></th><td>\(HTML.escape(listing.plan.name ?? ""))</td>"
                + "<td>\(listing.plan.year.map(String.init) ?? "")</td><td>\(HTML.escape(listing.plan.states.joined(separator: ", ")))</td>"
                + "<td>\(HTML.escape(listing.snapshot.sourceName))</td></tr>"
        }
        body += "</tbody></table></fieldset><fieldset><legend>Options to check (none: every TRD option)</legend>"
        for option in documents.reference.options where option.trdOption {
            body += "<label><input type=\"checkbox\" name=\"option\" value=\"\(HTML.escape(option.id))\"> \(HTML.escape(option.displayName))</label>"
        }
        body += "</fieldset><p><button type=\"submit\">Analyze</button> <button type=\"submit\" formaction=\"/compare\">Compare plans</button></p></form>"
        return page(session, request, title: "Plans", current: "/plans", body: body)
    }

    // MARK: Analysis, pre-check, comparison

    /// The session's patient, or a page that asks for one.
    func requirePatient(_ session: BrowserSession) throws -> PatientProfile {
        guard let patient = session.patient else {
            throw Problem(status: 409, title: "No patient", detail: "upload a patient profile first (Patient page)", errors: [.init(field: "profile", detail: "no patient in this browser session")])
        }
        return patient
    }

    func analysisPage(_ request: Request) async throws -> Response {
        let session = await session(request)
        let patient = try requirePatient(session)
        let plans = request.uri.queryParameters.getAll("plan")
        let options = request.uri.queryParameters.getAll("option")
        let analysis = try service.analyze(patient, plans: plans, options: options)
        guard let first = analysis.plans.first else { throw Problem.notFound("the analysis holds no plan", field: "plan") }
        let shown = request.uri.queryParameters.get("show").flatMap { key in analysis.plans.first { $0.planKey == key } } ?? first
        let report = try ReportService.coverage(analysis, plan: shown.planKey, appeals: reportReferences.appeals)
        var extra = ""
        if analysis.plans.count > 1 {
            extra += "<p>Plans: " + analysis.plans.map { plan in
                plan.planKey == shown.planKey ? "<strong>\(HTML.escape(plan.planKey))</strong>"
                    : "<a href=\"/analysis?\(Self.query(plans.map { ("plan", $0) } + options.map { ("option", $0) } + [("show", plan.planKey)]))\">\(HTML.escape(plan.planKey))</a>"
            }.joined(separator: " · ") + "</p>"
        }
        // For the staff: the shortlist in the payer's terms, each with its pre-check.
        extra += "<section aria-labelledby=\"precheck-list\"><h2 id=\"precheck-list\">Pre-check the shortlist</h2><ul>" + shown.shortlist.map { item in
            "<li><a href=\"/precheck?\(Self.query([("plan", shown.planKey), ("option", item.optionID)]))\">\(HTML.escape(item.name))</a>: "
                + HTML.escape(item.reason) + "</li>"
        }.joined() + "</ul><p><a href=\"/compare?\(Self.query(plans.map { ("plan", $0) }))\">Compare plans</a></p></section>"
        return withCookie(WebServer.html(HTML.wrapReport(try report.render(.html), current: "/analysis", extra: extra)), session, request)
    }

    /// The plan and option of a pre-check, with the analysis for exactly them.
    func precheckAnalysis(_ request: Request, _ session: BrowserSession) throws -> (AnalysisResult, plan: String, option: String) {
        let patient = try requirePatient(session)
        guard let plan = request.uri.queryParameters.get("plan"), !plan.isEmpty else { throw Problem.badRequest("choose a plan", field: "plan") }
        guard let option = request.uri.queryParameters.get("option"), !option.isEmpty else { throw Problem.badRequest("choose an option", field: "option") }
        let analysis = try service.analyze(patient, plans: [Self.planReference(fromKey: plan)], options: [option])
        let key = analysis.plans.first { $0.planKey == plan || $0.planID == plan }?.planKey ?? plan
        let optionID = analysis.plans.first?.options.first?.optionID ?? option
        return (analysis, key, optionID)
    }

    func precheckPage(_ request: Request) async throws -> Response {
        let session = await session(request)
        let (analysis, plan, option) = try precheckAnalysis(request, session)
        let sheet = try ReportService.precheck(analysis, plan: plan, option: option)
        let token = await sessions.csrfToken(for: session.id)
        let query = Self.query([("plan", plan), ("option", option)])
        let extra = "<p>Download: " + ["html", "md", "json"].map { "<a href=\"/precheck/download?\(query)&amp;format=\($0)\">\($0.uppercased())</a>" }.joined(separator: " · ")
            + " · print this page for the chart</p>"
            + "<form method=\"post\" action=\"/watchlist\">\(HTML.csrf(token))<label for=\"label\">Save this patient to the watchlist as</label>"
            + "<input id=\"label\" name=\"label\" required pattern=\"[A-Za-z0-9._-]{1,64}\" value=\"\(HTML.escape(session.patient?.id ?? ""))\"> <button type=\"submit\">Save to watchlist</button></form>"
        return withCookie(WebServer.html(HTML.wrapReport(try sheet.render(.html), current: "/analysis", extra: extra)), session, request)
    }

    func precheckDownload(_ request: Request) async throws -> Response {
        let session = await session(request)
        let (analysis, plan, option) = try precheckAnalysis(request, session)
        let sheet = try ReportService.precheck(analysis, plan: plan, option: option)
        let format: ReportFormat
        switch request.uri.queryParameters.get("format") ?? "html" {
        case "html": format = .html
        case "md": format = .markdown
        case "json": format = .json
        default: throw Problem.badRequest("format is html, md or json", field: "format")
        }
        let type = format == .html ? "text/html; charset=utf-8" : format == .json ? "application/json" : "text/markdown; charset=utf-8"
        let name = "precheck-\(option)-\(analysis.asOf).\(format.fileExtension)"
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: .init(byteBuffer: ByteBuffer(string: try sheet.render(format))))
    }

    func comparePage(_ request: Request) async throws -> Response {
        let session = await session(request)
        let patient = try requirePatient(session)
        let plans = request.uri.queryParameters.getAll("plan")
        let analysis = try service.analyze(patient, plans: plans)
        let report = try comparison(analysis, plans: plans)
        return withCookie(WebServer.html(HTML.wrapReport(try report.render(.html), current: "/compare", extra: "")), session, request)
    }

    /// The comparison report of `analysis`, with each plan's premium, deductible and cost-share
    /// rows from the database and the cost model in force. `plans` empty: the patient's plans.
    func comparison(_ analysis: AnalysisResult, plans: [String]) throws -> PlanComparison {
        try ReportService.comparison(analysis, plans: plans.isEmpty ? nil : analysis.plans.map(\.planKey),
                                     facts: try ReportInputs.planFacts(for: analysis, store: store),
                                     costModel: reportReferences.costModel, appeals: reportReferences.appeals)
    }

    // MARK: Watchlist and status

    func watchlistPage(_ request: Request, notice: String?) async throws -> Response {
        let session = await session(request)
        let token = await sessions.csrfToken(for: session.id)
        var body = notice.map { "<p class=\"notice\" role=\"status\">\(HTML.escape($0))</p>" } ?? ""
        let watches = try store.watches()
        body += HTML.table(caption: "Watched patients (labels only)", headers: ["Label", "Plans", "Added", "Last checked"], rows: watches.map {
            [$0.label, $0.plans.isEmpty ? "(from the profile)" : $0.plans.joined(separator: ", "), $0.addedAt.formatted(.iso8601),
             $0.lastAnalyzedAt?.formatted(.iso8601) ?? "never"]
        })
        let alerts = try store.alerts(limit: 50)
        body += HTML.table(caption: "Alerts, newest first", headers: ["#", "Label", "As of", "Status"], rows: alerts.map {
            ["\($0.id)", $0.label, $0.asOf, $0.isPending ? "pending" + ($0.lastError.map { ": " + $0 } ?? "") : "delivered"]
        })
        if session.patient != nil {
            body += "<form method=\"post\" action=\"/watchlist\">\(HTML.csrf(token))<label for=\"label\">Save the current patient as</label><input id=\"label\" name=\"label\" required pattern=\"[A-Za-z0-9._-]{1,64}\" value=\"\(HTML.escape(session.patient?.id ?? ""))\"> <button type=\"submit\">Save to watchlist</button></form>"
        }
        return page(session, request, title: "Watchlist", current: "/watchlist", body: body)
    }

    struct SaveForm: CSRFForm {
        var csrf: String?
        var label: String?
    }

    func saveToWatchlist(_ request: Request, _ context: WebContext) async throws -> Response {
        let session = await session(request)
        let form = try await postedForm(SaveForm.self, request, context, session)
        _ = try requirePatient(session)
        guard let label = form.label, !label.isEmpty, label.count <= 64, label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw Problem.badRequest("the label takes letters, digits, '.', '_' or '-' (at most 64), never the patient's name", field: "label")
        }
        let entry = try store.addWatch(label: label, profile: session.patientText ?? "", fileName: session.patientFile ?? "uploaded.yaml", plans: [])
        return try await watchlistPage(request, notice: "Saved as \(entry.label) (#\(entry.id)); the next refresh checks it.")
    }

    func statusPage(_ request: Request) async throws -> Response {
        let session = await session(request)
        let snapshots = try store.snapshots()
        var body = HTML.table(caption: "Snapshots (the latest of each source is current)", headers: ["#", "Source", "Format", "Imported", "Current"],
                              rows: snapshots.map {
                                  ["\($0.ref.id)", $0.ref.sourceName, $0.ref.format.displayName, $0.ref.importedAt.formatted(.iso8601), $0.isCurrent ? "yes" : "no"]
                              })
        let runs = try store.refreshRuns(limit: 20)
        body += HTML.table(caption: "Refresh runs, newest first", headers: ["Run", "Started", "Finished", "Exit", "Sources"], rows: runs.map { run in
            ["\(run.id)", run.startedAt.formatted(.iso8601), run.finishedAt?.formatted(.iso8601) ?? "did not finish", run.exitCode.map(String.init) ?? "",
             run.sources.map { "\($0.source): \($0.status.rawValue)" }.joined(separator: "; ")]
        })
        return page(session, request, title: "Data status", current: "/status", body: body)
    }

    // MARK: Sign-in (servers with a token)

    func loginPage(_ request: Request, failed: Bool) async throws -> Response {
        let session = await session(request)
        let token = await sessions.csrfToken(for: session.id)
        let body = (failed ? "<p class=\"error\" role=\"alert\">That token is not right.</p>" : "")
            + "<form method=\"post\" action=\"/login\">\(HTML.csrf(token))<label for=\"token\">Access token</label><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required> <button type=\"submit\">Sign in</button></form>"
        return page(session, request, title: "Sign in", current: "/login", body: body)
    }

    struct LoginForm: Decodable {
        var csrf: String?
        var token: String?
    }

    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        var session = await session(request)
        let buffer = try await request.body.collect(upTo: 64 << 10)
        let form = try Self.decodeForm(LoginForm.self, request: request, buffer: buffer)
        guard await sessions.verify(csrf: form.csrf, for: session.id) else { throw Self.csrfProblem }
        guard let expected = settings.token, let given = form.token, TokenMiddleware.equal(given, expected) else {
            return try await loginPage(request, failed: true)
        }
        session.authenticated = true
        await sessions.update(session)
        return withCookie(WebServer.redirect("/"), session, request)
    }

    // MARK: Forms

    static let csrfProblem = Problem(status: 403, title: "Form expired", detail: "the form's security token does not match this browser session: reload the page and try again",
                                     errors: [.init(field: "csrf", detail: "missing or wrong")])

    /// A form body: `application/x-www-form-urlencoded` or `multipart/form-data`.
    /// A posted form's fields, after its CSRF token is checked against `session`.
    func postedForm<T: CSRFForm>(_ type: T.Type, _ request: Request, _ context: WebContext, _ session: BrowserSession) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let form = try Self.decodeForm(type, request: request, buffer: buffer)
        guard await sessions.verify(csrf: form.csrf, for: session.id) else { throw Self.csrfProblem }
        return form
    }

    static func decodeForm<T: Decodable>(_ type: T.Type, request: Request, buffer: ByteBuffer) throws -> T {
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            guard let boundary = contentType.components(separatedBy: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
                .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count) else {
                throw Problem.badRequest("the multipart form has no boundary", field: "Content-Type")
            }
            do {
                return try FormDataDecoder().decode(T.self, from: buffer, boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            } catch {
                throw Problem.badRequest("the form could not be read", field: "body")
            }
        }
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: String(buffer: buffer))
        } catch {
            throw Problem.badRequest("the form could not be read", field: "body")
        }
    }

    /// What to analyze for a plan key: the pinned version of `99990AZ0010001 (A-2025-07)` (which
    /// names the plan and pins its version), else the plan id itself.
    static func planReference(fromKey key: String) -> String {
        guard key.hasSuffix(")"), let open = key.lastIndex(of: "(") else { return key }
        return String(key[key.index(after: open)..<key.index(before: key.endIndex)])
    }

    /// A query string, escaped.
    static func query(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&amp;")
    }
}
