import Foundation
@testable import FormularyImport
import FormularyModel
import Testing

@Suite("Temporary files: one registry, removed on interruption and by the next run")
struct CommonImportScratchTests {
    @Test("Files and folders live in formulary-import-<pid>-<random>, 0700/0600, and removeAll removes them all")
    func removeAllRemovesEverything() throws {
        let scratch = try ScratchFolder()
        let registry = ScratchRegistry(parent: scratch.url)
        let name = registry.folder.lastPathComponent
        #expect(ScratchRegistry.stalePID(name) == getpid())
        #expect(name.hasPrefix("formulary-import-\(getpid())-"))

        let folder = try registry.makeFolder(named: "nested-archives")
        let inside = try registry.makeFile(named: "nested", suffix: ".zip", in: folder)
        let loose = try registry.makeFile(named: "fhir-pending", suffix: ".bin")
        try Data("x".utf8).write(to: inside)
        #expect(folder.deletingLastPathComponent().path == registry.folder.path)
        #expect(inside.deletingLastPathComponent().path == folder.path)
        #expect(registry.registeredPaths == [folder.path, inside.path, loose.path])
        let folderMode = try FileManager.default.attributesOfItem(atPath: registry.folder.path)[.posixPermissions] as? NSNumber
        let fileMode = try FileManager.default.attributesOfItem(atPath: loose.path)[.posixPermissions] as? NSNumber
        #expect(folderMode?.intValue == 0o700)
        #expect(fileMode?.intValue == 0o600)

        registry.removeAll()
        for path in [inside.path, folder.path, loose.path, registry.folder.path] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) is left")
        }
        // The registry still works after an interruption's cleanup.
        let again = try registry.makeFile(named: "again")
        #expect(FileManager.default.fileExists(atPath: again.path))
        registry.removeAll()
        #expect(!FileManager.default.fileExists(atPath: registry.folder.path))
    }

    @Test("remove(_:) deletes a folder with what it holds and forgets them; other items stay; the last takes the process folder")
    func removeOne() throws {
        let scratch = try ScratchFolder()
        let registry = ScratchRegistry(parent: scratch.url)
        let folder = try registry.makeFolder(named: "a")
        _ = try registry.makeFile(named: "in", in: folder)
        let other = try registry.makeFile(named: "other")
        registry.remove(folder)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        #expect(registry.registeredPaths == [other.path])
        #expect(FileManager.default.fileExists(atPath: registry.folder.path))
        registry.remove(other)
        #expect(registry.registeredPaths.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: other.path))
        // The last item takes the process folder with it: a finished import leaves nothing behind.
        #expect(!FileManager.default.fileExists(atPath: registry.folder.path))
    }

    @Test("Only names of exactly formulary-import-<pid>-<12 hex digits> are recognised")
    func recognisedNames() {
        #expect(ScratchRegistry.stalePID("formulary-import-4242-0123456789ab") == 4242)
        #expect(ScratchRegistry.stalePID("formulary-import-4242-0123456789a") == nil)
        #expect(ScratchRegistry.stalePID("formulary-import-+4242-0123456789ab") == nil)
        #expect(ScratchRegistry.stalePID("formulary-import-3F2504E0-4F89-11D3-9A0C-0305E82C3301") == nil)
        #expect(ScratchRegistry.stalePID("formulary-import-12345678-1234-1234-1234-123456789abc") == nil)
        #expect(ScratchRegistry.stalePID("formulary-refresh-4242-0123456789ab") == nil)
    }

    @Test("removeStale removes the folders of dead processes only")
    func removeStale() throws {
        let scratch = try ScratchFolder()
        // pid_max is at most 4,194,304 on Linux and 99,998 on macOS: this process cannot exist.
        let dead = scratch.url.appendingPathComponent("formulary-import-2147483646-00000000dead")
        let mine = scratch.url.appendingPathComponent("formulary-import-\(getpid())-00000000a11e")
        let legacy = scratch.url.appendingPathComponent("formulary-import-\(UUID().uuidString)")
        let file = scratch.url.appendingPathComponent("formulary-import-2147483645-00000000f11e")
        for folder in [dead, mine, legacy] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("nested-archives-1"), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: folder.appendingPathComponent("nested-archives-1/nested-2.zip"))
        }
        try Data("not a folder".utf8).write(to: file)
        #expect(ScratchRegistry.removeStale(in: scratch.url) == [dead.path])
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        for kept in [mine, legacy, file] { #expect(FileManager.default.fileExists(atPath: kept.path), "\(kept.lastPathComponent) was removed") }
    }

    @Test("The public removeStale cleans $TMPDIR")
    func publicRemoveStale() throws {
        let dead = FileManager.default.temporaryDirectory
            .appendingPathComponent("formulary-import-2147483644-\(String(format: "%012x", UInt64.random(in: 0 ... 0xFFFF_FFFF_FFFF)))")
        try FileManager.default.createDirectory(at: dead, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: dead.appendingPathComponent("fhir-pending-1.bin"))
        #expect(ImportScratch.removeStale().contains(dead.path))
        #expect(!FileManager.default.fileExists(atPath: dead.path))
    }

    @Test("Nested-archive copies go through the process registry and leave it with the catalog")
    func catalogUsesTheRegistry() throws {
        let scratch = try ScratchFolder()
        let inner = try ArchiveFixtures.zip([.init(path: "t.txt", data: Data("x".utf8))], at: scratch.url.appendingPathComponent("inner.zip"))
        let outer = try ArchiveFixtures.zip(
            [.init(path: "inner.zip", data: try Data(contentsOf: inner))], at: scratch.url.appendingPathComponent("in/outer.zip"))
        var catalog: InputCatalog? = try InputCatalog(inputs: [outer])
        let folder = try #require(catalog?.temporaryDirectory)
        #expect(folder.deletingLastPathComponent().path == ImportScratch.shared.folder.path)
        #expect(ImportScratch.shared.registeredPaths.contains(folder.path))
        catalog = nil
        #expect(!ImportScratch.shared.registeredPaths.contains(folder.path))
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("The FHIR pending spool writes through the registry and removes its file")
    func spoolUsesTheRegistry() throws {
        let scratch = try ScratchFolder()
        let registry = ScratchRegistry(parent: scratch.url)
        var spool: FHIRPendingEntrySpool? = FHIRPendingEntrySpool(scratch: registry)
        let entry = FormularyEntry(scope: .formulary(FormularyID("F1")), drug: DrugRef(rxcui: nil), tierCode: "2", sourceLine: 7)
        try spool?.append(.init(drugKey: "d1", fileIndex: 0, entry: entry))
        #expect(registry.registeredPaths.count == 1)
        #expect(registry.registeredPaths.first?.hasPrefix(registry.folder.path + "/fhir-pending-") == true)
        var drained: [String] = []
        try spool?.drain { drained.append($0.drugKey) }
        #expect(drained == ["d1"])
        #expect(registry.registeredPaths.isEmpty)
        try spool?.append(.init(drugKey: "d2", fileIndex: 0, entry: entry))
        let second = try #require(registry.registeredPaths.first)
        spool = nil
        #expect(registry.registeredPaths.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: second))
    }
}
