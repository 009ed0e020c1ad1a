import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One log line per request: method, route template (never the path with its values), status and
/// duration. Nothing about the patient, the query or the body.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let logger: Logger

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? "(no route)"),
            "status": .stringConvertible(response.status.code),
            "ms": .string(String(format: "%.1f", milliseconds)),
        ])
        return response
    }
}

/// Errors become responses here, so the access log sees their status: problem details for the
/// API, a short page for the browser.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let logger: Logger

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status >= 500 {
                logger.error("request failed", metadata: ["route": .string(context.endpointPath ?? "(no route)"), "error": .string(String(describing: type(of: error)))])
            }
            return request.uri.path.hasPrefix("/v1/") || request.uri.path == "/openapi.json" ? problem.response() : problem.page()
        }
    }
}

/// Headers every response carries: no script, no framing, no caching of patient pages.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// With a token (any non-loopback listener): the API needs `Authorization: Bearer TOKEN`; a
/// browser signs in once on `/login` and its session is then trusted.
struct TokenMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let token: String
    let sessions: SessionStore

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/login" { return try await next(request, context) }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "), Self.equal(String(header.dropFirst(7)), token) {
            return try await next(request, context)
        }
        if let id = request.cookies["fsid"]?.value, await sessions.session(id).authenticated {
            return try await next(request, context)
        }
        if path.hasPrefix("/v1/") || path == "/openapi.json" {
            var response = Problem(status: 401, title: "Unauthorized", detail: "send Authorization: Bearer TOKEN").response()
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return Response(status: .seeOther, headers: [.location: "/login"])
    }

    static func equal(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        return zip(a.utf8, b.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
