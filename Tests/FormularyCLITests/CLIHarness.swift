import Foundation
import Testing

/// Runs the built `formulary` binary the way a person or a cron job would: from an empty scratch
/// folder outside the repository, with its own database, and `HOME` and the XDG folders pointed
/// at scratch folders, so nothing of the developer's machine (or the repository as the current
/// folder) can make a test pass.
struct CLIHarness: ~Copyable {
    /// The repository root (where Package.swift is).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `formulary` executable built next to the test bundle.
    static var binary: URL {
        get throws {
            let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
            var directory = testBinary.deletingLastPathComponent()
            for _ in 0..<3 {
                let candidate = directory.appendingPathComponent("formulary")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory = directory.deletingLastPathComponent()
            }
            throw HarnessError("the formulary binary is not built next to \(testBinary.path); run `swift build` first")
        }
    }

    struct HarnessError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let directory: URL
    var database: String { directory.appendingPathComponent("formulary.sqlite").path }
    /// The empty folder commands run in.
    var workingDirectory: URL { directory.appendingPathComponent("work") }
    /// The scratch `HOME`.
    var home: URL { directory.appendingPathComponent("home") }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("work"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("home"), withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A repository file as the absolute path a user would type from elsewhere.
    static func repo(_ relative: String) -> String {
        repository.appendingPathComponent(relative).path
    }

    /// Arguments as given, except that repository paths (`Formularies/…`, `Tests/…`) become
    /// absolute: the commands run outside the repository.
    static func absolutized(_ arguments: [String]) -> [String] {
        arguments.map { $0.hasPrefix("Formularies/") || $0.hasPrefix("Tests/") ? repo($0) : $0 }
    }

    /// The environment a command sees: the test runner's, without any FORMULARY_ or XDG_
    /// setting, with HOME and the XDG folders in the scratch folder, then `extra`.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FORMULARY_") && !$0.key.hasPrefix("XDG_") }
        env["HOME"] = home.path
        env["XDG_CONFIG_HOME"] = home.appendingPathComponent(".config").path
        env["XDG_DATA_HOME"] = home.appendingPathComponent(".local/share").path
        env["XDG_STATE_HOME"] = home.appendingPathComponent(".local/state").path
        env["XDG_CACHE_HOME"] = home.appendingPathComponent(".cache").path
        env.merge(extra) { _, new in new }
        return env
    }

    /// A process for `formulary ARGS`, set up as `run` sets it up, for tests that signal it.
    func process(_ arguments: [String], database useDatabase: Bool = true, executable: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = try executable ?? Self.binary
        process.arguments = Self.absolutized(arguments) + (useDatabase ? ["--db", database] : [])
        process.currentDirectoryURL = workingDirectory
        process.environment = environment()
        return process
    }

    /// Runs `formulary ARGS --db <scratch db>` from the scratch working folder.
    func run(_ arguments: [String], database useDatabase: Bool = true, environment extra: [String: String] = [:],
             executable: URL? = nil, directory: URL? = nil) throws -> Result {
        let process = try process(arguments, database: useDatabase, executable: executable)
        process.environment = environment(extra)
        if let directory { process.currentDirectoryURL = directory }
        return try Self.collect(process)
    }

    /// Runs a shell command line (`/bin/sh -c`), as cron would.
    func shell(_ command: String, environment: [String: String], directory: URL) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = environment
        process.currentDirectoryURL = directory
        return try Self.collect(process)
    }

    static func collect(_ process: Process) throws -> Result {
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes at once: a command that fills one while the other is read would block.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            errBox.data = errHandle.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and requires success, returning stdout.
    func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments)
        #expect(result.status == 0, "formulary \(arguments.joined(separator: " ")) failed: \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Parses stdout as JSON.
    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// The POSIX mode bits of a file.
    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
