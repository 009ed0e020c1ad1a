import ArgumentParser
import Foundation
import Logging
import FormularyApp
import FormularyRefresh
import FormularyServer

/// `formulary serve`: the clinic web app and the JSON API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the clinic web app (patient, plans, analysis, pre-check, comparison, watchlist, data status) and the JSON API.",
        discussion: """
            Listens on 127.0.0.1 (this machine only) by default. Any other address needs --token-file: the API then takes Authorization: Bearer TOKEN and browsers sign in once on /login. Put TLS in front with a reverse proxy (README). The API is described at /openapi.json. Uploaded patients stay in memory for two hours unless saved to the watchlist. Logs (stderr) hold method, route, status and duration, never patient data.

            Examples:
              formulary serve
              formulary serve --port 8081 --log-format json
              formulary serve --port 8082 --plan-cache 0
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port (0: any free port, printed at start).")
    var port = 8080

    @Option(name: .customLong("token-file"), help: ArgumentHelp("A file whose first line is the access token (at least 16 characters); required off loopback.", valueName: "file"))
    var tokenFile: String?

    @Option(name: .customLong("plan-cache"), help: ArgumentHelp("Keep the formulary lines of up to this many plans in memory until the next import (0: read every request).", valueName: "plans"))
    var planCache = ServerSettings.defaultPlanCache

    @Option(name: .customLong("event-loops"), help: ArgumentHelp("Threads for the sockets (requests are computed on a pool of one thread per core).", valueName: "count"))
    var eventLoops = ServerSettings.defaultEventLoops

    @Option(name: .customLong("log-format"), help: "Log lines on stderr as text or json.")
    var logFormat: StderrLogHandler.Format = .text

    @OptionGroup var inputs: AnalysisInputOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let format = logFormat
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, format: format) }
        let logger = Logger(label: "formulary.serve")
        let server: WebServer
        do {
            let token = try tokenFile.map { try ServerSettings.readToken($0) }
            let settings = ServerSettings(host: host, port: port, token: token, databasePath: store.path, documents: inputs.choice, planCache: planCache,
                                          eventLoops: eventLoops)
            Failure.databasePath.set(store.path)
            server = try WebServer(settings: settings, logger: logger)
        } catch let error as ServerError {
            Terminal.error(Failure.message(for: error))
            throw ExitCode(64)
        } catch {
            throw Failure.exit(for: error)
        }
        let host = self.host
        try await server.run { port in
            Terminal.note("formulary serve: listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)/ (API: /openapi.json)")
        }
    }
}
