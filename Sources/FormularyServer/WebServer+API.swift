import Foundation
import Hummingbird
import FormularyAnalysis
import FormularyApp
import FormularyCriteria
import FormularyModel
import FormularyReports
import FormularyStore

/// The JSON API under `/v1`, described by `/openapi.json`. Patients come in the request body and
/// are forgotten with the response.
extension WebServer {
    /// What the analysis endpoints take.
    struct AnalysisRequestBody: Decodable {
        /// The patient profile, YAML or JSON text (the documented format).
        var profile: String
        var plans: [String]?
        var plan: String?
        var options: [String]?
        var option: String?
        var asOf: String?
        var use: String?
    }

    func addAPI(to router: Router<WebContext>) {
        router.get("/openapi.json") { _, _ in WebServer.rawJSON(OpenAPIDocument.json) }
        router.post("/v1/analyses") { request, context in
            let body = try await self.decode(request, context)
            let analysis = try self.analyze(body, plans: body.plans ?? [], options: body.options ?? [])
            return try WebServer.json(analysis)
        }
        router.post("/v1/prechecks") { request, context in
            let body = try await self.decode(request, context)
            guard let plan = body.plan, !plan.isEmpty else { throw Problem.badRequest("plan is required", field: "plan") }
            guard let option = body.option, !option.isEmpty else { throw Problem.badRequest("option is required", field: "option") }
            let analysis = try self.analyze(body, plans: [plan], options: [option])
            guard let shape = PrecheckJSON.from(analysis).first else { throw Problem.notFound("no result for plan \(plan)", field: "plan") }
            return try WebServer.json(shape)
        }
        router.post("/v1/comparisons") { request, context in
            let body = try await self.decode(request, context)
            let plans = body.plans ?? []
            let analysis = try self.analyze(body, plans: plans, options: body.options ?? [])
            let comparison = try self.comparison(analysis, plans: plans)
            return WebServer.rawJSON(try comparison.render(.json))
        }
        router.get("/v1/plans") { request, _ in
            let search = request.uri.queryParameters.get("search")
            let yearText = request.uri.queryParameters.get("year")
            var year: Int?
            if let yearText {
                guard let value = Int(yearText), (1900...2200).contains(value) else { throw Problem.badRequest("year must be a year such as 2026", field: "year") }
                year = value
            }
            return try WebServer.json(try self.store.plans(search: search, year: year))
        }
        router.get("/v1/plans/{plan}/drugs/{drug}") { _, context in
            let plan = try context.parameters.require("plan")
            let drug = try context.parameters.require("drug")
            let answer = try LookupService(store: self.store).lookup(plan: plan, drug: drug)
            return try WebServer.json(LookupJSON(answer, query: drug))
        }
        router.get("/v1/snapshots") { _, _ in try WebServer.json(try self.store.snapshots()) }
        router.get("/v1/watchlist") { _, _ in
            try WebServer.json(try self.store.watches().map(WatchJSON.init))
        }
        router.get("/v1/alerts") { request, _ in
            let pending = request.uri.queryParameters.get("pending") == "true"
            return try WebServer.json(try self.store.alerts(limit: 200, pendingOnly: pending).map(AlertJSON.init))
        }
        router.get("/v1/refresh-runs") { _, _ in try WebServer.json(try self.store.refreshRuns(limit: 100)) }
    }

    /// Reads and checks an API body: JSON, with a profile.
    func decode(_ request: Request, _ context: WebContext) async throws -> AnalysisRequestBody {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("application/json") else {
            throw Problem(status: 415, title: "Unsupported media type", detail: "send the body as application/json",
                          errors: [.init(field: "Content-Type", detail: "expected application/json")])
        }
        let body = try JSONDecoder().decode(AnalysisRequestBody.self, from: Data(buffer.readableBytesView))
        guard !Self.isBlank(body.profile) else {
            throw Problem.badRequest("profile is empty: send the patient profile (YAML or JSON text)", field: "profile")
        }
        return body
    }

    /// Whether `text` is empty or only white space and newlines: what trimming it would leave empty,
    /// without copying it (Foundation's trimming copied the whole profile through NSString, 6% of a
    /// pre-check's CPU in perf); stops at the first other character.
    static func isBlank(_ text: String) -> Bool {
        !text.unicodeScalars.contains { !CharacterSet.whitespacesAndNewlines.contains($0) }
    }

    /// Runs the analysis the way every front end does, from a profile text.
    func analyze(_ body: AnalysisRequestBody, plans: [String], options: [String]) throws -> AnalysisResult {
        var asOf: Day?
        if let text = body.asOf {
            guard let day = Day(text) else { throw Problem.badRequest("asOf must be a date YYYY-MM-DD, not \(text)", field: "asOf") }
            asOf = day
        }
        var use: OptionUse?
        if let text = body.use {
            guard let value = OptionUse(rawValue: text) else { throw Problem.badRequest("use must be add-on or switch", field: "use") }
            use = value
        }
        let profile = try profiles.profile(body.profile, cacheable: PatientRecordsService.isProfileText) { text in
            try records.profile(uploaded: text, name: "profile").profile
        }
        return try service.analyze(profile, asOf: asOf, plans: plans, options: options, use: use)
    }
}

/// A watched patient as the API lists it: label and plans, never the profile.
struct WatchJSON: Encodable {
    var id: Int64
    var label: String
    var plans: [String]
    var addedAt: Date
    var lastAnalyzedAt: Date?

    init(_ watch: WatchedPatient) {
        id = watch.id
        label = watch.label
        plans = watch.plans
        addedAt = watch.addedAt
        lastAnalyzedAt = watch.lastAnalyzedAt
    }
}

/// An alert as the API lists it.
struct AlertJSON: Encodable {
    var id: Int64
    var label: String
    var asOf: String
    var status: String
    var createdAt: Date
    var deliveredAt: Date?
    var attempts: Int
    var lastError: String?

    init(_ alert: StoredAlert) {
        id = alert.id
        label = alert.label
        asOf = alert.asOf
        status = alert.isPending ? "pending" : "delivered"
        createdAt = alert.createdAt
        deliveredAt = alert.deliveredAt
        attempts = alert.attempts
        lastError = alert.lastError
    }
}
