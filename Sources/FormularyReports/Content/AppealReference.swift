import FormularyCriteria
import Foundation
import Yams

/// How to ask for an exception or appeal a denial, for every kind of plan: each route's plan
/// kinds, benefits and needs, who files, the form, the deadlines, the steps and the sources, and
/// the state step-therapy laws' decision clocks. Read from
/// `Formularies/reference/appeals.yaml` (schema in `appeals.md`) and validated on load: every
/// problem names the file, the line and the key.
public struct AppealReference: Hashable, Sendable, ReferenceDocument {
    public static let fileName = "appeals.yaml"
    public static let schema = "formulary-appeals/1"

    /// Whose rules apply to an option: the plan's market and, for Medicare, which benefit pays.
    public enum PlanKind: String, Hashable, Sendable, CaseIterable {
        /// A Medicare plan's drug benefit (MA-PD or stand-alone PDP).
        case medicarePartD = "medicare-part-d"
        /// A Medicare Advantage plan's medical benefit.
        case medicareAdvantage = "medicare-advantage"
        /// The medical benefit of a person whose only Medicare plan is a stand-alone PDP.
        case originalMedicare = "original-medicare"
        case marketplace
        case employer
        case medicaid
        case other
    }

    public enum Benefit: String, Hashable, Sendable, CaseIterable {
        case pharmacy, medical
    }

    /// What an option needs a route for.
    public enum Need: String, Hashable, Sendable, CaseIterable {
        case priorAuthorization = "prior-authorization"
        case stepTherapy = "step-therapy"
        case nonFormulary = "non-formulary"
        case excluded
    }

    public struct Deadline: Hashable, Sendable {
        public enum Role: String, Hashable, Sendable, CaseIterable {
            /// The plan's standard decision.
            case decision
            /// The plan's urgent (expedited, exigent) decision.
            case urgentDecision = "urgent-decision"
            /// The window to file an appeal.
            case appeal
            case other
        }

        public var role: Role
        public var what: String
        public var hours: Int?
        public var days: Int?
        public var from: String?
        public var when: String?

        /// "72 hours (3 days)", "65 days", or nil without a number.
        public var duration: String? {
            if let hours { return TextFormat.hours(hours) }
            if let days { return TextFormat.plural(days, "day") }
            return nil
        }

        /// The deadline as one sentence.
        public var sentence: String {
            var text = what
            if let duration { text += " within \(duration)" }
            if let from { text += " \(from)" }
            // "within 24 hours when waiting could …"; after a "from" phrase, a comma first.
            if let when { text += (from == nil ? " " : ", ") + when }
            return TextFormat.clause(text) + "."
        }
    }

    public struct Route: Hashable, Sendable {
        public var id: String
        public var title: String
        public var planKinds: [PlanKind]
        public var benefits: [Benefit]
        public var needs: [Need]
        /// The deadlines come from the state's step-therapy law.
        public var stateLaw: Bool
        public var whoFiles: String
        public var form: String
        public var deadlines: [Deadline]
        public var steps: [String]
        public var notes: [String]
        public var citations: [String]

        public func deadline(_ role: Deadline.Role) -> Deadline? { deadlines.first { $0.role == role } }
    }

    public struct StepTherapyLaw: Hashable, Sendable {
        public var state: String
        public var name: String
        /// The criteria overlay id the analysis names in its exception grounds, when one exists.
        public var overlay: String?
        public var decisionHours: Int
        public var urgentHours: Int
        public var deemedApproved: Bool
        public var citation: String
    }

    public var file: String
    public var version: String
    public var source: String
    public var routes: [Route]
    public var stepTherapyLaws: [StepTherapyLaw]

    /// The routes for a plan kind, benefit and need, in the file's order.
    public func routes(kind: PlanKind, benefit: Benefit, need: Need) -> [Route] {
        routes.filter { $0.planKinds.contains(kind) && $0.benefits.contains(benefit) && $0.needs.contains(need) }
    }

    public func route(id: String) -> Route? { routes.first { $0.id == id } }

    public func law(state: String) -> StepTherapyLaw? { stepTherapyLaws.first { $0.state == state.uppercased() } }

    public func law(overlay: String) -> StepTherapyLaw? {
        stepTherapyLaws.first { $0.overlay?.lowercased() == overlay.lowercased() }
            ?? overlay.split(separator: "-").first.flatMap { $0.count == 2 ? law(state: String($0)) : nil }
    }

    // MARK: Loading (`ReferenceDocument` gives load(directory:), load(path:), load(text:file:))

    private static func enumList<T: RawRepresentable & CaseIterable>(_ reader: ReferenceReader, _ map: ReferenceReader.Map, _ key: String,
                                                                       _ type: T.Type) -> [T] where T.RawValue == String {
        var values: [T] = []
        for item in reader.list(map, key) {
            guard case .scalar(let scalar) = item.node else {
                reader.report(item.node, item.path, problem: "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", kind: .wrongType)
                continue
            }
            guard let value = T(rawValue: scalar.string) else {
                reader.report(item.node, item.path, value: scalar.string,
                              problem: "unknown value; expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            values.append(value)
        }
        return values
    }

    public static func parse(_ text: String, _ reader: ReferenceReader) -> AppealReference? {
        guard let root = reader.root(text, allowed: ["schema", "version", "source", "routes", "stepTherapyLaws"]) else { return nil }
        let header = reader.header(root, schema: schema)

        var routes: [Route] = []
        var ids: [(key: String, node: Node, path: String)] = []
        for item in reader.list(root, "routes") {
            guard let map = reader.mapping(item.node, item.path, allowed: ["id", "title", "planKinds", "benefits", "needs", "stateLaw", "whoFiles",
                                                                            "form", "deadlines", "steps", "notes", "citations"]) else { continue }
            let id = reader.text(map, "id"), title = reader.text(map, "title")
            let kinds = enumList(reader, map, "planKinds", PlanKind.self)
            let benefits = enumList(reader, map, "benefits", Benefit.self)
            let needs = enumList(reader, map, "needs", Need.self)
            let stateLaw = reader.bool(map, "stateLaw", required: false) ?? false
            let whoFiles = reader.text(map, "whoFiles"), form = reader.text(map, "form")
            var deadlines: [Deadline] = []
            for entry in reader.list(map, "deadlines", required: !stateLaw) {
                guard let deadline = reader.mapping(entry.node, entry.path, allowed: ["role", "what", "hours", "days", "from", "when"]) else { continue }
                let roleText = reader.text(deadline, "role")
                let role = roleText.flatMap(Deadline.Role.init(rawValue:))
                if let roleText, role == nil {
                    reader.report(deadline.value("role"), deadline.path("role"), value: roleText,
                                  problem: "unknown role; expected one of \(Deadline.Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let hours = reader.int(deadline, "hours", required: false, range: 1...10_000)
                let days = reader.int(deadline, "days", required: false, range: 1...3_650)
                if hours != nil && days != nil {
                    reader.report(deadline.node, deadline.path, problem: "give hours or days, not both")
                }
                if let role, let what = reader.text(deadline, "what") {
                    deadlines.append(Deadline(role: role, what: what, hours: hours, days: days,
                                              from: reader.text(deadline, "from", required: false), when: reader.text(deadline, "when", required: false)))
                }
            }
            let steps = reader.texts(map, "steps")
            let notes = reader.texts(map, "notes", required: false)
            let citations = reader.texts(map, "citations")
            if map.value("citations") != nil, citations.isEmpty {
                reader.report(map.value("citations"), map.path("citations"), problem: "every route needs at least one source", kind: .missingCitation)
            }
            if let id, let title, let whoFiles, let form {
                ids.append((id, map.value("id") ?? map.node, map.path("id")))
                routes.append(Route(id: id, title: title, planKinds: kinds, benefits: benefits, needs: needs, stateLaw: stateLaw, whoFiles: whoFiles,
                                    form: form, deadlines: deadlines, steps: steps, notes: notes, citations: citations))
            }
        }
        reader.checkUnique(ids, what: "route id")
        // Every plan kind needs a route for each need, or a report would have nothing to say.
        if !routes.isEmpty {
            for kind in PlanKind.allCases {
                for need in Need.allCases where !routes.contains(where: { $0.planKinds.contains(kind) && $0.needs.contains(need) }) {
                    reader.report(root.value("routes"), "routes", value: kind.rawValue,
                                  problem: "no route for plan kind \(kind.rawValue) and need \(need.rawValue)", kind: .missingField)
                }
            }
        }

        var laws: [StepTherapyLaw] = []
        var states: [(key: String, node: Node, path: String)] = []
        for item in reader.list(root, "stepTherapyLaws") {
            guard let map = reader.mapping(item.node, item.path, allowed: ["state", "name", "overlay", "decisionHours", "urgentHours",
                                                                            "deemedApproved", "citation"]) else { continue }
            let state = reader.text(map, "state")
            if let state, state.count != 2 || !state.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                reader.report(map.value("state"), map.path("state"), value: state, problem: "expected a two-letter state code such as AZ")
            }
            let name = reader.text(map, "name"), overlay = reader.text(map, "overlay", required: false)
            let decision = reader.int(map, "decisionHours", range: 1...10_000), urgent = reader.int(map, "urgentHours", range: 1...10_000)
            let deemed = reader.bool(map, "deemedApproved"), citation = reader.citation(map)
            if let state, let name, let decision, let urgent, let deemed, let citation {
                states.append((state, map.value("state") ?? map.node, map.path("state")))
                laws.append(StepTherapyLaw(state: state, name: name, overlay: overlay, decisionHours: decision, urgentHours: urgent,
                                           deemedApproved: deemed, citation: citation))
            }
        }
        reader.checkUnique(states, what: "state")
        return AppealReference(file: reader.file, version: header.version, source: header.source, routes: routes, stepTherapyLaws: laws)
    }
}
