import Foundation
import Hummingbird
import FormularyAnalysis
import FormularyApp
import FormularyCriteria
import FormularyReports
import FormularyStore

/// An error as the API and the pages show it: RFC 9457 problem details (`application/problem+json`)
/// for `/v1`, a short page for the browser. Each names the field at fault when there is one.
struct Problem: Error, Sendable, Encodable {
    struct FieldError: Sendable, Encodable {
        var field: String
        var detail: String
        var line: Int?
    }

    var status: Int
    var title: String
    var detail: String
    var type = "about:blank"
    var errors: [FieldError] = []

    init(status: Int, title: String, detail: String, errors: [FieldError] = []) {
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
    }

    static func badRequest(_ detail: String, field: String) -> Problem {
        Problem(status: 400, title: "Bad request", detail: detail, errors: [.init(field: field, detail: detail)])
    }

    static func notFound(_ detail: String, field: String? = nil) -> Problem {
        Problem(status: 404, title: "Not found", detail: detail, errors: field.map { [.init(field: $0, detail: detail)] } ?? [])
    }

    /// Any error from the layers below, as a problem. Unknown errors are 500 with no detail leaked.
    static func from(_ error: any Error, field: String = "profile") -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as DocumentError:
            switch error {
            case .invalid(_, let issues):
                return Problem(status: 422, title: "Invalid document", detail: "the \(field) has \(issues.count) problem\(issues.count == 1 ? "" : "s")",
                               errors: issues.prefix(50).map { FieldError(field: "\(field).\($0.fieldPath)", detail: $0.problem, line: $0.line) })
            case .unreadable(_, let reason):
                return Problem(status: 422, title: "Unreadable document", detail: reason, errors: [.init(field: field, detail: reason)])
            case .unknownOption, .unknownVersion:
                return Problem(status: 422, title: "Unknown name", detail: error.errorDescription ?? "", errors: [.init(field: "options", detail: error.errorDescription ?? "")])
            }
        case let error as AnalysisError:
            switch error {
            case .unknownOption: return Problem(status: 422, title: "Unknown option", detail: error.errorDescription ?? "", errors: [.init(field: "options", detail: error.errorDescription ?? "")])
            case .noPlan: return Problem(status: 422, title: "No plan", detail: error.errorDescription ?? "", errors: [.init(field: "plans", detail: error.errorDescription ?? "")])
            case .coverageUnavailable: return Problem(status: 503, title: "Coverage unavailable", detail: "the formulary database could not be read")
            }
        case let error as AppError:
            switch error {
            case .unknownPlan, .planNotImported: return .notFound(error.errorDescription ?? "", field: "plan")
            case .unknownDrug: return .notFound(error.errorDescription ?? "", field: "drug")
            case .noDatabase: return Problem(status: 503, title: "No data", detail: "the formulary database does not exist yet: import data first")
            case .userCriteriaExist: return Problem(status: 409, title: "Conflict", detail: error.errorDescription ?? "")
            }
        case let error as StoreError:
            switch error {
            case .planNotFound: return .notFound(error.errorDescription ?? "", field: "plan")
            case .watchNotFound: return .notFound(error.errorDescription ?? "", field: "id")
            case .watchExists: return Problem(status: 409, title: "Conflict", detail: error.errorDescription ?? "", errors: [.init(field: "label", detail: error.errorDescription ?? "")])
            default: return Problem(status: 503, title: "Database unavailable", detail: "the formulary database could not be read")
            }
        case let error as ReportError:
            switch error {
            case .planNotFound, .optionNotFound: return .notFound(error.errorDescription ?? "", field: "option")
            default: return Problem(status: 422, title: "Cannot report", detail: error.errorDescription ?? "")
            }
        case let error as HTTPError:
            return Problem(status: Int(error.status.code), title: error.status.reasonPhrase,
                           detail: error.status.code == 413 ? "the request body is larger than the server accepts (5 MB)" : (error.body ?? error.status.reasonPhrase))
        case let error as any HTTPResponseError:
            return Problem(status: Int(error.status.code), title: error.status.reasonPhrase,
                           detail: error.status.code == 413 ? "the request body is larger than the server accepts (5 MB)" : error.status.reasonPhrase)
        case let error as DecodingError:
            return Problem(status: 400, title: "Bad request", detail: "the body is not the JSON this endpoint expects: \(Self.describe(error))",
                           errors: [.init(field: Self.field(error), detail: Self.describe(error))])
        default:
            return Problem(status: 500, title: "Internal error", detail: "the server failed; the log has the request id")
        }
    }

    /// The JSON field a decoding error is about (`profile`, `plans[0]`), else `body`.
    static func field(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context): return path(context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return path(context.codingPath).isEmpty ? "body" : path(context.codingPath)
        case .dataCorrupted(let context): return path(context.codingPath).isEmpty ? "body" : path(context.codingPath)
        @unknown default: return "body"
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context).isEmpty ? key.stringValue : path(context) + "." + key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return path(context).isEmpty ? "not valid JSON" : "\(path(context)): wrong type or value"
        @unknown default: return "not valid JSON"
        }
    }

    func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func page() -> Response {
        var body = "<div class=\"error\" role=\"alert\"><p>\(HTML.escape(detail))</p>"
        if !errors.isEmpty {
            body += "<ul>" + errors.map { "<li><code>\(HTML.escape($0.field))</code>\($0.line.map { " (line \($0))" } ?? ""): \(HTML.escape($0.detail))</li>" }.joined() + "</ul>"
        }
        body += "</div><p><a href=\"/\">Back to the patient page</a></p>"
        var response = WebServer.html(HTML.page(title: title, current: "", body: body))
        response.status = .init(code: status)
        return response
    }
}
