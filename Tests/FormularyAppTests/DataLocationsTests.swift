import Foundation
import Testing
@testable import FormularyApp

/// Where the program looks for its data, decided without touching the disk: a fake file system.
@Suite("data locations")
struct DataLocationsTests {
    static func locations(_ existing: Set<String>, environment: [String: String] = ["HOME": "/home/ada"],
                          executable: String = "/opt/fx/bin/formulary") -> DataLocations {
        DataLocations(environment: environment, executable: URL(fileURLWithPath: executable), fileExists: { existing.contains($0) })
    }

    @Test("an installed program finds PREFIX/share/formulary")
    func installed() throws {
        let locations = Self.locations(["/opt/fx/share/formulary/reference/trd_drugs.yaml", "/opt/fx/share/formulary/criteria"])
        #expect(locations.bundledRoot == "/opt/fx/share/formulary")
        let criteria = try locations.criteria(commandLine: nil)
        #expect(criteria.path == "/opt/fx/share/formulary/criteria" && criteria.origin == .bundled)
    }

    @Test("a build inside a checkout finds the checkout's Formularies folder above it")
    func checkout() {
        let locations = Self.locations(["/src/formulary/Formularies/reference/trd_drugs.yaml"],
                                       executable: "/src/formulary/.build/x86_64-unknown-linux-gnu/debug/formulary")
        #expect(locations.bundledRoot == "/src/formulary/Formularies")
    }

    @Test("the order: command line, environment, the user's folder, bundled")
    func order() throws {
        var existing: Set<String> = ["/opt/fx/share/formulary/reference/trd_drugs.yaml"]
        var environment = ["HOME": "/home/ada"]
        #expect(try Self.locations(existing, environment: environment).criteria(commandLine: nil).origin == .bundled)
        existing.insert("/home/ada/.config/formulary/criteria")
        #expect(try Self.locations(existing, environment: environment).criteria(commandLine: nil).path == "/home/ada/.config/formulary/criteria")
        environment["XDG_CONFIG_HOME"] = "/etc/ada"
        #expect(try Self.locations(existing, environment: environment).criteria(commandLine: nil).origin == .bundled, "XDG_CONFIG_HOME moves the user's folder")
        environment["FORMULARY_CRITERIA"] = "/srv/criteria"
        let fromEnvironment = try Self.locations(existing, environment: environment).criteria(commandLine: nil)
        #expect(fromEnvironment.origin == .environment && fromEnvironment.variable == "FORMULARY_CRITERIA" && fromEnvironment.path == "/srv/criteria")
        let fromFlag = try Self.locations(existing, environment: environment).criteria(commandLine: "mine.yaml")
        #expect(fromFlag.origin == .commandLine && fromFlag.path == "mine.yaml")
        #expect(try Self.locations(existing, environment: environment).reference(commandLine: nil).origin == .bundled)
    }

    @Test("without bundled data the error lists every folder looked in")
    func missing() {
        let locations = Self.locations([], executable: "/tmp/x/formulary")
        #expect(throws: DataLocations.BundledDataMissing.self) { try locations.criteria(commandLine: nil) }
        do {
            _ = try locations.reference(commandLine: nil)
        } catch {
            let text = (error as? any LocalizedError)?.errorDescription ?? ""
            #expect(text.contains("/tmp/share/formulary") && text.contains("/tmp/x/Formularies") && text.contains("/Formularies"))
            #expect(text.contains("drug reference"))
        }
    }

    @Test("state: alerts under XDG_STATE_HOME, the manifest's folder, or the command line; relative XDG values are ignored")
    func state() {
        let plain = Self.locations([])
        #expect(plain.alerts(commandLine: nil).path == "/home/ada/.local/state/formulary/alerts")
        #expect(plain.alerts(commandLine: nil, manifest: "/srv/alerts").origin == .manifest)
        #expect(plain.alerts(commandLine: "a", manifest: "/srv/alerts").path == "a")
        let xdg = Self.locations([], environment: ["HOME": "/home/ada", "XDG_STATE_HOME": "/var/ada"])
        #expect(xdg.alerts(commandLine: nil).path == "/var/ada/formulary/alerts")
        let relative = Self.locations([], environment: ["HOME": "/home/ada", "XDG_STATE_HOME": "state"])
        #expect(relative.stateDirectory == "/home/ada/.local/state/formulary")
    }
}

@Suite("did you mean")
struct NameSuggestionsTests {
    static let names: [NameSuggestions.Candidate] = [
        .init(name: "Trintellix", display: "Trintellix (vortioxetine)"), .init(name: "vortioxetine", display: "vortioxetine"),
        .init(name: "Rexulti", display: "Rexulti (brexpiprazole)"), .init(name: "sertraline", display: "sertraline"),
        .init(name: "H9990-001-000", display: "H9990-001-000"),
    ]

    @Test("a missing, swapped or wrong letter finds the name; far-off text finds nothing", arguments: [
        ("Trintelix", ["Trintellix (vortioxetine)"]), ("trintellix", ["Trintellix (vortioxetine)"]), ("Rexutli", ["Rexulti (brexpiprazole)"]),
        ("setraline", ["sertraline"]), ("H9990-001-00", ["H9990-001-000"]), ("zzqqxx", []), ("", []),
    ])
    func nearest(typed: String, expected: [String]) {
        #expect(NameSuggestions.nearest(to: typed, in: Self.names) == expected)
    }

    @Test("edit distance counts a transposition as one edit")
    func distance() {
        #expect(NameSuggestions.editDistance(Array("abcd"), Array("abdc")) == 1)
        #expect(NameSuggestions.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(NameSuggestions.editDistance([], Array("abc")) == 3)
    }
}
