import Foundation
import Testing

/// Runs the built `formulary` binary the way a person or a cron job would, in a scratch folder
/// with its own database.
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

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Runs `formulary ARGS --db <scratch db>` from the repository root.
    func run(_ arguments: [String], database useDatabase: Bool = true, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = try Self.binary
        process.arguments = arguments + (useDatabase ? ["--db", database] : [])
        process.currentDirectoryURL = Self.repository
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
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
}
