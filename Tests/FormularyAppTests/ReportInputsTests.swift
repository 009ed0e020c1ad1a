import Foundation
import Testing
@testable import FormularyApp
import FormularyReports

/// The cost model and appeal routes come from the reference folder in force, file by file, with
/// the bundled folder behind a user's older copy; nothing is compiled in.
@Suite("report inputs: cost model and appeal routes")
struct ReportInputsTests {
    /// The repository, found from this file.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A program inside the checkout, so `Formularies/` is the bundled data.
    static let inCheckout = DataLocations(environment: ["HOME": "/nonexistent"],
                                          executable: repository.appendingPathComponent(".build/debug/formulary"))

    static func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    @Test("a user's folder without the files falls back to the bundled ones")
    func fallback() throws {
        let user = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: user) }
        let loaded = try ReportInputs.references(folder: user.path, locations: Self.inCheckout)
        #expect(loaded.costModel.partD(year: 2026)?.entry.outOfPocketCap == 2100)
        #expect(!loaded.appeals.routes.isEmpty)
    }

    @Test("the folder's own file wins, and an invalid one is an error naming it")
    func ownFileWins() throws {
        let bundled = Self.repository.appendingPathComponent("Formularies/reference/cost_model.yaml")
        let text = try String(contentsOf: bundled, encoding: .utf8)
            .replacingOccurrences(of: "    outOfPocketCap: 2100\n", with: "    outOfPocketCap: 2150\n")
        let user = try Self.folder(["cost_model.yaml": text])
        defer { try? FileManager.default.removeItem(at: user) }
        #expect(try ReportInputs.references(folder: user.path, locations: Self.inCheckout).costModel.partD(year: 2026)?.entry.outOfPocketCap == 2150)

        try text.replacingOccurrences(of: "    outOfPocketCap: 2150\n", with: "    outOfPocketCap: lots\n")
            .write(to: user.appendingPathComponent("cost_model.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try ReportInputs.references(folder: user.path, locations: Self.inCheckout)
            Issue.record("an invalid cost model must be refused")
        } catch {
            #expect("\(error)".contains("cost_model.yaml") && "\(error)".contains("outOfPocketCap"))
        }
    }

    @Test("with neither copy the error names every place looked in")
    func missing() throws {
        let user = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: user) }
        let nowhere = DataLocations(environment: ["HOME": "/nonexistent"], executable: URL(fileURLWithPath: "/nonexistent/bin/formulary"))
        do {
            _ = try ReportInputs.references(folder: user.path, locations: nowhere)
            Issue.record("expected BundledDataMissing")
        } catch let error as DataLocations.BundledDataMissing {
            #expect(error.what == "cost_model.yaml")
            #expect(error.searched.contains(user.appendingPathComponent("cost_model.yaml").path))
            #expect(error.searched.contains("/nonexistent/share/formulary"))
        }
    }
}
