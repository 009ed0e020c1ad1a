import Foundation
import FormularyImport
import FormularyModel
import Testing

/// An `ImportSink` that remembers which file was current when each entry arrived, as the store's
/// provenance does.
final class FileRecordingSink: ImportSink {
    private(set) var current: String?
    /// Each entry with the file that was current when it was added.
    private(set) var entries: [(file: String?, entry: FormularyEntry)] = []

    func beginFile(name: String, role: String) throws { current = name }
    func finishFile(sha256: String, byteCount: Int64) throws { current = nil }
    func add(_ formulary: Formulary) throws {}
    func add(_ plan: Plan) throws {}
    func add(_ tier: TierDefinition) throws {}
    func add(_ costShare: CostShare) throws {}
    func add(_ entry: FormularyEntry) throws { entries.append((current, entry)) }
    func add(_ indication: IndicationRestriction) throws {}
    func add(_ concept: DrugConcept) throws {}
    func add(_ mapping: NDCMapping) throws {}
}

@Suite("FHIR importer: values that cannot be right")
struct FHIRValueRulesTests {
    /// A sample's text with `old` replaced by `new` (which must occur `expectedCount` times), written
    /// to a new temporary file named like the sample.
    static func edited(_ sample: String, replacing old: String, with new: String, occurrence: Int = 0) throws -> URL {
        let text = try String(contentsOf: FHIRFixtures.url(sample), encoding: .utf8)
        var ranges: [Range<String.Index>] = []
        var searchFrom = text.startIndex
        while let range = text.range(of: old, range: searchFrom..<text.endIndex) {
            ranges.append(range)
            searchFrom = range.upperBound
        }
        let range = try #require(occurrence < ranges.count ? ranges[occurrence] : nil, "\(old) not in \(sample)")
        return try FHIRFixtures.temporaryFile((sample as NSString).lastPathComponent, text.replacingCharacters(in: range, with: new))
    }

    static let planJSON = "stu2.0.1/json/InsurancePlan-PayerInsurancePlanA1002.json"
    static let planXML = "stu2.0.1/xml/InsurancePlan-PayerInsurancePlanA1002.xml"

    @Test func aNegativeCopayFailsTheImportNamingItsPlace() throws {
        let url = try Self.edited(Self.planJSON, replacing: #""value":20,"unit":"$""#, with: #""value":-25,"unit":"$""#)
        let (problems, _) = try FHIRFixtures.problems([url])
        #expect(problems == [RowProblem(
            file: "InsurancePlan-PayerInsurancePlanA1002.json", line: 1,
            field: "$.plan[0].specificCost[0].benefit[0].cost[0].value.value", value: "-25",
            expected: "a copay of $0 or more: a negative amount cannot be right")])
    }

    @Test func aCoinsuranceOfOneHundredFiftyPercentFailsInXMLToo() throws {
        let url = try Self.edited(Self.planXML, replacing: #"<value value="20"/>"#, with: #"<value value="150"/>"#, occurrence: 1)
        let (problems, _) = try FHIRFixtures.problems([url])
        #expect(problems == [RowProblem(
            file: "InsurancePlan-PayerInsurancePlanA1002.xml", line: 171,
            field: "InsurancePlan.plan[0].specificCost[0].benefit[0].cost[1].value.value", value: "150",
            expected: "a coinsurance from 0 to 100 percent")])
    }

    @Test func aThirtyEightDigitCopayIsRefused() throws {
        let url = try Self.edited(
            Self.planJSON, replacing: #""value":20,"unit":"$""#, with: #""value":12345678901234567890123456789012345678,"unit":"$""#)
        let (problems, _) = try FHIRFixtures.problems([url])
        #expect(problems.map(\.expected) == ["a copay of at most $100,000 per fill (the ceiling for any cost-share amount)"])
        #expect(problems.map(\.value) == ["12345678901234567890123456789012345678"])
    }

    @Test func anSTU1NegativeFractionIsRefused() throws {
        let sample = "stu1.x/json/branch-final-stu1.1-CoveragePlanV1002.json"
        let url = try Self.edited(sample, replacing: #""valueDecimal": 0.2"#, with: #""valueDecimal": -0.2"#)
        let (problems, _) = try FHIRFixtures.problems([url])
        #expect(problems == [RowProblem(
            file: "branch-final-stu1.1-CoveragePlanV1002.json", line: 53,
            field: "$.extension[0].extension[2].extension[2].valueDecimal", value: "-0.2",
            expected: "a coinsurance from 0 to 1 (a fraction) or up to 100 (a percent): 0–100%")])
    }

    @Test func withinTheAllowanceOnlyTheCostRowIsRejected() throws {
        let url = try Self.edited(Self.planJSON, replacing: #""value":20,"unit":"$""#, with: #""value":-25,"unit":"$""#)
        let (sink, outcome) = try FHIRFixtures.run([url], maxRejects: 1)
        #expect(outcome.rejects == [RejectedRow(
            file: "InsurancePlan-PayerInsurancePlanA1002.json", line: 1,
            reason: "$.plan[0].specificCost[0].benefit[0].cost[0].value.value = \"-25\": expected a copay of $0 or more: a negative amount cannot be right",
            raw: "cost sharing at $.plan[0].specificCost[0].benefit[0] of InsurancePlan/PayerInsurancePlanA1002 (record 1)")])
        #expect(sink.plans.map(\.id) == [PlanID("A1002")], "the plan stays")
        #expect(sink.costShares.isEmpty, "its only cost row, with the negative copay, does not")
        #expect(outcome.counts["cost shares rejected"] == 1)
    }

    @Test func aDrugNameWithAnEscapeSequenceIsARejectedResource() throws {
        let url = try Self.edited(
            "stu2.0.1/json/MedicationKnowledge-FormularyDrug-1049640.json",
            replacing: #""display":"acetaminophen 325 MG"#, with: #""display":"acetaminophen\u001b[31m 325 MG"#)
        let item = try FHIRFixtures.url("stu2.0.1/json/Basic-FormularyItem-D1002-1049640.json")
        let (problems, _) = try FHIRFixtures.problems([item, url])
        let problem = try #require(problems.first)
        #expect(problem.file == "MedicationKnowledge-FormularyDrug-1049640.json")
        #expect(problem.field == "$.code.coding[0].display")
        #expect(problem.value == "acetaminophen\\u{1B}[31m 325 MG / oxycodone hydrochloride 5 MG Oral Tablet [Percocet]")
        #expect(problem.expected == "a name without control characters (U+0000–U+001F, U+007F); character 14 is U+001B")

        let (sink, outcome) = try FHIRFixtures.run([item, url], maxRejects: 1)
        #expect(outcome.rejects.map(\.raw) == ["MedicationKnowledge/FormularyDrug-1049640 (record 1)"])
        #expect(sink.entries.isEmpty, "nothing shows the name")
    }

    @Test func aPlanNameWithATabInXMLIsARejectedResource() throws {
        let url = try Self.edited(
            Self.planXML, replacing: #"<name value="Sample Medicare Advantage Plan A1002"/>"#,
            with: #"<name value="Sample&#9;Plan"/>"#)
        let (problems, _) = try FHIRFixtures.problems([url])
        let problem = try #require(problems.first)
        #expect(problem.field == "InsurancePlan.name")
        #expect(problem.value == "Sample\\tPlan")
        #expect(problem.expected == "a name without control characters (U+0000–U+001F, U+007F); character 7 is U+0009")
    }

    @Test func aDuplicateKeyFailsWithItsLocation() throws {
        let url = try FHIRFixtures.temporaryFile("basic.json", #"{"resourceType":"Basic","resourceType":"Patient"}"#)
        let (problems, _) = try FHIRFixtures.problems([url])
        #expect(problems == [RowProblem(
            file: "basic.json", line: 1, field: "$.resourceType",
            expected: "an object that names each key once, found the key \"resourceType\" a second time, which leaves its value ambiguous")])
    }

    // MARK: - Duplicates that disagree

    /// The RI seed gives each tier twice per benefit type, and the generic tier once more with other
    /// costs: the identical repeats are quiet, the disagreeing one names both values and places.
    @Test func theSeedsDisagreeingGenericTierIsNamedWithBothValues() throws {
        let (sink, outcome) = try FHIRFixtures.run("ri-seed-data/json/InsurancePlan-PayerPlan-40308VA0240007.json")
        let disagreements = outcome.warnings.filter { $0.contains("is stated twice with different cost sharing") }
        #expect(disagreements.count == 4, "generic under each of the four benefit types; \(outcome.warnings)")
        let place = "InsurancePlan-PayerPlan-40308VA0240007.json InsurancePlan/PayerPlan-40308VA0240007 (record 1)"
        #expect(disagreements.first ==
            "plan PayerPlan-40308VA0240007 tier generic under 1-month-in-retail is stated twice with different cost sharing: "
                + "the first, which was kept, says copay $0, coinsurance 0%, no charge (at \(place) .plan[0].specificCost[0].benefit[0]); "
                + "another says copay $0, coinsurance 100%, after deductible (at \(place) .plan[0].specificCost[0].benefit[6])")
        #expect(!outcome.warnings.contains { $0.contains("same tier twice") }, "identical repeats stay quiet")
        let generic = try #require(sink.fhirCost("PayerPlan-40308VA0240007", "generic", .retailStandard, days: 30))
        #expect(generic.copay == 0 && generic.coinsurance == 0 && generic.qualifier == .noCharge)
    }

    @Test func theSameDisagreementReadsTheSameInXML() throws {
        let json = try FHIRFixtures.run("ri-seed-data/json/InsurancePlan-PayerPlan-40308VA0240007.json").outcome.warnings
        let xml = try FHIRFixtures.run("ri-seed-data/xml/InsurancePlan-PayerPlan-40308VA0240007.xml").outcome.warnings
        #expect(json.map { $0.replacingOccurrences(of: ".json", with: "") } == xml.map { $0.replacingOccurrences(of: ".xml", with: "") })
    }

    @Test func aBenefitsSecondCopayIsQuietWhenItAgrees() throws {
        // Repeat the copay cost of A1002's only benefit, identical, then with another amount.
        let text = try String(contentsOf: FHIRFixtures.url(Self.planJSON), encoding: .utf8)
        let copay = try #require(
            text.firstRange(of: #/\{"type":\{"coding":\[\{"system":"[^"]*BenefitCostTypeCS[^"]*","code":"copay".*?"code":"USD"\}\}/#))
        let cost = String(text[copay])
        let same = try FHIRFixtures.temporaryFile("same.json", text.replacingCharacters(in: copay, with: cost + "," + cost))
        #expect(!(try FHIRFixtures.run([same]).outcome.warnings.contains { $0.contains("states its copay twice") }))

        let other = cost.replacingOccurrences(of: #""value":20"#, with: #""value":35"#)
        let differs = try FHIRFixtures.temporaryFile("differs.json", text.replacingCharacters(in: copay, with: cost + "," + other))
        let (sink, outcome) = try FHIRFixtures.run([differs])
        #expect(outcome.warnings.contains {
            $0.hasPrefix("a benefit states its copay twice with different values; the first is kept: "
                + "20 after-deductible at .plan[0].specificCost[0].benefit[0].cost[0].value.value, "
                + "and 35 after-deductible at .plan[0].specificCost[0].benefit[0].cost[1]")
        }, "\(outcome.warnings)")
        #expect(sink.costShares.map(\.copay) == [20])
    }

    @Test func aTierNamedTwiceDifferentlyIsNotedWithBoth() throws {
        let first = try FHIRFixtures.url("stu2.0.1/json/Basic-FormularyItem-D1002-1049640.json")
        let second = try Self.edited(
            "stu2.0.1/json/Basic-FormularyItem-D1002-209459.json",
            replacing: #""code":"brand","display":"Brand""#, with: #""code":"brand","display":"Brand Name""#)
        let (sink, outcome) = try FHIRFixtures.run([first, second])
        #expect(outcome.warnings.contains(
            "formulary FormularyD1002 names tier \"brand\" twice differently; the first is kept: "
                + "display \"Brand\" at Basic-FormularyItem-D1002-1049640.json Basic/FormularyItem-D1002-1049640 (record 1), "
                + "and display \"Brand Name\" (at Basic-FormularyItem-D1002-209459.json Basic/FormularyItem-D1002-209459 (record 1))"),
            "\(outcome.warnings)")
        #expect(sink.tiers.map(\.label) == ["Brand"])

        let same = try FHIRFixtures.run("stu2.0.1/json/Basic-FormularyItem-D1002-1049640.json", "stu2.0.1/json/Basic-FormularyItem-D1002-209459.json")
        #expect(!same.outcome.warnings.contains { $0.contains("names tier") }, "the same naming twice is quiet")
    }

    // MARK: - Provenance

    /// The RI seed folder lists the item's file before its drug's: the entry still belongs to the
    /// item's file, with its record number.
    @Test func anEntryNamesItsFormularyItemsFileNotItsDrugs() throws {
        let sink = FileRecordingSink()
        let outcome = try FHIRImporter().importFiles([FHIRFixtures.url("ri-seed-data/json")], into: sink, progress: nil)
        let recorded = try #require(sink.entries.first)
        #expect(sink.entries.count == 1)
        #expect(recorded.file == "json/Basic-FormularyItem-40308VA0240007-1012895.json")
        #expect(recorded.entry.sourceLine == 1)
        #expect(recorded.entry.drug.name == "fingolimod 0.5 MG Oral Capsule")
        #expect(outcome.counts["FormularyDrug"] == 1, "read ahead, but counted once")
    }

    @Test func itemsOfSeveralFilesEachKeepTheirOwnFile() throws {
        let names = ["Basic-FormularyItem-D1002-1049640", "Basic-FormularyItem-D1002-209459",
                     "MedicationKnowledge-FormularyDrug-1049640", "MedicationKnowledge-FormularyDrug-209459"]
        let inputs = try names.map { try FHIRFixtures.url("stu2.0.1/json/\($0).json") }
        let sink = FileRecordingSink()
        _ = try FHIRImporter().importFiles(inputs, into: sink, progress: nil)
        let byDrug = Dictionary(uniqueKeysWithValues: sink.entries.map { ($0.entry.drug.rxcui?.rawValue ?? "", $0.file ?? "") })
        #expect(byDrug == ["1049640": "Basic-FormularyItem-D1002-1049640.json", "209459": "Basic-FormularyItem-D1002-209459.json"])
        #expect(sink.entries.map(\.entry.sourceLine) == [1, 1])
    }

    @Test func anItemWhoseDrugIsNowhereIsStillSkipped() throws {
        let (sink, outcome) = try FHIRFixtures.run(
            "stu2.0.1/json/Basic-FormularyItem-D1002-1049640.json", "stu2.0.1/json/MedicationKnowledge-FormularyDrug-209459.json")
        #expect(sink.entries.isEmpty)
        #expect(outcome.counts["FormularyItem skipped: its FormularyDrug is not among the inputs"] == 1)
    }
}
