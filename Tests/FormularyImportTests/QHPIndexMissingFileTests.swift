import Foundation
@testable import FormularyImport
import Testing

@Suite("QHP: a file the index lists is missing")
struct QHPIndexMissingFileTests {
    @Test("The error is a missing file naming the index, the URL and where the file was looked for")
    func missingListedFile() throws {
        let scratch = try ScratchFolder()
        let index = try scratch.write(QHPFixtures.data("cms-example/cms-data-index.json"), as: "cms-data-index.json")
        let error = try #require(throws: ImportError.self) { try QHPFixtures.run([index]) }
        guard case .listedFileNotFound(let path, let indexName, let listedAs) = error else {
            Issue.record("expected listedFileNotFound, got \(error.localizedDescription)")
            return
        }
        #expect(path == scratch.url.appendingPathComponent("plans.json").path)
        #expect(indexName == "cms-data-index.json")
        #expect(listedAs == "https://cmsgov.github.io/QHP-provider-formulary-APIs/data/plans.json")
    }
}
