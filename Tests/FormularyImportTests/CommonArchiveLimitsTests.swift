import Foundation
@testable import FormularyImport
import Testing
import ZIPFoundation

/// Reads a catalog file to its end, returning how many bytes it produced.
private func drain(_ file: InputFile) throws -> Int64 {
    try file.stream { _ in }.byteCount
}

@Suite("Archive limits: expanded bytes, entries, nesting")
struct CommonArchiveLimitsTests {
    @Test("The bound on expanded bytes: 100× the archive, at least 64 MiB, or what the options set")
    func defaultBound() {
        let limits = ArchiveLimits()
        #expect(limits.expandedByteLimit(archiveBytes: 1_153_433) == 115_343_300)
        #expect(limits.expandedByteLimit(archiveBytes: 1_000) == 67_108_864)
        #expect(limits.expandedByteLimit(archiveBytes: .max) == .max)
        #expect(ArchiveLimits(maxExpandedBytes: 5_000).expandedByteLimit(archiveBytes: 1 << 30) == 5_000)
        #expect(ImportOptions().archiveLimits == ArchiveLimits(maxExpandedBytes: nil, maxEntries: 100_000, maxNestingDepth: 3))
        #expect(ImportOptions(maxExpandedBytes: 123, maxArchiveEntries: 7, maxArchiveNestingDepth: 2).archiveLimits
            == ArchiveLimits(maxExpandedBytes: 123, maxEntries: 7, maxNestingDepth: 2))
    }

    @Test("A nested zip whose header declares more than the default bound is refused before anything is written")
    func declaredTooLarge() throws {
        let scratch = try ScratchFolder()
        let inner = try ArchiveFixtures.zip(
            [.init(path: "zeros.txt", data: Data(count: 70 << 20), method: .none)], at: scratch.url.appendingPathComponent("inner.zip"))
        let innerSize = try ArchiveFixtures.size(inner)
        let outer = try ArchiveFixtures.zip(
            [.init(path: "inner.zip", data: try Data(contentsOf: inner))], at: scratch.url.appendingPathComponent("in/bomb.zip"))
        let outerSize = try ArchiveFixtures.size(outer)
        let registry = ScratchRegistry(parent: scratch.url)
        let refused = try #require(archiveLimit { _ = try InputCatalog(inputs: [outer], scratch: registry) })
        #expect(refused.archive == "bomb.zip")
        #expect(refused.entry == "bomb.zip!/inner.zip")
        #expect(refused.limit == .expandedBytes(archiveBytes: outerSize, isDefault: true))
        #expect(refused.allowed == 67_108_864)
        #expect(refused.reached == innerSize)
        #expect(!FileManager.default.fileExists(atPath: registry.folder.path))
        #expect(registry.registeredPaths.isEmpty)
    }

    @Test("A nested zip whose header lies about its size stops at the bound while it is copied, and its copy is removed")
    func lyingNestedBomb() throws {
        let scratch = try ScratchFolder()
        let inner = try ArchiveFixtures.zip(
            [.init(path: "zeros.txt", data: Data(count: 70 << 20), method: .none)], at: scratch.url.appendingPathComponent("inner.zip"))
        let outer = try ArchiveFixtures.zip(
            [.init(path: "inner.zip", data: try Data(contentsOf: inner))], at: scratch.url.appendingPathComponent("in/bomb.zip"))
        try ArchiveFixtures.declareSize(outer, as: 1_000)
        let outerSize = try ArchiveFixtures.size(outer)
        let registry = ScratchRegistry(parent: scratch.url)
        let refused = try #require(archiveLimit { _ = try InputCatalog(inputs: [outer], scratch: registry) })
        #expect(refused.archive == "bomb.zip")
        #expect(refused.entry == "bomb.zip!/inner.zip")
        #expect(refused.limit == .expandedBytes(archiveBytes: outerSize, isDefault: true))
        #expect(refused.allowed == 67_108_864)
        #expect(refused.reached > 67_108_864)
        #expect(refused.reached <= 67_108_864 + Int64(InputFile.defaultChunkSize))
        #expect(refused.message == "cannot import bomb.zip: it expands to more than its limit of 67,108,864 bytes "
            + "(the default, 100× the archive's \(ImportError.grouped(outerSize)) bytes and at least 67,108,864 bytes; "
            + "--max-expanded-bytes sets another): entry bomb.zip!/inner.zip brings it to \(ImportError.grouped(refused.reached)) "
            + "bytes, so it was not read further; nothing was imported")
        // The partial copy went through the registry and is gone with the catalog.
        #expect(registry.registeredPaths.isEmpty)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: registry.folder.path)) ?? []
        #expect(left.isEmpty)
    }

    @Test("A streamed entry whose header lies stops at the bound; the header's size is not trusted")
    func lyingStreamedEntry() throws {
        let scratch = try ScratchFolder()
        let url = try ArchiveFixtures.zip(
            [.init(path: "big.txt", data: Data(repeating: 0x41, count: 3 << 20))], at: scratch.url.appendingPathComponent("lies.zip"))
        try ArchiveFixtures.declareSize(url, as: 100)
        let catalog = try InputCatalog(inputs: [url], limits: ArchiveLimits(maxExpandedBytes: 1 << 20))
        let file = try #require(catalog.files.first)
        #expect(file.byteCount == 100)
        var seen: Int64 = 0
        let refused = try #require(archiveLimit { _ = try file.stream { seen += Int64($0.count) } })
        #expect(refused.archive == "lies.zip")
        #expect(refused.entry == "lies.zip!/big.txt")
        #expect(refused.limit == .expandedBytes(archiveBytes: try ArchiveFixtures.size(url), isDefault: false))
        #expect(refused.allowed == 1 << 20)
        #expect(refused.reached > 1 << 20)
        #expect(seen <= 1 << 20)
        #expect(refused.message.contains("(set with --max-expanded-bytes)"))
    }

    @Test("A file read twice counts once; the bound covers every entry of the archive together")
    func everyEntryCountsOnce() throws {
        let scratch = try ScratchFolder()
        let url = try ArchiveFixtures.zip([
            .init(path: "a.txt", data: Data(repeating: 0x61, count: 600 << 10)),
            .init(path: "b.txt", data: Data(repeating: 0x62, count: 600 << 10)),
        ], at: scratch.url.appendingPathComponent("two.zip"))
        let catalog = try InputCatalog(inputs: [url], limits: ArchiveLimits(maxExpandedBytes: 1 << 20))
        let a = try #require(catalog.files.first)
        let b = try #require(catalog.files.last)
        #expect(try drain(a) == 600 << 10)
        #expect(try drain(a) == 600 << 10)
        #expect(a.expansion?.expandedBytes == 600 << 10)
        let refused = try #require(archiveLimit { _ = try drain(b) })
        #expect(refused.entry == "two.zip!/b.txt")
        #expect(refused.reached > 1 << 20 && refused.reached <= 1_200 << 10)
    }

    @Test("Entries past the bound are refused, counting those of nested archives, naming the entry")
    func tooManyEntries() throws {
        let scratch = try ScratchFolder()
        let inner = try ArchiveFixtures.zip(
            (1 ... 2).map { .init(path: "i\($0).txt", data: Data("x".utf8)) }, at: scratch.url.appendingPathComponent("inner.zip"))
        let url = try ArchiveFixtures.zip(
            [.init(path: "inner.zip", data: try Data(contentsOf: inner))] + (1 ... 2).map { .init(path: "e\($0).txt", data: Data("x".utf8)) },
            at: scratch.url.appendingPathComponent("in/many.zip"))
        #expect(try InputCatalog(inputs: [url], limits: ArchiveLimits(maxEntries: 5)).files.count == 4)
        let refused = try #require(archiveLimit { _ = try InputCatalog(inputs: [url], limits: ArchiveLimits(maxEntries: 4)) })
        #expect(refused.archive == "many.zip")
        #expect(refused.entry == "many.zip!/inner.zip!/i2.txt")
        #expect(refused.limit == .entries)
        #expect(refused.allowed == 4)
        #expect(refused.reached == 5)
        #expect(refused.message == "cannot import many.zip: it holds more than its limit of 4 entries, counting those of nested "
            + "archives: entry many.zip!/inner.zip!/i2.txt is number 5; nothing was imported")
    }

    /// Zips `leaf` into `depth` archives, each inside the next: d1.zip ⊃ d2.zip ⊃ … ⊃ t.txt.
    private func nested(depth: Int, in scratch: ScratchFolder) throws -> URL {
        var item = ArchiveFixtures.Item(path: "t.txt", data: Data("deep".utf8))
        var url = scratch.url
        for level in stride(from: depth, through: 1, by: -1) {
            url = try ArchiveFixtures.zip([item], at: scratch.url.appendingPathComponent("level\(level)/d\(level).zip"))
            item = .init(path: "d\(level).zip", data: try Data(contentsOf: url))
        }
        return url
    }

    @Test("Archives nest at most 3 deep by default; the 4th is refused before it is copied")
    func nesting() throws {
        let scratch = try ScratchFolder()
        let three = try nested(depth: 3, in: scratch)
        let catalog = try InputCatalog(inputs: [three])
        #expect(catalog.files.map(\.displayName) == ["d1.zip!/d2.zip!/d3.zip!/t.txt"])
        let file = try #require(catalog.files.first)
        #expect(try drain(file) == 4)

        let scratch4 = try ScratchFolder()
        let four = try nested(depth: 4, in: scratch4)
        let registry = ScratchRegistry(parent: scratch4.url)
        let refused = try #require(archiveLimit { _ = try InputCatalog(inputs: [four], scratch: registry) })
        #expect(refused.archive == "d1.zip")
        #expect(refused.entry == "d1.zip!/d2.zip!/d3.zip!/d4.zip")
        #expect(refused.limit == .nestingDepth)
        #expect(refused.allowed == 3)
        #expect(refused.reached == 4)
        #expect(refused.message
            == "cannot import d1.zip: entry d1.zip!/d2.zip!/d3.zip!/d4.zip is an archive nested 4 deep; archives are opened at most 3 deep; nothing was imported")
        #expect(registry.registeredPaths.isEmpty)
        #expect(try InputCatalog(inputs: [four], limits: ArchiveLimits(maxNestingDepth: 4)).files.map(\.displayName)
            == ["d1.zip!/d2.zip!/d3.zip!/d4.zip!/t.txt"])
    }

    @Test("A symbolic link entry is refused, naming it")
    func symbolicLink() throws {
        let scratch = try ScratchFolder()
        let url = try ArchiveFixtures.zip([
            .init(path: "ok.txt", data: Data("x".utf8)),
            .init(path: "link", data: Data("/etc/passwd".utf8), method: .none, type: .symlink),
        ], at: scratch.url.appendingPathComponent("links.zip"))
        let refused = try #require(badArchive { _ = try InputCatalog(inputs: [url]) })
        #expect(refused.path == "links.zip")
        #expect(refused.reason == "entry \"link\" is a symbolic link; archives holding links are refused")
    }

    @Test("Entry names that would escape the extraction folder are refused, naming the entry", arguments: [
        ("../../etc/cron.d/x", "a \"..\" component"),
        ("data/../../x.txt", "a \"..\" component"),
        ("/etc/x.txt", "an absolute path"),
        ("\\\\server\\x.txt", "an absolute path"),
        ("C:\\x.txt", "a drive-letter path"),
    ])
    func escapingNames(name: String, escape: String) throws {
        let scratch = try ScratchFolder()
        let url = try ArchiveFixtures.zip([.init(path: name, data: Data("x".utf8))], at: scratch.url.appendingPathComponent("escape.zip"))
        let refused = try #require(badArchive { _ = try InputCatalog(inputs: [url]) })
        #expect(refused.path == "escape.zip")
        #expect(refused.reason
            == "entry \(RowProblem.quoted(name)) has \(escape), which would escape the folder it is extracted to; such archives are refused")
    }

    @Test("An encrypted entry is refused, naming it, even behind readable ones")
    func encryptedEntry() throws {
        let scratch = try ScratchFolder()
        let url = try ArchiveFixtures.zip([
            .init(path: "open.txt", data: Data("x".utf8)),
            .init(path: "secret.txt", data: Data("y".utf8)),
        ], at: scratch.url.appendingPathComponent("locked.zip"))
        try ArchiveFixtures.markEncrypted(url, entry: 1)
        let refused = try #require(badArchive { _ = try InputCatalog(inputs: [url]) })
        #expect(refused.path == "locked.zip")
        #expect(refused.reason == "entry \"secret.txt\" is encrypted (password-protected); formulary does not read encrypted "
            + "archives: extract it with its password and import the files")
    }

    @Test("An entry whose local header is gone is named, instead of the listing ending silently before it")
    func unreadableEntry() throws {
        let scratch = try ScratchFolder()
        let url = try ArchiveFixtures.zip([
            .init(path: "a.txt", data: Data("a".utf8)),
            .init(path: "b.txt", data: Data("b".utf8)),
            .init(path: "c.txt", data: Data("c".utf8)),
        ], at: scratch.url.appendingPathComponent("holed.zip"))
        try ArchiveFixtures.patch(url) { bytes in bytes[ArchiveFixtures.headers(in: bytes).local[1]] = 0x00 }
        let refused = try #require(badArchive { _ = try InputCatalog(inputs: [url]) })
        #expect(refused.path == "holed.zip")
        #expect(refused.reason == "entry \"b.txt\" (2 of 3) cannot be read: its local header is missing or damaged "
            + "(a truncated or damaged archive)")
    }

    @Test("A name listed twice is refused: which copy is meant cannot be told")
    func repeatedName() throws {
        let scratch = try ScratchFolder()
        let url = try ArchiveFixtures.zip([
            .init(path: "t.txt", data: Data("first".utf8)),
            .init(path: "t.txt", data: Data("second".utf8)),
        ], at: scratch.url.appendingPathComponent("twice.zip"))
        let refused = try #require(badArchive { _ = try InputCatalog(inputs: [url]) })
        #expect(refused.path == "twice.zip")
        #expect(refused.reason == "entry \"t.txt\" is listed more than once, so which copy is meant cannot be told; "
            + "archives with repeated names are refused")
    }
}
