import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import FormularyApp
import FormularyServer
import FormularyStore

/// Requests during an import answer from one snapshot or the other, never a mix: every analysis
/// reads all its lines in one read transaction.
@Suite("formulary serve: requests during an import")
struct ServerSnapshotTests {
    @Test("analyses during an import that moves Trintellix to another tier show the old tier with the old snapshot, or the new with the new")
    func consistentDuringImport() async throws {
        let path = try ServerRouteTests.database()
        let server = try WebServer(settings: ServerSettings(port: 0, databasePath: path, documents: ServerRouteTests.documents()),
                                   logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        // The next release of Formulary A: Trintellix moves to the specialty tier.
        let next = FileManager.default.temporaryDirectory.appendingPathComponent("reference-a-next-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: next, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ServerRouteTests.repo("Formularies/qhp/reference-a/plans.json"), toPath: next.appendingPathComponent("plans.json").path)
        let drugs = try String(contentsOfFile: ServerRouteTests.repo("Formularies/qhp/reference-a/drugs.json"), encoding: .utf8)
        var objects = try #require(try JSONSerialization.jsonObject(with: Data(drugs.utf8)) as? [[String: Any]])
        for index in objects.indices where (objects[index]["drug_name"] as? String)?.contains("Trintellix") == true {
            var plans = objects[index]["plans"] as? [[String: Any]] ?? []
            for p in plans.indices { plans[p]["drug_tier"] = "SPECIALTY" }
            objects[index]["plans"] = plans
        }
        try JSONSerialization.data(withJSONObject: objects).write(to: next.appendingPathComponent("drugs.json"))

        let body = try ServerRouteTests.json(["profile": ServerRouteTests.s1, "plan": "99990AZ0010001", "option": "Trintellix"])
        let seen = try await Application(router: server.router()).test(.router) { client in
            let done = Flag()
            return try await withThrowingTaskGroup(of: [(String, String)].self) { group in
                group.addTask {
                    try await Task.sleep(for: .milliseconds(100))
                    for _ in 0..<3 {
                        _ = try ImportJob(store: try FormularyStore(path: path)).run(.init(inputs: [next], sourceName: "plan-a"))
                    }
                    await done.set()
                    return []
                }
                group.addTask {
                    var answers: [(String, String)] = []
                    var after = 0
                    while after < 20 {
                        if await done.value { after += 1 }
                        let response = try await client.execute(uri: "/v1/prechecks", method: .post, headers: ServerRouteTests.jsonHeaders, body: body)
                        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytesOf: response.body)) as? [String: Any])
                        let option = try #require(object["option"] as? [String: Any])
                        let coverage = try #require(option["coverage"] as? [String: Any])
                        let provenance = coverage["provenance"] as? String ?? ""
                        answers.append((provenance, coverage["tierCode"] as? String ?? ""))
                    }
                    return answers
                }
                var all: [(String, String)] = []
                for try await part in group { all += part }
                return all
            }
        }
        #expect(seen.count >= 20)
        let snapshotOf: ((String, String)) -> Int = { Int($0.0.split(separator: " ").dropFirst().first ?? "") ?? -1 }
        for answer in seen {
            let snapshot = snapshotOf(answer)
            // Snapshot 2 is the bundled Formulary A (PREFERRED-BRAND); later ones the next release (SPECIALTY).
            #expect(snapshot >= 2, "\(answer)")
            #expect(answer.1 == (snapshot == 2 ? "PREFERRED-BRAND" : "SPECIALTY"), "a mixed answer: \(answer)")
        }
        #expect(seen.contains { snapshotOf($0) == 2 } && seen.contains { snapshotOf($0) > 2 }, "the requests should see both snapshots")
    }
}

actor Flag {
    private(set) var value = false
    func set() { value = true }
}
