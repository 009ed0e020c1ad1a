import Foundation
import FormularyImport
import FormularyModel
import Testing
import ZIPFoundation

/// Fixture access and scratch folders for the Part D and input-plumbing tests.
enum PartDFixtures {
    /// The real name of the basic formulary table in a 2026 Q1 release.
    static let basicName = "basic drugs formulary file  PPUF_2026Q1.txt"
    static let planName = "plan information  PPUF_2026Q1.txt"

    /// `Fixtures/partd`.
    static func folder() throws -> URL {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("partd", isDirectory: true)
    }

    /// `Fixtures/partd/release`: the happy-path release with real table names.
    static func release() throws -> URL {
        try folder().appendingPathComponent("release", isDirectory: true)
    }

    static func url(_ name: String) throws -> URL {
        try folder().appendingPathComponent(name)
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }
}

/// A temporary folder removed when the value goes away.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("partd-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `data` at `name` (which may contain subfolders) and returns its URL.
    @discardableResult
    func write(_ data: Data, as name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }

    /// Writes text lines joined with CRLF, as CMS does.
    @discardableResult
    func write(lines: [String], as name: String, lineEnd: String = "\r\n") throws -> URL {
        try write(Data((lines.joined(separator: lineEnd) + lineEnd).utf8), as: name)
    }

    /// Copies a fixture under another name: bad-input fixtures stand in for a real table.
    @discardableResult
    func stage(_ fixture: String, as name: String) throws -> URL {
        try write(PartDFixtures.data(fixture), as: name)
    }

    /// Builds a zip at `name` holding `entries` (path → bytes), deflated.
    @discardableResult
    func zip(_ entries: [(path: String, data: Data)], as name: String) throws -> URL {
        let destination = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let archive = try Archive(url: destination, accessMode: .create)
        for entry in entries {
            try archive.addEntry(
                with: entry.path, type: .file, uncompressedSize: Int64(entry.data.count), compressionMethod: .deflate
            ) { position, size in
                entry.data.subdata(in: Int(position) ..< Int(position) + size)
            }
        }
        return destination
    }
}

/// Runs the Part D importer on `inputs` into a fresh in-memory sink.
func importPartD(_ inputs: [URL], maxRejects: Int = 0, progress: (any ImportProgressReporting)? = nil) throws -> (ImportOutcome, InMemoryImportSink) {
    let sink = InMemoryImportSink()
    let outcome = try PartDImporter(options: ImportOptions(maxRejects: maxRejects)).importFiles(inputs, into: sink, progress: progress)
    return (outcome, sink)
}

/// The `invalidRows` problems an import throws, or a test failure.
func invalidRows(_ body: () throws -> Void) throws -> (problems: [RowProblem], total: Int) {
    do {
        try body()
    } catch let ImportError.invalidRows(problems, total) {
        return (problems, total)
    }
    Issue.record("expected ImportError.invalidRows")
    return ([], 0)
}
