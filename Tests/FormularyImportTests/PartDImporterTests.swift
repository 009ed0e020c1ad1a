import Foundation
import FormularyImport
import FormularyModel
import Testing

/// The happy path: the small release in `Fixtures/partd/release`, checked row by row.
@Suite("Part D importer: a small release")
struct PartDImporterTests {
    let outcome: ImportOutcome
    let sink: InMemoryImportSink

    init() throws {
        (outcome, sink) = try importPartD([try PartDFixtures.release()])
    }

    @Test("Counts, contract year and warnings")
    func summary() {
        #expect(outcome.contractYear == 2026)
        #expect(outcome.counts == [
            "formulary rows": 7, "formularies": 3, "tiers": 7,
            "plan information rows": 7, "plans": 4, "suppressed plans skipped": 1,
            "cost share rows": 6, "insulin cost rows": 2, "excluded drug rows": 3, "indication rows": 2,
        ])
        #expect(outcome.rejects.isEmpty)
        #expect(outcome.warnings.count == 2)
        #expect(outcome.warnings.contains { $0.contains("geographic locator file PPUF_2026Q1.txt") && $0.contains("geographic locator table") })
        #expect(outcome.warnings.contains { $0.contains("SPUFRecordLayout-2026.pdf") && $0.contains("documentation") })
    }

    @Test("Every table is recorded as a file with its role, SHA-256 and size, basic formulary first")
    func files() throws {
        #expect(sink.files.map(\.role) == [
            "basic drugs formulary", "plan information", "beneficiary cost", "insulin beneficiary cost",
            "excluded drugs formulary", "indication-based coverage",
        ])
        #expect(sink.files.first?.name == "release/basic drugs formulary file  PPUF_2026Q1.txt")
        for file in sink.files {
            let sha = try #require(file.sha256)
            #expect(sha.count == 64 && sha.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            let onDisk = try PartDFixtures.release().appendingPathComponent(String(file.name.dropFirst("release/".count)))
            let size = try FileManager.default.attributesOfItem(atPath: onDisk.path)[.size] as? Int
            #expect(file.byteCount.map(Int.init) == size)
        }
    }

    @Test("One formulary per FORMULARY_ID, with version and contract year, in first-seen order")
    func formularies() {
        #expect(sink.formularies == [
            Formulary(id: FormularyID("00026408"), version: "17", contractYear: 2026),
            Formulary(id: FormularyID("00026409"), version: "17", contractYear: 2026),
            Formulary(id: FormularyID("00025011"), version: "5", contractYear: 2026),
        ])
    }

    @Test("Basic formulary rows map field by field, ids keeping their leading zeros")
    func basicEntries() {
        let f08 = EntryScope.formulary(FormularyID("00026408"))
        let f09 = EntryScope.formulary(FormularyID("00026409"))
        let f11 = EntryScope.formulary(FormularyID("00025011"))
        let no = UMFlag(required: false)
        let yes = UMFlag(required: true)
        let expected: [FormularyEntry] = [
            FormularyEntry(scope: f08, drug: DrugRef(rxcui: RxCUI("1551300"), ndc: NDC("00002143380")), tierCode: "2",
                           priorAuthorization: no, stepTherapy: no, quantityLimit: QuantityLimit(required: false),
                           selectedDrug: false, sourceLine: 2),
            FormularyEntry(scope: f08, drug: DrugRef(rxcui: RxCUI("856783"), ndc: NDC("00093071101")), tierCode: "1",
                           priorAuthorization: no, stepTherapy: no, quantityLimit: QuantityLimit(required: false),
                           selectedDrug: false, sourceLine: 3),
            FormularyEntry(scope: f08, drug: DrugRef(rxcui: RxCUI("643019"), ndc: NDC("59148000813")), tierCode: "5",
                           priorAuthorization: yes, stepTherapy: no, quantityLimit: QuantityLimit(required: true, amount: 30, days: 30),
                           selectedDrug: false, sourceLine: 4),
            FormularyEntry(scope: f08, drug: DrugRef(rxcui: RxCUI("2058850"), ndc: NDC("00169413013")), tierCode: "3",
                           priorAuthorization: no, stepTherapy: yes, quantityLimit: QuantityLimit(required: true, amount: 2.5, days: 28),
                           selectedDrug: true, sourceLine: 5),
            FormularyEntry(scope: f09, drug: DrugRef(rxcui: RxCUI("1551300"), ndc: NDC("00002143380")), tierCode: "3",
                           priorAuthorization: no, stepTherapy: no, quantityLimit: QuantityLimit(required: false),
                           selectedDrug: false, sourceLine: 6),
            FormularyEntry(scope: f09, drug: DrugRef(rxcui: RxCUI("643019"), ndc: NDC("59148000813")), tierCode: "4",
                           priorAuthorization: yes, stepTherapy: yes, quantityLimit: QuantityLimit(required: false),
                           selectedDrug: false, sourceLine: 7),
            FormularyEntry(scope: f11, drug: DrugRef(rxcui: RxCUI("856783"), ndc: NDC("00093071101")), tierCode: "1",
                           priorAuthorization: no, stepTherapy: no, quantityLimit: QuantityLimit(required: false),
                           selectedDrug: false, sourceLine: 8),
        ]
        let basic = sink.entries.filter { $0.status == .covered }
        #expect(basic.count == expected.count)
        for (got, want) in zip(basic, expected) {
            #expect(got == want)
        }
    }

    @Test("Excluded drugs are contract-plan scoped supplemental coverage; QL 1/0 and Y/N both read")
    func excludedEntries() {
        let excluded = sink.entries.filter { $0.status == .coveredSupplemental }
        #expect(excluded == [
            FormularyEntry(scope: .contractPlan("H0028-007"), drug: DrugRef(rxcui: RxCUI("312950")), tierCode: "1",
                           status: .coveredSupplemental, priorAuthorization: UMFlag(required: false), stepTherapy: UMFlag(required: false),
                           quantityLimit: QuantityLimit(required: true, amount: 6, days: 30), cappedBenefit: false, sourceLine: 2),
            FormularyEntry(scope: .contractPlan("H0028-007"), drug: DrugRef(rxcui: RxCUI("1049221")), tierCode: "2",
                           status: .coveredSupplemental, priorAuthorization: UMFlag(required: true), stepTherapy: UMFlag(required: false),
                           quantityLimit: QuantityLimit(required: false), cappedBenefit: true, sourceLine: 3),
            FormularyEntry(scope: .contractPlan("S5601-012"), drug: DrugRef(rxcui: RxCUI("854873")), tierCode: "1",
                           status: .coveredSupplemental, priorAuthorization: UMFlag(required: false), stepTherapy: UMFlag(required: false),
                           quantityLimit: QuantityLimit(required: false), cappedBenefit: false, sourceLine: 4),
        ])
        #expect(excluded.allSatisfy { $0.drug.ndc == nil })
    }

    @Test("Plans: county rows merged, states collected, suppressed plan skipped, Windows-1252 names decoded")
    func plans() throws {
        #expect(sink.plans.map(\.id.rawValue) == ["H0028-007-000", "H0028-007-001", "H5216-123-000", "S5601-012-000"])
        #expect(sink.plans[0] == Plan(
            id: PlanID.partD(contract: "H0028", plan: "007", segment: "000"), name: "Humana Gold Plus (HMO)",
            organizationName: "HUMANA INSURANCE COMPANY", market: .medicarePartD, formulary: FormularyID("00026408"),
            year: 2026, premiumMonthly: 0, drugDeductible: 0, states: ["FL", "GA"], snpType: "0"
        ))
        #expect(sink.plans[1].premiumMonthly == Decimal(string: "12.5"))
        #expect(sink.plans[1].states == ["FL"])
        #expect(sink.plans[2].name == "Óptimo Plus \u{2018}Platino\u{2019} (HMO D-SNP)")
        #expect(sink.plans[2].organizationName == "MMM Healthcare, LLC")
        #expect(sink.plans[2].snpType == "2")
        #expect(sink.plans[3].premiumMonthly == Decimal(string: "35.60"))
        #expect(sink.plans[3].drugDeductible == 615)
        #expect(sink.plans[3].states == [])
        #expect(!sink.plans.contains { $0.id.rawValue.hasPrefix("S9999") })
    }

    @Test("Beneficiary cost rows fan out to four channels with phase, days, copay, coinsurance and limits")
    func costShares() throws {
        let shares = sink.costShares.filter { $0.scope == .all }
        #expect(shares.count == 24)
        let h0028 = PlanID("H0028-007-000")
        let s5601 = PlanID("S5601-012-000")
        func share(_ plan: PlanID, _ phase: BenefitPhase, _ tier: String, _ channel: PharmacyChannel) throws -> CostShare {
            try #require(shares.first { $0.plan == plan && $0.phase == phase && $0.tierCode == tier && $0.channel == channel })
        }
        #expect(try share(h0028, .initial, "1", .retailPreferred) == CostShare(
            plan: h0028, tierCode: "1", phase: .initial, channel: .retailPreferred, daysSupply: 30, offered: true,
            copay: 0, deductibleApplies: false
        ))
        #expect(try share(h0028, .initial, "1", .retailStandard).copay == 5)
        #expect(try share(h0028, .initial, "1", .mailStandard).offered == false)
        let specialty = try share(h0028, .initial, "5", .retailPreferred)
        #expect(specialty.coinsurance == Decimal(string: "0.33"))
        #expect(specialty.coinsuranceRaw == "0.33")
        #expect(specialty.copay == nil)
        #expect(try share(h0028, .catastrophic, "5", .retailPreferred).copay == 0)
        #expect(try share(s5601, .deductible, "1", .mailPreferred).copay == 2)
        let ranged = try share(s5601, .initial, "3", .retailStandard)
        #expect(ranged.daysSupply == 90)
        #expect(ranged.coinsurance == Decimal(string: "0.25"))
        #expect(ranged.minimum == Decimal(string: "1.60"))
        #expect(ranged.maximum == Decimal(string: "5.10"))
        #expect(ranged.deductibleApplies == true)
        #expect(try share(s5601, .initial, "3", .retailPreferred).minimum == nil)
        #expect(try share(s5601, .initial, "4", .mailStandard).daysSupply == 60)
        #expect(try share(s5601, .initial, "4", .mailStandard).copay == 141)
    }

    @Test("Insulin rows: TIER '.' means every tier, a blank amount means not offered")
    func insulin() throws {
        let insulin = sink.costShares.filter { $0.scope == .insulin }
        #expect(insulin.count == 8)
        let allTiers = insulin.filter { $0.plan == PlanID("S5601-012-000") }
        #expect(allTiers.count == 4)
        #expect(allTiers.allSatisfy { $0.tierCode == nil && $0.copay == 35 && $0.offered && $0.daysSupply == 30 && $0.phase == .any })
        let tier3 = insulin.filter { $0.plan == PlanID("H0028-007-000") }
        #expect(tier3.map(\.tierCode) == ["3", "3", "3", "3"])
        #expect(tier3.map(\.offered) == [true, true, false, false])
        #expect(tier3.map(\.copay) == [105, 105, nil, nil])
        #expect(tier3.allSatisfy { $0.daysSupply == 90 && $0.coinsurance == nil })
    }

    @Test("Tiers: one per formulary and code, category unknown unless the cost table marks it specialty")
    func tiers() {
        func tier(_ formulary: String, _ code: String, _ category: TierCategory, _ specialty: Bool?) -> TierDefinition {
            TierDefinition(formulary: FormularyID(formulary), sourceCode: code, category: category, isSpecialty: specialty)
        }
        #expect(sink.tiers == [
            tier("00026408", "1", .unknown, false),
            tier("00026408", "2", .unknown, nil),
            tier("00026408", "3", .unknown, nil),
            tier("00026408", "5", .specialty, true),
            tier("00026409", "3", .unknown, false),
            tier("00026409", "4", .unknown, false),
            tier("00025011", "1", .unknown, nil),
        ])
    }

    @Test("Indication-based coverage rows")
    func indications() {
        #expect(sink.indications == [
            IndicationRestriction(contractPlan: "H1994-001", rxcui: RxCUI("1745108"), disease: "SPONDYLITIS, ANKYLOSING"),
            IndicationRestriction(contractPlan: "H0028-007", rxcui: RxCUI("643019"), disease: "SCHIZOPHRENIA"),
        ])
    }
}
