import Foundation
import FormularyImport
import FormularyModel
import Testing

/// One hostile drugs file, imported next to the CMS example plans.json, and what the error must say.
struct QHPHostileCase: Sendable, CustomTestStringConvertible {
    var fixture: String
    var line: Int
    /// The start of the problem's field: a JSON path, or the column and byte of a syntax error.
    var field: String
    /// Words the "expected" text must contain.
    var expects: [String]

    var testDescription: String { fixture }
}

@Suite("QHP importer: hostile input")
struct QHPHostileInputTests {
    static let cases: [QHPHostileCase] = [
        QHPHostileCase(fixture: "hostile/drugs_truncated.json", line: 45, field: "column 27 (byte 1483)",
                       expects: ["the end of the input (the document is truncated)", "not valid JSON"]),
        QHPHostileCase(fixture: "hostile/drugs_missing_drug_tier.json", line: 45, field: "$[1].plans[0]",
                       expects: ["a \"drug_tier\" field", "an object without it"]),
        QHPHostileCase(fixture: "hostile/drugs_number_plan_id.json", line: 30, field: "$[0].plans[2].plan_id",
                       expects: ["a string, found the number 12345678901234"]),
        QHPHostileCase(fixture: "hostile/drugs_invalid_utf8.json", line: 43, field: "column 30 (byte 1281)",
                       expects: ["valid UTF-8", "0x28 after the lead byte 0xC3"]),
        QHPHostileCase(fixture: "hostile/drugs_empty.json", line: 1, field: "$",
                       expects: ["found no drugs", "minItems 1"]),
        QHPHostileCase(fixture: "hostile/drugs_duplicate_entry.json", line: 67, field: "$[1].plans[2].plan_id",
                       expects: ["one entry per plan and drug", "already lists rxnorm_id 248656"]),
    ]

    @Test(arguments: cases)
    func failsWithAClearProblem(_ hostile: QHPHostileCase) throws {
        let inputs = try [QHPFixtures.url("cms-example/plans.json"), QHPFixtures.url(hostile.fixture)]
        let (problems, sink) = try QHPFixtures.problems(inputs)
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(problem.file == (hostile.fixture as NSString).lastPathComponent)
        #expect(problem.line == hostile.line, "\(problem)")
        #expect(problem.field?.hasPrefix(hostile.field) == true, "\(problem)")
        for words in hostile.expects {
            #expect(problem.expected.contains(words), "\(problem)")
        }
        #expect(sink.files.last?.sha256 == nil, "the hostile file never finishes")
    }

    @Test func aRejectAllowanceSkipsOnlyTheBadEntry() throws {
        let (sink, outcome) = try QHPFixtures.run("cms-example/plans.json", "hostile/drugs_number_plan_id.json", maxRejects: 1)
        #expect(outcome.rejects.count == 1)
        #expect(outcome.rejects.first?.line == 30)
        #expect(outcome.rejects.first?.raw == "drug plan entry at $[0].plans[2]")
        #expect(sink.entries.count == 4)
        #expect(sink.entry(QHPImporterTests.bronze, rxcui: "209459") == nil)
    }

    @Test func aDuplicatePlanIdNamesBothPlaces() throws {
        let inputs = try [QHPFixtures.url("hostile/plans_duplicate_plan_id.json"), QHPFixtures.url("cms-example/drugs-1.json")]
        let (problems, _) = try QHPFixtures.problems(inputs)
        let problem = try #require(problems.first)
        #expect(problem.field == "$[2]")
        #expect(problem.expected.contains("a unique plan_id, found plan_id 12345XX9876543 again"))
        #expect(problem.expected.contains("first defined at plans_duplicate_plan_id.json:2 ($[0])"))
        #expect(problem.line > 2)
    }

    @Test func anEmptyPlansArrayFails() throws {
        let scratch = try ScratchFolder()
        let plans = try scratch.write(Data("[]".utf8), as: "plans.json")
        let (problems, _) = try QHPFixtures.problems([plans, QHPFixtures.url("cms-example/drugs-1.json")])
        #expect(problems.first?.expected.contains("at least one plan") == true)
    }

    @Test func tenThousandDeepNestingFailsCleanly() throws {
        let scratch = try ScratchFolder()
        // In a field the importer does not read, so only the tokenizer's limit can stop it.
        let deep = #"[{"rxnorm_id": "1", "drug_name": "deep", "extra": "# + String(repeating: "[", count: 10_000)
        let drugs = try scratch.write(Data(deep.utf8), as: "drugs.json")
        let (problems, _) = try QHPFixtures.problems([drugs])
        let problem = try #require(problems.first)
        #expect(problem.expected == "nesting depth of at most 512")
        #expect(problem.field?.hasPrefix("column ") == true)
    }

    @Test func aOneMegabyteDrugNameImports() throws {
        let scratch = try ScratchFolder()
        let name = String(repeating: "Esketamine ", count: 95_326)  // 1,048,586 bytes
        let drugs = try scratch.write(Data(Self.drugs(named: name).utf8), as: "drugs.json")
        let (sink, _) = try QHPFixtures.run([drugs])
        #expect(sink.entries.first?.drug.name?.utf8.count == name.utf8.count)
    }

    @Test func aNameOverTheSixteenMebibyteCapFails() throws {
        let scratch = try ScratchFolder()
        let name = String(repeating: "x", count: (16 << 20) + 1)
        let drugs = try scratch.write(Data(Self.drugs(named: name).utf8), as: "drugs.json")
        let (problems, _) = try QHPFixtures.problems([drugs])
        #expect(problems.first?.expected == "string length (bytes) of at most 16777216")
    }

    @Test(arguments: [
        (#""rxnorm_id": 209459"#, "$[0].rxnorm_id", "a string, found the number 209459"),
        (#""rxnorm_id": "abc""#, "$[0].rxnorm_id", "an RxNorm id of 1 to 8 digits"),
        (#""drug_name": null"#, "$[0].drug_name", "a string, found null"),
        (#""plans": {}"#, "$[0].plans", "an array, found an object"),
    ])
    func wrongTypesInADrugFail(replacement: String, path: String, expected: String) throws {
        let original = try String(decoding: QHPFixtures.data("cms-example/drugs-1.json"), as: UTF8.self)
        let key = String(replacement.prefix { $0 != ":" })
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.firstIndex { $0.contains(key) })
        var edited = lines
        if key == #""plans""# {
            // Replace the whole first plans array with an object.
            let end = try #require(lines[index...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "]" })
            edited.replaceSubrange(index...end, with: ["        " + replacement])
        } else {
            edited[index] = "        " + replacement + ","
        }
        let scratch = try ScratchFolder()
        let drugs = try scratch.write(Data(edited.joined(separator: "\n").utf8), as: "drugs.json")
        let (problems, _) = try QHPFixtures.problems([drugs])
        let problem = try #require(problems.first)
        #expect(problem.field == path)
        #expect(problem.expected.contains(expected), "\(problem)")
    }

    @Test func aPlansFileOfTheWrongShapeFails() throws {
        let scratch = try ScratchFolder()
        let plans = try scratch.write(Data(#"[{"plan_id": "12345XX987654", "marketing_name": "x", "formulary": []}]"#.utf8), as: "plans.json")
        let (problems, _) = try QHPFixtures.problems([plans, QHPFixtures.url("cms-example/drugs-1.json")])
        let problem = try #require(problems.first)
        #expect(problem.field == "$[0].plan_id")
        #expect(problem.expected.contains("14-character HIOS plan id"))
        #expect(problem.expected.contains("\"12345XX987654\""))
    }

    static func drugs(named name: String) -> String {
        #"[{"rxnorm_id": "1", "drug_name": ""# + name
            + #"", "plans": [{"plan_id_type": "HIOS-PLAN-ID", "plan_id": "12345XX9876543", "drug_tier": "GENERIC", "years": [2025]}]}]"#
    }
}
