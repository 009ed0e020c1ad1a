import Foundation
import Testing

/// `formulary refresh` under failure: killed mid-import, and read while it imports.
@Suite("refresh reliability", .serialized)
struct RefreshReliabilityTests {
    /// Writes a Part D basic formulary table with `formularies` × `drugs` rows into `folder`.
    static func writeRelease(in folder: URL, formularies: Int, drugs: Int, tier: Int) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var text = "FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|SELECTED_DRUG_YN\r\n"
        text.reserveCapacity(formularies * drugs * 64)
        for f in 0..<formularies {
            let formulary = String(26000 + f).leftPadded(to: 8)
            for d in 0..<drugs {
                let rxcui = String(90_000_000 + d)
                text += "\(formulary)|17|2026|\(rxcui)|\(String(d).leftPadded(to: 11))|\(d % 5 + tier)|N| | |N|N|N\r\n"
            }
        }
        try Data(text.utf8).write(to: folder.appendingPathComponent("basic drugs formulary file  PPUF_2026Q1.txt"))
        let plans = "CONTRACT_ID|PLAN_ID|SEGMENT_ID|CONTRACT_NAME|PLAN_NAME|FORMULARY_ID|PREMIUM|DEDUCTIBLE|MA_REGION_CODE|PDP_REGION_CODE|STATE|COUNTY_CODE|SNP|PLAN_SUPPRESSED_YN\r\n"
            + "H9990|001|000|Test Contract|Test Plan|00026000|0|0| | |AZ|03000|0|N\r\n"
        try Data(plans.utf8).write(to: folder.appendingPathComponent("plan information  PPUF_2026Q1.txt"))
    }

    static func manifest(_ cli: borrowing CLIHarness, folder: URL) throws -> String {
        let path = cli.directory.appendingPathComponent("sources.yaml")
        try Data("sources:\n  - name: big\n    format: partd\n    location: \(folder.path)\n".utf8).write(to: path)
        return path.path
    }

    @Test("SIGKILL at several points of a large import leaves a sound database serving the previous snapshot; the next run recovers")
    func killMidImport() throws {
        let cli = try CLIHarness()
        let folder = cli.directory.appendingPathComponent("release")
        try Self.writeRelease(in: folder, formularies: 40, drugs: 2_000, tier: 1)
        let sources = try Self.manifest(cli, folder: folder)
        let first = try cli.run(["refresh", "--sources", sources])
        #expect(first.status == 0, "\(first.stderr)")
        try Self.writeRelease(in: folder, formularies: 120, drugs: 2_000, tier: 2)

        for delay in [0.05, 0.15, 0.3] {
            let process = try cli.process(["refresh", "--sources", sources])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let integrity = Process()
            integrity.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            integrity.arguments = [cli.database, "PRAGMA integrity_check;"]
            let pipe = Pipe()
            integrity.standardOutput = pipe
            try integrity.run()
            let answer = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            integrity.waitUntilExit()
            #expect(answer.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "after SIGKILL at \(delay) s")

            let lookup = try cli.run(["lookup", "--plan", "H9990-001-000", "--drug", "90000000"])
            #expect(lookup.status == 0, "after SIGKILL at \(delay) s: \(lookup.stderr)")
            #expect(lookup.stdout.contains("Tier 1") || lookup.stdout.contains("Tier 2"))
        }
        let recovered = try cli.run(["refresh", "--sources", sources])
        #expect(recovered.status == 0, "\(recovered.stderr)")
        #expect(recovered.stdout.contains("big: updated") || recovered.stdout.contains("big: unchanged"))
        #expect(try cli.succeed(["lookup", "--plan", "H9990-001-000", "--drug", "90000000"]).contains("Tier 2"))
    }

    @Test("lookups keep answering from a consistent snapshot while a refresh imports")
    func readersDuringRefresh() throws {
        let cli = try CLIHarness()
        let folder = cli.directory.appendingPathComponent("release")
        try Self.writeRelease(in: folder, formularies: 40, drugs: 2_000, tier: 1)
        let sources = try Self.manifest(cli, folder: folder)
        #expect(try cli.run(["refresh", "--sources", sources]).status == 0)
        try Self.writeRelease(in: folder, formularies: 150, drugs: 2_000, tier: 2)

        let refresh = try cli.process(["refresh", "--sources", sources])
        refresh.standardOutput = FileHandle.nullDevice
        refresh.standardError = FileHandle.nullDevice
        try refresh.run()
        var answers = 0
        while refresh.isRunning && answers < 50 {
            let lookup = try cli.run(["lookup", "--plan", "H9990-001-000", "--drug", "90000001", "--json"])
            #expect(lookup.status == 0, "\(lookup.stderr)")
            let tier = lookup.stdout.contains("\"tierCode\" : \"2\"") || lookup.stdout.contains("\"tierCode\" : \"3\"")
            #expect(tier, "a lookup saw a tier of neither snapshot")
            answers += 1
        }
        refresh.waitUntilExit()
        #expect(refresh.terminationStatus == 0)
        #expect(answers > 0)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
