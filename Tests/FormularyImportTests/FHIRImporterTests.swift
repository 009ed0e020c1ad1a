import Foundation
import FormularyImport
import FormularyModel
import Testing

@Suite("FHIR importer: samples")
struct FHIRImporterTests {
    static let jsonSamples = FHIRFixtures.jsonSamples
    static let allSamples = jsonSamples + jsonSamples.map(FHIRFixtures.xmlTwin(of:))

    @Test func theFixturesAreAllThere() {
        #expect(Self.jsonSamples.count == 36)
    }

    @Test(arguments: allSamples)
    func everySampleImports(_ path: String) throws {
        let (sink, outcome) = try FHIRFixtures.run(path)
        #expect(sink.files.count == 1)
        #expect(sink.files.first?.sha256?.count == 64)
        #expect(outcome.rejects.isEmpty)
        #expect(!outcome.counts.isEmpty)
    }

    /// The JSON and XML renderings of one sample give the same rows, array by array.
    @Test(arguments: jsonSamples)
    func jsonAndXMLTwinsGiveIdenticalRows(_ path: String) throws {
        let json = try FHIRFixtures.run(path)
        let xml = try FHIRFixtures.run(FHIRFixtures.xmlTwin(of: path))
        #expect(json.sink.formularies == xml.sink.formularies)
        #expect(json.sink.plans == xml.sink.plans)
        #expect(json.sink.tiers == xml.sink.tiers)
        #expect(json.sink.costShares == xml.sink.costShares)
        #expect(json.sink.entries == xml.sink.entries)
        #expect(json.sink.indications == xml.sink.indications)
        #expect(json.sink.concepts == xml.sink.concepts)
        #expect(json.sink.files.count == xml.sink.files.count)
        #expect(json.outcome.contractYear == xml.outcome.contractYear)
        let neutral = { (warnings: [String]) in
            warnings.map { $0.replacingOccurrences(of: ".json", with: "").replacingOccurrences(of: ".xml", with: "") }
        }
        #expect(neutral(json.outcome.warnings) == neutral(xml.outcome.warnings))
        var jsonCounts = json.outcome.counts
        var xmlCounts = xml.outcome.counts
        jsonCounts = jsonCounts.filter { !$0.key.hasPrefix("files:") }
        xmlCounts = xmlCounts.filter { !$0.key.hasPrefix("files:") }
        #expect(jsonCounts == xmlCounts)
    }

    /// Whole folders (items before their drugs, drugs from other files) give the same rows too.
    @Test(arguments: ["stu2.0.1", "stu1.x", "ri-seed-data", "bundles"])
    func jsonAndXMLFoldersGiveIdenticalRows(_ folder: String) throws {
        let json = try FHIRFixtures.run("\(folder)/json")
        let xml = try FHIRFixtures.run("\(folder)/xml")
        #expect(json.sink.formularies == xml.sink.formularies)
        #expect(json.sink.plans == xml.sink.plans)
        #expect(json.sink.tiers == xml.sink.tiers)
        #expect(json.sink.costShares == xml.sink.costShares)
        #expect(json.sink.entries == xml.sink.entries)
        #expect(!json.sink.entries.isEmpty)
    }

    @Test func theFormularyItemWithEveryFlag() throws {
        let (sink, outcome) = try FHIRFixtures.run(
            "stu2.0.1/json/Basic-FormularyItem-D1002-1049640.json", "stu2.0.1/json/MedicationKnowledge-FormularyDrug-1049640.json")
        let entry = try #require(sink.fhirEntry("FormularyD1002", rxcui: "1049640"))
        #expect(entry.drug.name == "acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet [Percocet]")
        #expect(entry.tierCode == "brand")
        #expect(entry.status == .covered)
        #expect(entry.priorAuthorization == UMFlag(required: true, newStartsOnly: true))
        #expect(entry.stepTherapy == UMFlag(required: true, newStartsOnly: false))
        #expect(entry.quantityLimit.required == true)
        #expect(entry.quantityLimit.amount == 60)
        #expect(entry.quantityLimit.days == 30)
        #expect(entry.quantityLimit.maximumDaily == 2)
        #expect(entry.quantityLimit.description == "days supply: count 1 per 180 d, bounds 365 d")
        #expect(entry.sourceLine == 1, "the item's own record, though its drug came from a later file")
        let tier = try #require(sink.tiers.first)
        #expect(tier.formulary == FormularyID("FormularyD1002"))
        #expect(tier.sourceSystem == "http://hl7.org/fhir/us/davinci-drug-formulary/CodeSystem/usdf-DrugTierCS-TEMPORARY-TRIAL-USE")
        #expect(tier.category == .brand)
        #expect(tier.label == "Brand")
        #expect(outcome.counts["FormularyItem"] == 1)
        #expect(outcome.counts["FormularyDrug"] == 1)
        #expect(sink.formularies == [Formulary(id: FormularyID("FormularyD1002"))], "referenced, not described")
    }

    @Test func absentFlagsStayUnknown() throws {
        let (sink, _) = try FHIRFixtures.run(
            "stu2.0.1/json/Basic-FormularyItem-D1002-209459.json", "stu2.0.1/json/MedicationKnowledge-FormularyDrug-209459.json")
        let entry = try #require(sink.entries.first)
        #expect(entry.priorAuthorization == UMFlag(required: true, newStartsOnly: nil))
        #expect(entry.stepTherapy == UMFlag(required: false, newStartsOnly: nil))
        #expect(entry.quantityLimit == QuantityLimit(required: false))
    }

    @Test func theReferenceImplementationSeedItem() throws {
        let (sink, outcome) = try FHIRFixtures.run("ri-seed-data/xml")
        let entry = try #require(sink.fhirEntry("Formulary-40308VA0240007", rxcui: "1012895"))
        #expect(entry.drug.name == "fingolimod 0.5 MG Oral Capsule")
        #expect(entry.tierCode == "specialty")
        #expect(entry.priorAuthorization == UMFlag(required: true, newStartsOnly: false))
        #expect(entry.stepTherapy == UMFlag(required: false))
        #expect(entry.quantityLimit == QuantityLimit(required: true, amount: 120, days: 30, maximumDaily: 4))
        let plan = try #require(sink.plans.first)
        #expect(plan.id == PlanID("PayerPlan-40308VA0240007"))
        #expect(plan.market == .commercial)
        #expect(plan.formulary == FormularyID("Formulary-40308VA0240007"))
        #expect(plan.year == 2024)
        #expect(sink.formularies.contains(Formulary(id: FormularyID("Formulary-40308VA0240007"), name: "BluePreferred PPO Gold $1,750", contractYear: 2024)))
        #expect(outcome.contractYear == 2024)
        // The seed data repeats each tier under a benefit type, the generic tier with different
        // costs: the first is kept, and the disagreement is a warning (FHIRValueRulesTests has its text).
        let generic = try #require(sink.fhirCost("PayerPlan-40308VA0240007", "generic", .retailStandard, days: 30))
        #expect(generic.copay == 0 && generic.coinsurance == 0 && generic.qualifier == .noCharge)
        #expect(sink.costShares.filter { $0.tierCode == "generic" && $0.channel == .retailStandard && $0.daysSupply == 30 }.count == 1)
        #expect(outcome.warnings.contains {
            $0.hasPrefix("plan PayerPlan-40308VA0240007 tier generic under 1-month-in-retail is stated twice with different cost sharing")
        })
        let specialty = try #require(sink.tiers.first { $0.sourceCode == "specialty" })
        #expect(specialty.category == .specialty && specialty.isSpecialty == true)
        #expect(sink.tiers.first { $0.sourceCode == "zero-cost-share-preventative" }?.category == .zeroCostPreventive)
    }

    @Test func thePayerInsurancePlanA1002() throws {
        let (sink, outcome) = try FHIRFixtures.run("stu2.0.1/xml/InsurancePlan-PayerInsurancePlanA1002.xml")
        #expect(sink.plans == [Plan(
            id: PlanID("A1002"), name: "Sample Medicare Advantage Plan A1002", market: .medicarePartD,
            formulary: FormularyID("FormularyD1002"), year: 2021)])
        #expect(sink.costShares == [CostShare(
            plan: PlanID("A1002"), tierCode: "brand", phase: .any, channel: .retailStandard, daysSupply: 30, offered: true,
            copay: 20, coinsurance: Decimal(string: "0.2"), coinsuranceRaw: "20 %", deductibleApplies: true,
            qualifier: .afterDeductible)])
        #expect(sink.tiers.map(\.sourceCode) == ["brand"])
        #expect(outcome.counts["PayerInsurancePlan"] == 1)
        #expect(outcome.counts["cost shares"] == 1)
    }

    @Test func theSTU1CoveragePlanV1002() throws {
        let (sink, outcome) = try FHIRFixtures.run("stu1.x/json/branch-final-stu1.1-CoveragePlanV1002.json")
        #expect(sink.plans == [Plan(id: PlanID("HIOS-PLAN-ID"), name: "Sample Gold Health Plan", market: .marketplace, formulary: FormularyID("HIOS-PLAN-ID"))])
        #expect(sink.formularies == [Formulary(id: FormularyID("HIOS-PLAN-ID"), name: "Sample Gold Health Plan")])
        #expect(sink.tiers == [TierDefinition(
            formulary: FormularyID("HIOS-PLAN-ID"), sourceCode: "brand",
            sourceSystem: "http://hl7.org/fhir/us/davinci-drug-formulary/CodeSystem/usdf-DrugTierCS", category: .brand, label: "Brand")])
        let cost = try #require(sink.costShares.first)
        #expect(cost.copay == 20)
        #expect(cost.coinsurance == Decimal(string: "0.2"))
        #expect(cost.coinsuranceRaw == "0.2")
        #expect(cost.channel == .retailStandard && cost.daysSupply == 30)
        #expect(cost.qualifier == .afterDeductible)
        #expect(outcome.counts["CoveragePlan"] == 1)
        #expect(outcome.counts["unknown extensions"] == nil)
    }

    @Test func theSTU1CoveragePlanV3001SaysMailIsOffered() throws {
        let (sink, _) = try FHIRFixtures.run("stu1.x/xml/branch-final-stu1.1-CoveragePlanV3001.xml")
        #expect(sink.plans.first?.id == PlanID("test"))
        #expect(sink.costShares.count == 4)
        #expect(sink.costShares.allSatisfy { $0.offered && $0.copay == 0 && $0.coinsurance == 0 })
    }

    @Test(arguments: ["v1.0.0-FormularyDrugcmsip9", "branch-final-stu1.1-FormularyDrugcmsip9"])
    func theSTU1FormularyDrug(_ name: String) throws {
        let (sink, _) = try FHIRFixtures.run("stu1.x/xml/\(name).xml")
        let entry = try #require(sink.fhirEntry("40308VA0240008", rxcui: "1000091"))
        #expect(entry.tierCode == "generic")
        #expect(entry.priorAuthorization == UMFlag(required: false))
        #expect(entry.stepTherapy == UMFlag(required: true))
        #expect(entry.quantityLimit == QuantityLimit(required: true))
        #expect(entry.sourceLine == 1)
        #expect(sink.tiers.first?.category == .generic)
    }

    @Test func theCollectionBundle() throws {
        let (sink, outcome) = try FHIRFixtures.run("bundles/xml/Bundle-collection-FormularyD1002-constructed.xml")
        #expect(sink.plans.map(\.id) == [PlanID("A1002")])
        #expect(sink.formularies == [Formulary(id: FormularyID("FormularyD1002"), name: "Sample Medicare Advantage Part D Formulary D1002", contractYear: 2021)])
        #expect(Set(sink.entries.compactMap(\.drug.rxcui?.rawValue)) == ["1000091", "1049640", "209459", "284520"])
        #expect(sink.entries.allSatisfy { $0.sourceLine != nil })
        #expect(outcome.counts["files: XML Bundle (collection)"] == 1)
    }

    @Test func theSearchsetBundleResolvesItemsBeforeTheirDrugs() throws {
        let (sink, outcome) = try FHIRFixtures.run("bundles/json/Bundle-searchset-Basic-formulary-D1002-constructed.json")
        #expect(sink.entries.count == 4)
        #expect(sink.entries.map(\.sourceLine) == [1, 2, 3, 4], "drugs later in the same file keep the record number")
        #expect(sink.formularies == [Formulary(id: FormularyID("FormularyD1002"))])
        #expect(outcome.counts["files: JSON Bundle (searchset)"] == 1)
    }

    @Test func aWholeFolderSkipsWhatIsNotAFormulary() throws {
        let (sink, outcome) = try FHIRFixtures.run("stu2.0.1/json")
        #expect(sink.entries.count == 7)
        #expect(sink.plans.count == 4)
        #expect(sink.formularies.count == 4)
        #expect(outcome.counts["skipped resources: GraphDefinition"] == 2)
        #expect(outcome.counts["skipped resources: Location"] == 1)
        #expect(outcome.counts["FormularyItem"] == 7)
        #expect(outcome.counts["FormularyDrug"] == 5)
        #expect(outcome.counts["PayerInsurancePlan"] == 4)
        #expect(outcome.counts["Formulary"] == 4)
        #expect(outcome.contractYear == 2021)
    }

    @Test func theWholeSampleTreeImportsOnceEach() throws {
        let (sink, outcome) = try FHIRFixtures.run([FHIRFixtures.folder()])
        #expect(outcome.counts["files skipped (not FHIR)"] == 1, "the README")
        #expect(outcome.counts["PayerInsurancePlan skipped: plan id already imported"] != nil)
        #expect(outcome.counts["FormularyItem skipped: the formulary already lists the drug"] != nil)
        #expect(Set(sink.plans.map(\.id)).count == sink.plans.count)
        let keys = sink.entries.map { "\($0.scope)|\($0.drug.rxcui?.rawValue ?? "")" }
        #expect(Set(keys).count == keys.count)
    }

    @Test func bulkNDJSONGivesTheSameRowsAsTheFolder() throws {
        var lines: [String] = []
        for path in Self.jsonSamples where path.hasPrefix("stu2.0.1/") {
            let data = try Data(contentsOf: FHIRFixtures.url(path))
            let object = try JSONSerialization.jsonObject(with: data)
            let line = try JSONSerialization.data(withJSONObject: object)
            lines.append(String(decoding: line, as: UTF8.self))
        }
        let url = try FHIRFixtures.temporaryFile("export.ndjson", lines.joined(separator: "\n") + "\n\n")
        let ndjson = try FHIRFixtures.run([url])
        let folder = try FHIRFixtures.run("stu2.0.1/json")
        // Order differs (one file resolves at its end, a folder at the import's end), and so does
        // the record number; the rows are otherwise the same.
        let normalized = { (entries: [FormularyEntry]) -> Set<FormularyEntry> in
            Set(entries.map { entry in
                var entry = entry
                entry.sourceLine = nil
                return entry
            })
        }
        #expect(normalized(ndjson.sink.entries) == normalized(folder.sink.entries))
        #expect(Set(ndjson.sink.costShares) == Set(folder.sink.costShares))
        #expect(ndjson.outcome.counts["files: NDJSON"] == 1)
        #expect(ndjson.outcome.counts["FormularyItem"] == 7)
    }

    @Test func unknownExtensionsAreCountedNotFatal() throws {
        var text = try String(contentsOf: FHIRFixtures.url("stu2.0.1/json/Basic-FormularyItem-D1002-284520.json"), encoding: .utf8)
        text = text.replacingOccurrences(
            of: "\"extension\":[",
            with: "\"extension\":[{\"url\":\"http://example.org/fhir/StructureDefinition/payer-note\",\"valueString\":\"x\"},")
        let item = try FHIRFixtures.temporaryFile("item.json", text)
        let (sink, outcome) = try FHIRFixtures.run([item, FHIRFixtures.url("stu2.0.1/json/MedicationKnowledge-FormularyDrug-284520.json")])
        #expect(sink.entries.count == 1)
        #expect(outcome.counts["unknown extensions"] == 1)
        #expect(outcome.warnings.contains { $0.contains("http://example.org/fhir/StructureDefinition/payer-note (1)") })
    }

    @Test func anItemWhoseDrugNeverArrivesIsSkippedWithAReason() throws {
        let (sink, outcome) = try FHIRFixtures.run("stu2.0.1/xml/Basic-FormularyItem-D3001-1000091.xml")
        #expect(sink.entries.isEmpty)
        #expect(outcome.counts["FormularyItem skipped: its FormularyDrug is not among the inputs"] == 1)
        #expect(sink.tiers.count == 1)
    }

    @Test(arguments: [
        ("stu2.0.1/json/Basic-FormularyItem-D1002-1049640.json", true),
        ("stu2.0.1/xml/InsurancePlan-FormularyD1002.xml", true),
        ("stu1.x/xml/v1.0.0-FormularyDrugcmsip9.xml", true),
        ("stu1.x/json/v1.0.0-FormularyDrugcmsip9.json", true),
        ("stu2.0.1", true),
        ("README.md", false),
    ])
    func recognizesFHIRByContent(_ path: String, _ expected: Bool) throws {
        #expect(FHIRImporter.recognizes(try FHIRFixtures.url(path)) == expected)
    }

    @Test func doesNotRecognizeOtherJSONOrXML() throws {
        #expect(!FHIRImporter.recognizes(try FHIRFixtures.temporaryFile("plans.json", "[{\"plan_id\":\"x\"}]")))
        #expect(!FHIRImporter.recognizes(try FHIRFixtures.temporaryFile("x.xml", "<Basic xmlns=\"urn:other\"/>")))
        #expect(!FHIRImporter.recognizes(try FHIRFixtures.temporaryFile("x.json", "{\"resource\":1}")))
    }
}
