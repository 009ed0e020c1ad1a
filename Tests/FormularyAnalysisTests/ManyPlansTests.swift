import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// One patient against many plans in one call: the memo shared across plans and the chunks run
/// on several cores must give each plan exactly what analyzing it alone gives.
@Suite("many plans in one analysis")
struct ManyPlansTests {
    /// Formulary A (plan-specific criteria), Formulary M (Medicare criteria), 70 variants of
    /// Formulary A under other plan ids (default criteria) whose lines differ — PA or ST flags
    /// set, tiers moved, drugs dropped — and one plan that is not in the data.
    static func provider() -> (InMemoryCoverageProvider, [String]) {
        let loaded = Fixtures.shared
        let base = loaded.formularyA.lines.values.flatMap { $0 }
        var listings = Array(loaded.formularyA.plans.values) + Array(SmallFormulary.formularyM.plans.values)
        var lines = base + SmallFormulary.formularyM.lines.values.flatMap { $0 }
        var variants: [String] = []
        for index in 0..<70 {
            let id = PlanID(String(format: "77777AZ%07d", index))
            let formulary = Formulary(id: FormularyID(id.rawValue), name: "variant \(index)")
            let listing = PlanListing(plan: Plan(id: id, name: "Variant plan \(index)", market: .marketplace, formulary: formulary.id, states: ["AZ"]),
                                      formulary: formulary, snapshot: SnapshotRef(id: 2, sourceName: "variants", format: .qhp,
                                                                                 importedAt: Date(timeIntervalSince1970: 0)))
            listings.append(listing)
            variants.append(id.rawValue)
            for (position, line) in base.enumerated() where (position + index) % 7 != 0 {
                var copy = line
                copy.plan = listing
                copy.entry.scope = .formulary(formulary.id)
                if (position + index) % 5 == 0 { copy.entry.priorAuthorization = UMFlag(required: true) }
                if (position + index) % 6 == 0 { copy.entry.stepTherapy = UMFlag(required: true) }
                if (position * 3 + index) % 4 == 0 { copy.entry.tierCode = "NON-PREFERRED-BRAND" }
                lines.append(copy)
            }
        }
        let plans = loaded.formularyA.plans.keys.map(\.rawValue).sorted() + ["H9990-001-000"] + variants + ["00000XX0000000"]
        return (InMemoryCoverageProvider(plans: listings, lines: lines), plans)
    }

    @Test("each plan's result equals the result of analyzing that plan alone", arguments: ["s1-baseline.yaml", "medicare-continuing.yaml", "s7-labeler-switch.yaml"])
    func manyEqualsOneByOne(file: String) throws {
        let loaded = Fixtures.shared
        let profile = try PatientLoader.load(path: Fixtures.patientsFolder + "/" + file, reference: loaded.reference)
        let asOf = try #require(profile.asOf)
        let (provider, plans) = Self.provider()
        #expect(plans.count > TRDAnalyzer.plansPerChunk * 2, "enough plans for several chunks")

        let together = try loaded.analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: provider)
        #expect(together.plans.map(\.planID) == plans)
        for (index, plan) in plans.enumerated() {
            let alone = try loaded.analyzer.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: provider)
            #expect(alone.plans.count == 1)
            #expect(together.plans[index] == alone.plans[0], "plan \(plan) differs when analyzed with the others")
        }
        // The variants really differ from each other, so the comparison above is not vacuous.
        let verdictSets = Set(together.plans.map { $0.options.map { "\($0.optionID)=\($0.verdict.rawValue)" }.sorted() })
        #expect(verdictSets.count > 3)
    }
}

extension ManyPlansTests {
    @Test("documents that share a file label are still told apart when plans share a memo")
    func sameLabelDocuments() throws {
        let loaded = Fixtures.shared
        func text(_ name: String) throws -> String { try String(contentsOfFile: Fixtures.criteriaFolder + "/" + name, encoding: .utf8) }
        let criteria = try CriteriaLoader(reference: loaded.reference).loadSet([
            (try text("reference-a.yaml"), "inline.yaml"), (try text("reference-m.yaml"), "inline.yaml"), (try text("default-trd.yaml"), "inline.yaml"),
        ])
        let analyzer = TRDAnalyzer(reference: loaded.reference, criteria: criteria)
        let provider = InMemoryCoverageProvider(
            plans: Array(loaded.formularyA.plans.values) + Array(SmallFormulary.formularyM.plans.values),
            lines: loaded.formularyA.lines.values.flatMap { $0 } + SmallFormulary.formularyM.lines.values.flatMap { $0 })
        let plans = loaded.formularyA.plans.keys.map(\.rawValue).sorted() + ["H9990-001-000"]
        for file in ["s1-baseline.yaml", "medicare-continuing.yaml"] {
            let profile = try PatientLoader.load(path: Fixtures.patientsFolder + "/" + file, reference: loaded.reference)
            let asOf = try #require(profile.asOf)
            let together = try analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: provider)
            for (index, plan) in plans.enumerated() {
                let alone = try analyzer.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: provider)
                #expect(together.plans[index] == alone.plans[0], "\(file): plan \(plan) differs when analyzed with the others")
            }
            // The plans really use different documents, both labeled inline.yaml.
            #expect(together.plans.first?.criteria.documentID == "reference-a")
            #expect(together.plans.last?.criteria.documentID == "reference-m")
            #expect(together.plans.allSatisfy { $0.criteria.file == "inline.yaml" })
        }
    }
}

/// A provider that drops the last plan of every batch.
private struct ShortProvider: CoverageProvider {
    let base: InMemoryCoverageProvider
    func planListing(_ plan: PlanID) throws -> PlanListing? { try base.planListing(plan) }
    func coverage(plan: PlanID, drugs: [RxCUI]) throws -> [CoverageLine] { try base.coverage(plan: plan, drugs: drugs) }
    func coverage(plans: [PlanID], drugs: [RxCUI]) throws -> [PlanCoverage] { Array(try base.coverage(plans: plans, drugs: drugs).dropLast()) }
}

extension ManyPlansTests {
    @Test("a provider that answers fewer plans than asked is an error, not a shorter result")
    func shortAnswer() throws {
        let loaded = Fixtures.shared
        let profile = try PatientLoader.load(path: Fixtures.patientsFolder + "/s1-baseline.yaml", reference: loaded.reference)
        let plans = loaded.formularyA.plans.keys.map(\.rawValue).sorted()
        #expect(throws: AnalysisError.self) {
            try loaded.analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: try #require(profile.asOf)),
                                        coverage: ShortProvider(base: loaded.formularyA))
        }
    }
}

@Suite("drug options and criteria documents are values")
struct DrugOptionValueTests {
    @Test("criteria documents compare and hash by content, not identity, and survive JSON")
    func documentsByValue() throws {
        let loaded = Fixtures.shared
        let again = try CriteriaLoader(reference: loaded.reference).loadDirectory(Fixtures.criteriaFolder)
        #expect(again.documents.count == loaded.criteria.documents.count)
        for (a, b) in zip(again.documents, loaded.criteria.documents) {
            #expect(a !== b)
            #expect(a == b)
            #expect(a.hashValue == b.hashValue)
            #expect(try JSONDecoder().decode(CriteriaDocument.self, from: JSONEncoder().encode(a)) == a)
        }
        let first = try #require(loaded.criteria.documents.first)
        let other = CriteriaDocument(id: first.id, file: first.file, title: first.title + " (edited)", appliesTo: first.appliesTo,
                                     versions: first.versions, adequacy: first.adequacy, lines: first.lines, rules: first.rules, overlays: first.overlays)
        #expect(other != first)
    }

    @Test("a copy changed by a setter leaves the original alone; equality, hashing and JSON follow the fields")
    func copyOnWrite() throws {
        let original = try #require(Fixtures.shared.reference.option(id: "bupropion"))
        var copy = original
        #expect(copy == original)
        #expect(copy.hashValue == original.hashValue)
        copy.name = "renamed"
        copy.properties.insert(.lithium)
        #expect(original.name == "bupropion")
        #expect(!original.has(.lithium))
        #expect(copy.has(.lithium))
        #expect(copy != original)
        #expect(copy.has(.bupropionContaining) == original.has(.bupropionContaining))

        let data = try JSONEncoder().encode(original)
        let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
        #expect(keys.contains("id") && keys.contains("drugClass") && keys.contains("properties"))
        #expect(try JSONDecoder().decode(DrugOption.self, from: data) == original)
    }

    @Test("every drug property has its own bit")
    func propertyBits() {
        #expect(DrugProperty.allCases.count <= 64)
        let option = DrugOption(id: "all", name: "all", kind: .ingredient, drugClass: .other, countsAsAntidepressant: false,
                                properties: Set(DrugProperty.allCases))
        let none = DrugOption(id: "none", name: "none", kind: .ingredient, drugClass: .other, countsAsAntidepressant: false)
        for property in DrugProperty.allCases {
            #expect(option.has(property))
            #expect(!none.has(property))
            let single = DrugOption(id: "one", name: "one", kind: .ingredient, drugClass: .other, countsAsAntidepressant: false, properties: [property])
            #expect(DrugProperty.allCases.filter(single.has) == [property])
        }
    }
}
