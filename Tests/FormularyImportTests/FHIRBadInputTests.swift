import Foundation
import FormularyImport
import FormularyModel
import Testing

@Suite("FHIR importer: bad input")
struct FHIRBadInputTests {
    static let item = "stu2.0.1/json/Basic-FormularyItem-D1002-1049640.json"
    static let itemXML = "stu2.0.1/xml/Basic-FormularyItem-D1002-1049640.xml"

    private func sample(_ path: String) throws -> String {
        try String(contentsOf: FHIRFixtures.url(path), encoding: .utf8)
    }

    @Test func invalidJSONNamesByteLineColumnAndExcerpt() throws {
        let text = "{\n  \"resourceType\": \"Basic\",\n  \"id\": \"x\",\n  \"extension\": [ { \"url\": \"u\" ,, } ]\n}"
        let url = try FHIRFixtures.temporaryFile("broken.json", text)
        let (problems, sink) = try FHIRFixtures.problems([url])
        let problem = try #require(problems.first)
        #expect(problem.file == "broken.json")
        #expect(problem.line == 4)
        #expect(problem.field == "column 32 (byte 73)", "\(problem)")
        #expect(problem.value?.isEmpty == false, "an excerpt")
        #expect(problem.expected.contains("not valid JSON"))
        #expect(sink.entries.isEmpty && sink.files.last?.sha256 == nil)
    }

    @Test func aTruncatedJSONResourceFails() throws {
        let text = try sample(Self.item)
        let url = try FHIRFixtures.temporaryFile("truncated.json", String(text.prefix(text.count / 2)))
        let (problems, _) = try FHIRFixtures.problems([url])
        #expect(problems.first?.expected.contains("truncated") == true, "\(problems)")
    }

    @Test func aJSONArrayIsNotAResource() throws {
        let url = try FHIRFixtures.temporaryFile("array.json", "[1, 2]")
        let (problems, _) = try FHIRFixtures.problems([url])
        #expect(problems.first?.field == "$")
        #expect(problems.first?.expected.contains("a FHIR resource") == true)
    }

    @Test func aNonBooleanFlagNamesItsJSONPath() throws {
        let text = try sample(Self.item).replacingOccurrences(
            of: "PriorAuthorization-extension\",\"valueBoolean\":true", with: "PriorAuthorization-extension\",\"valueBoolean\":\"yes\"")
        let url = try FHIRFixtures.temporaryFile("flag.json", text)
        let (problems, sink) = try FHIRFixtures.problems([url])
        let problem = try #require(problems.first)
        #expect(problem.field == "$.extension[5].valueBoolean", "\(problem)")
        #expect(problem.value == "yes")
        #expect(problem.expected == "true or false")
        #expect(sink.entries.isEmpty)
    }

    @Test func aNonBooleanFlagNamesItsXMLLineAndPath() throws {
        let text = try sample(Self.itemXML).replacingOccurrences(
            of: "PriorAuthorization-extension\">\n    <valueBoolean value=\"true\"/>",
            with: "PriorAuthorization-extension\">\n    <valueBoolean value=\"maybe\"/>")
        let url = try FHIRFixtures.temporaryFile("flag.xml", text)
        let (problems, _) = try FHIRFixtures.problems([url])
        let problem = try #require(problems.first)
        #expect(problem.field == "Basic.extension[5].valueBoolean", "\(problem)")
        #expect(problem.line == 46, "\(problem)")
        #expect(problem.value == "maybe")
    }

    @Test func anItemWithoutATierIsABadRowThatAnAllowanceSkips() throws {
        let text = try sample(Self.item).replacingOccurrences(of: "usdf-DrugTierID-extension", with: "usdf-SomethingElse-extension")
        let url = try FHIRFixtures.temporaryFile("no-tier.json", text)
        let (problems, _) = try FHIRFixtures.problems([url])
        #expect(problems.first?.expected == "a usdf-DrugTierID-extension (required, 1..1)")
        #expect(problems.first?.field == "$.extension")

        let drug = try FHIRFixtures.url("stu2.0.1/json/MedicationKnowledge-FormularyDrug-1049640.json")
        let (sink, outcome) = try FHIRFixtures.run([url, drug], maxRejects: 1)
        #expect(sink.entries.isEmpty)
        #expect(outcome.rejects.count == 1)
        #expect(outcome.rejects.first?.raw == "Basic/FormularyItem-D1002-1049640 (record 1)")
        #expect(outcome.counts["unknown extensions"] == 1)
    }

    @Test func aBadNDJSONLineNamesItsLine() throws {
        let good = try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: Data(contentsOf: FHIRFixtures.url(Self.item))))
        let text = String(decoding: good, as: UTF8.self) + "\n\n{\"resourceType\": \"Basic\", oops}\n"
        let url = try FHIRFixtures.temporaryFile("bad.ndjson", text)
        let (problems, _) = try FHIRFixtures.problems([url])
        let problem = try #require(problems.first)
        #expect(problem.line == 3, "\(problem)")
        #expect(problem.field == "column 27 (byte \(good.count + 2 + 26))", "\(problem)")
    }

    @Test func aResourceWithAModifierExtensionIsSkipped() throws {
        let text = try sample(Self.item).replacingOccurrences(
            of: "\"extension\":[", with: "\"modifierExtension\":[{\"url\":\"http://example.org/x\",\"valueBoolean\":true}],\"extension\":[")
        let url = try FHIRFixtures.temporaryFile("modifier.json", text)
        let (sink, outcome) = try FHIRFixtures.run([url])
        #expect(sink.entries.isEmpty && sink.tiers.isEmpty)
        #expect(outcome.counts["skipped resources: Basic (with a modifierExtension)"] == 1)
    }

    @Test func nothingButNonFHIRFilesIsAMissingFile() throws {
        let url = try FHIRFixtures.temporaryFile("notes.txt", "hello")
        #expect(throws: ImportError.self) { try FHIRFixtures.run([url]) }
    }
}
