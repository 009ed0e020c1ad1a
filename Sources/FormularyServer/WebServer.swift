import Foundation
import Hummingbird
import Logging
import NIOPosix
import FormularyAnalysis
import FormularyApp
import FormularyCriteria
import FormularyReports
import FormularyStore

/// `formulary serve`: the clinic web app and the JSON API over the application layer. It parses
/// requests, delegates to `FormularyApp`, and renders; patients uploaded in a browser stay in
/// memory (`SessionStore`) unless saved to the watchlist.
public final class WebServer: Sendable {
    let settings: ServerSettings
    let store: FormularyStore
    let documents: AnalysisDocuments
    let service: AnalysisService
    /// Patients uploaded as FHIR records or monitoring logs, read as `patient import` reads them.
    let records: PatientRecordsService
    /// API profiles read lately (`ProfileCache`).
    let profiles: ProfileCache
    let sessions: SessionStore
    let logger: Logger
    /// The cost model and appeal routes the reports use, loaded once like the criteria.
    let reportReferences: (costModel: CostModel, appeals: AppealReference)

    /// Opens the database (which must exist) and loads the documents once.
    public init(settings: ServerSettings, locations: DataLocations = DataLocations(), logger: Logger) throws {
        try settings.validate()
        guard FileManager.default.fileExists(atPath: settings.databasePath) else { throw AppError.noDatabase(path: settings.databasePath) }
        self.settings = settings
        store = try FormularyStore(path: settings.databasePath, coverageCacheCapacity: settings.planCache)
        var documents = try AnalysisDocuments.load(settings.documents, locations: locations)
        // Concurrent requests already keep every core busy: an analysis does not also spread
        // its own work over a second one (`TRDAnalyzer.usesSecondCore`).
        documents.analyzer.usesSecondCore = false
        self.documents = documents
        service = AnalysisService(documents: documents, store: store)
        records = PatientRecordsService(reference: documents.reference, store: store)
        reportReferences = try ReportInputs.references(folder: settings.documents.reference, locations: locations)
        sessions = SessionStore(lifetime: settings.sessionLifetime)
        profiles = ProfileCache(lifetime: settings.sessionLifetime)
        self.logger = logger
        WebContext.uploadLimit = settings.maxBodyBytes
    }

    /// The router with every page, the API and the middleware.
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: AccessLogMiddleware(logger: logger))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(logger: logger))
        if let token = settings.token { router.add(middleware: TokenMiddleware(token: token, sessions: sessions)) }
        addPages(to: router)
        addAPI(to: router)
        return router
    }

    /// The application, listening as the settings say; `onRunning` gets the bound port.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            eventLoopGroupProvider: .shared(Self.eventLoops(settings.eventLoops)),
            logger: logger)
    }

    /// The event loops the sockets use: `count` threads, made once per count and kept for the
    /// process (servers in tests share them).
    ///
    /// Handlers run on Swift's cooperative pool (one thread per core); the loops only move bytes.
    /// With one loop per core as well, twice as many busy threads as cores took turns and a
    /// request's latency depended on the kernel's time slices: at 64 connections on 2 cores p99
    /// was 111–134 ms with p50 at 31–34 ms; with one loop, 39 ms with p50 at 24 ms, same req/s.
    /// Not done: making the loops Swift Concurrency's global executor (NIO's
    /// `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`): fair too, but
    /// under wrk a few connections got no answer for a whole run (42–56 timeouts in most runs).
    static func eventLoops(_ count: Int) -> MultiThreadedEventLoopGroup {
        eventLoopGroupsLock.lock()
        defer { eventLoopGroupsLock.unlock() }
        if let known = eventLoopGroups[count] { return known }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: count)
        eventLoopGroups[count] = group
        return group
    }

    private static let eventLoopGroupsLock = NSLock()
    nonisolated(unsafe) private static var eventLoopGroups: [Int: MultiThreadedEventLoopGroup] = [:]

    /// Serves until stopped.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onRunning: onRunning).runService()
    }

    // MARK: Responses

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `value` as sorted-key JSON (`SortedJSONEncoder`: Foundation's bytes, faster).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try SortedJSONEncoder.encode(value))))
    }

    static func rawJSON(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
