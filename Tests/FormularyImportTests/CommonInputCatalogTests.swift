import Foundation
@testable import FormularyImport
import Testing
import ZIPFoundation

/// Reads a discovered file fully, returning its bytes and digest.
private func contents(of file: InputFile, chunkSize: Int = InputFile.defaultChunkSize) throws -> (Data, ContentDigest) {
    var data = Data()
    let digest = try file.stream(chunkSize: chunkSize) { data.append(contentsOf: $0) }
    return (data, digest)
}

/// SHA-256 of "abc" (FIPS 180-2 test vector).
private let abcSHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

@Suite("Input discovery")
struct CommonInputCatalogTests {
    @Test("A single file is one input, named by its file name, hashed as it streams")
    func singleFile() throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(Data("abc".utf8), as: "basic drugs formulary file  PPUF_2026Q1.txt")
        let catalog = try InputCatalog(inputs: [url])
        #expect(catalog.files.map(\.displayName) == ["basic drugs formulary file  PPUF_2026Q1.txt"])
        #expect(catalog.files.first?.byteCount == 3)
        let (data, digest) = try contents(of: try #require(catalog.files.first))
        #expect(data == Data("abc".utf8))
        #expect(digest == ContentDigest(sha256: abcSHA256, byteCount: 3))
    }

    @Test("The digest does not depend on the chunk size", arguments: [1, 2, 3, 1 << 20])
    func digestChunking(chunkSize: Int) throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(Data("abc".utf8), as: "a.txt")
        let file = try #require(try InputCatalog(inputs: [url]).files.first)
        #expect(try contents(of: file, chunkSize: chunkSize).1.sha256 == abcSHA256)
    }

    @Test("A folder is searched recursively, in path order, skipping hidden files")
    func folder() throws {
        let scratch = try ScratchFolder()
        let root = scratch.url.appendingPathComponent("release")
        try scratch.write(Data("b".utf8), as: "release/b.txt")
        try scratch.write(Data("a".utf8), as: "release/sub/a.txt")
        try scratch.write(Data("x".utf8), as: "release/.DS_Store")
        try scratch.write(Data("c".utf8), as: "release/a.txt")
        let catalog = try InputCatalog(inputs: [root])
        #expect(catalog.files.map(\.displayName) == ["release/a.txt", "release/b.txt", "release/sub/a.txt"])
    }

    @Test("Zips nested in a zip are opened, named outer!/inner!/file, and read back intact")
    func nestedZip() throws {
        let scratch = try ScratchFolder()
        let table = Data("FORMULARY_ID|RXCUI\r\n00026408|1551300\r\n".utf8)
        let inner = try scratch.zip(
            [("basic drugs formulary file  PPUF_2026Q1.txt", table)], as: "inner/basic drugs formulary file  PPUF_2026Q1.zip"
        )
        let outer = try scratch.zip([
            ("basic drugs formulary file  PPUF_2026Q1.zip", try Data(contentsOf: inner)),
            ("SPUFRecordLayout-2026.pdf", Data("%PDF".utf8)),
            ("__MACOSX/._basic drugs formulary file  PPUF_2026Q1.zip", Data("fork".utf8)),
        ], as: "SPUF_2026_20260101.zip")

        let catalog = try InputCatalog(inputs: [outer])
        #expect(catalog.files.map(\.displayName) == [
            "SPUF_2026_20260101.zip!/basic drugs formulary file  PPUF_2026Q1.zip!/basic drugs formulary file  PPUF_2026Q1.txt",
            "SPUF_2026_20260101.zip!/SPUFRecordLayout-2026.pdf",
        ])
        let file = try #require(catalog.files.first)
        #expect(file.fileName == "basic drugs formulary file  PPUF_2026Q1.txt")
        #expect(file.byteCount == Int64(table.count))
        #expect(try contents(of: file, chunkSize: 5).0 == table)
    }

    @Test("The temporary copies of nested zips are removed with the catalog")
    func temporaryCleanup() throws {
        let scratch = try ScratchFolder()
        let inner = try scratch.zip([("t.txt", Data("x".utf8))], as: "inner.zip")
        let outer = try scratch.zip([("inner.zip", try Data(contentsOf: inner))], as: "outer.zip")
        var catalog: InputCatalog? = try InputCatalog(inputs: [outer])
        let temporary = try #require(catalog?.temporaryDirectory)
        #expect(FileManager.default.fileExists(atPath: temporary.path))
        catalog = nil
        #expect(!FileManager.default.fileExists(atPath: temporary.path))
    }

    @Test("A nested zip the caller declines is listed, not extracted")
    func declinedNestedZip() throws {
        let scratch = try ScratchFolder()
        let inner = try scratch.zip([("pricing file PPUF_2026Q1.txt", Data("x".utf8))], as: "p.zip")
        let outer = try scratch.zip([("pricing file PPUF_2026Q1.zip", try Data(contentsOf: inner))], as: "outer.zip")
        let catalog = try InputCatalog(inputs: [outer]) { _ in false }
        #expect(catalog.files.isEmpty)
        #expect(catalog.unopenedArchives.map(\.displayName) == ["outer.zip!/pricing file PPUF_2026Q1.zip"])
        #expect(catalog.temporaryDirectory == nil)
    }

    @Test("A missing path is fileNotFound")
    func missingPath() throws {
        let path = "/nonexistent/partd/\(UUID().uuidString).zip"
        #expect(throws: ImportError.self) { try InputCatalog(inputs: [URL(fileURLWithPath: path)]) }
        do {
            _ = try InputCatalog(inputs: [URL(fileURLWithPath: path)])
        } catch let ImportError.fileNotFound(reported) {
            #expect(reported == path)
        }
    }

    @Test("A text file named .zip is a bad archive")
    func notAZip() throws {
        let url = try PartDFixtures.url("partd_not_a_zip.zip")
        do {
            _ = try InputCatalog(inputs: [url])
            Issue.record("expected badArchive")
        } catch let ImportError.badArchive(path, reason) {
            #expect(path == "partd_not_a_zip.zip")
            #expect(reason.contains("not a zip"))
        }
    }

    @Test("A truncated zip is a bad archive")
    func truncatedZip() throws {
        let scratch = try ScratchFolder()
        let whole = try scratch.zip([("basic drugs formulary file  PPUF_2026Q1.txt", Data(repeating: 0x41, count: 5000))], as: "whole.zip")
        let data = try Data(contentsOf: whole)
        let cut = try scratch.write(data.prefix(data.count / 2), as: "SPUF_2026.zip")
        #expect(throws: ImportError.self) { try InputCatalog(inputs: [cut]) }
        do {
            _ = try InputCatalog(inputs: [cut])
        } catch let ImportError.badArchive(path, _) {
            #expect(path == "SPUF_2026.zip")
        }
    }

    @Test("A damaged inner zip fails with the nested name")
    func damagedNestedZip() throws {
        let scratch = try ScratchFolder()
        let outer = try scratch.zip([("basic drugs formulary file  PPUF_2026Q1.zip", Data("not a zip".utf8))], as: "SPUF.zip")
        do {
            _ = try InputCatalog(inputs: [outer])
            Issue.record("expected badArchive")
        } catch let ImportError.badArchive(path, _) {
            #expect(path == "SPUF.zip!/basic drugs formulary file  PPUF_2026Q1.zip")
        }
    }

    @Test("Corrupted entry data is caught by the CRC-32 check while streaming")
    func corruptedEntry() throws {
        let scratch = try ScratchFolder()
        let payload = Data("FORMULARY_ID|RXCUI\r\n00026408|1551300\r\n".utf8)
        let url = scratch.url.appendingPathComponent("stored.zip")
        let archive = try Archive(url: url, accessMode: .create)
        try archive.addEntry(with: "t.txt", type: .file, uncompressedSize: Int64(payload.count), compressionMethod: .none) { position, size in
            payload.subdata(in: Int(position) ..< Int(position) + size)
        }
        var bytes = try Data(contentsOf: url)
        let at = try #require(bytes.firstRange(of: Data("1551300".utf8)))
        bytes[at.lowerBound] = UInt8(ascii: "9")
        try bytes.write(to: url)

        let file = try #require(try InputCatalog(inputs: [url]).files.first)
        do {
            _ = try contents(of: file)
            Issue.record("expected badArchive")
        } catch let ImportError.badArchive(path, reason) {
            #expect(path == "stored.zip!/t.txt")
            #expect(reason.contains("CRC"))
        }
    }

    @Test("Errors thrown while consuming a zip entry come back unchanged")
    func consumerErrorsPassThrough() throws {
        struct Marker: Error, Equatable {}
        let scratch = try ScratchFolder()
        let url = try scratch.zip([("t.txt", Data("abc".utf8))], as: "a.zip")
        let file = try #require(try InputCatalog(inputs: [url]).files.first)
        #expect(throws: Marker()) { _ = try file.stream { _ in throw Marker() } }
    }
}
