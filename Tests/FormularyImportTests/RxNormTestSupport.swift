import Foundation
import FormularyImport
import FormularyModel
import Testing

/// Fixture access for the RxNorm importer tests (`Fixtures/rxnorm`, described in its README).
enum RxNormFixtures {
    /// `Fixtures/rxnorm`.
    static func folder() throws -> URL {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("rxnorm", isDirectory: true)
    }

    /// `Fixtures/rxnorm/release`: a release folder with the RRF files under `rrf/`.
    static func release() throws -> URL {
        try folder().appendingPathComponent("release", isDirectory: true)
    }

    /// One file of the release: `RXNCONSO.RRF`, `RXNREL.RRF` or `RXNSAT.RRF`.
    static func rrf(_ name: String) throws -> URL {
        try release().appendingPathComponent("rrf/\(name)")
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: rrf(name))
    }

    /// A one-problem file from `Fixtures/rxnorm/bad`.
    static func bad(_ name: String) throws -> Data {
        try Data(contentsOf: folder().appendingPathComponent("bad/\(name)"))
    }

    /// A scratch release: the fixture files, with `replacing` swapped in by name and `omitting` left out.
    static func stage(
        in scratch: ScratchFolder, replacing: [String: Data] = [:], omitting: Set<String> = []
    ) throws -> URL {
        for name in ["RXNCONSO.RRF", "RXNREL.RRF", "RXNSAT.RRF"] where !omitting.contains(name) {
            try scratch.write(replacing[name] ?? data(name), as: "release/rrf/\(name)")
        }
        return scratch.url.appendingPathComponent("release", isDirectory: true)
    }
}

/// Runs the RxNorm importer on `inputs` into a fresh in-memory sink.
func importRxNorm(_ inputs: [URL], maxRejects: Int = 0) throws -> (ImportOutcome, InMemoryImportSink) {
    let sink = InMemoryImportSink()
    let outcome = try RxNormImporter(options: ImportOptions(maxRejects: maxRejects)).importFiles(inputs, into: sink, progress: nil)
    return (outcome, sink)
}

extension InMemoryImportSink {
    /// The concept with `rxcui`, or a test failure.
    func concept(_ rxcui: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> DrugConcept {
        try #require(concepts.first { $0.rxcui.rawValue == rxcui }, "no concept \(rxcui)", sourceLocation: sourceLocation)
    }
}
