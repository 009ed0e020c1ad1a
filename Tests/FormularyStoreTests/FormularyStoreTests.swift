import Foundation
import Testing
import FormularyModel
import FormularyStore

/// A fresh database file in a temporary folder, removed at the end of the test.
struct TemporaryStore: ~Copyable {
    let directory: URL
    let store: FormularyStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-store-\(UUID().uuidString)")
        store = try FormularyStore(path: directory.appendingPathComponent("test.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

/// A small Part D-shaped snapshot written straight through the sink.
enum SampleRows {
    static let formulary = FormularyID("00026408")
    static let plan = PlanID("H9990-001-000")

    static func write(into sink: any ImportSink, tier sertralineTier: String = "1", extraDuplicate: Bool = false) throws -> ImportOutcome {
        try sink.beginFile(name: "basic drugs formulary file  PPUF_2026Q1.txt", role: "basic drugs formulary")
        try sink.add(FormularyEntry(
            scope: .formulary(formulary), drug: DrugRef(rxcui: RxCUI("312941"), ndc: NDC("00093712156")), tierCode: sertralineTier,
            priorAuthorization: UMFlag(required: false), stepTherapy: UMFlag(required: false),
            quantityLimit: QuantityLimit(required: false), selectedDrug: false, sourceLine: 2))
        try sink.add(FormularyEntry(
            scope: .formulary(formulary), drug: DrugRef(rxcui: RxCUI("1455099"), ndc: NDC("64764072030")), tierCode: "3",
            priorAuthorization: UMFlag(required: false), stepTherapy: UMFlag(required: true, newStartsOnly: true),
            quantityLimit: QuantityLimit(required: true, amount: 30, days: 30, maximumDaily: 1, description: "1 tablet a day"), sourceLine: 3))
        if extraDuplicate {
            try sink.add(FormularyEntry(scope: .formulary(formulary), drug: DrugRef(rxcui: RxCUI("312941")), tierCode: "2", sourceLine: 4))
        }
        try sink.finishFile(sha256: String(repeating: "a", count: 64), byteCount: 123)
        try sink.add(Formulary(id: formulary, version: "17", contractYear: 2026))
        try sink.add(Plan(id: plan, name: "Reference Formulary M (synthetic)", organizationName: "Óptimo Health",
                          market: .medicarePartD, formulary: formulary, year: 2026, premiumMonthly: Decimal(string: "32.50"),
                          drugDeductible: 590, states: ["AZ"]))
        try sink.add(TierDefinition(formulary: formulary, sourceCode: "1", category: .unknown, isSpecialty: false))
        try sink.add(TierDefinition(formulary: formulary, sourceCode: "3", category: .unknown, isSpecialty: false))
        try sink.add(CostShare(plan: plan, tierCode: "3", phase: .initial, channel: .retailPreferred, daysSupply: 30,
                               offered: true, coinsurance: Decimal(string: "0.25"), coinsuranceRaw: "0.25", deductibleApplies: true))
        try sink.add(CostShare(plan: plan, tierCode: "1", phase: .initial, channel: .retailPreferred, daysSupply: 30,
                               offered: true, copay: 0, deductibleApplies: false))
        try sink.add(FormularyEntry(scope: .contractPlan("H9990-001"), drug: DrugRef(rxcui: RxCUI("310965")), tierCode: "1",
                                    status: .coveredSupplemental, quantityLimit: QuantityLimit(required: true, amount: 6, days: 30),
                                    cappedBenefit: false, sourceLine: 2))
        try sink.add(IndicationRestriction(contractPlan: "H9990-001", rxcui: RxCUI("1455099"), disease: "MAJOR DEPRESSIVE DISORDER"))
        try sink.add(DrugConcept(rxcui: RxCUI("312941"), termType: "SCD", name: "sertraline 50 MG Oral Tablet",
                                 ingredients: [RxCUI("36437")], ingredientNames: ["sertraline"]))
        return ImportOutcome(contractYear: 2026, counts: ["formulary rows": 2])
    }
}

@Suite("Formulary store")
struct FormularyStoreTests {
    @Test("an import lands as a current snapshot and answers lookups with tier, flags, QL, cost and source")
    func importAndLookup() throws {
        let temp = try TemporaryStore()
        let info = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        #expect(info.isCurrent)
        #expect(info.contractYear == 2026)
        #expect(info.files.first?.sha256 == String(repeating: "a", count: 64))

        let lines = try temp.store.lookup(plan: SampleRows.plan, drug: .rxcui(RxCUI("1455099")))
        let line = try #require(lines.first)
        #expect(lines.count == 1)
        #expect(line.entry.tierCode == "3")
        #expect(line.tier?.category == .unknown)
        #expect(line.entry.stepTherapy == UMFlag(required: true, newStartsOnly: true))
        #expect(line.entry.priorAuthorization == UMFlag(required: false))
        #expect(line.entry.quantityLimit == QuantityLimit(required: true, amount: 30, days: 30, maximumDaily: 1, description: "1 tablet a day"))
        #expect(line.entry.drug.ndc == NDC("64764072030"))
        #expect(line.indications == ["MAJOR DEPRESSIVE DISORDER"])
        #expect(line.costShare(channel: .retailPreferred, daysSupply: 30)?.coinsurance == Decimal(string: "0.25"))
        #expect(line.sourceFile == "basic drugs formulary file  PPUF_2026Q1.txt")
        #expect(line.entry.sourceLine == 3)
        #expect(line.plan.plan.organizationName == "Óptimo Health")
        #expect(line.plan.plan.premiumMonthly == Decimal(string: "32.5"))
    }

    @Test("drugs are found by NDC, by concept name, and plan-scoped supplemental lines are included")
    func lookupVariants() throws {
        let temp = try TemporaryStore()
        _ = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        #expect(try temp.store.lookup(plan: SampleRows.plan, drug: .ndc(NDC("00093712156"))).map(\.entry.tierCode) == ["1"])
        let byName = try temp.store.lookup(plan: SampleRows.plan, drug: DrugQuery(parsing: "Sertraline"))
        #expect(byName.map(\.drugName) == ["sertraline 50 MG Oral Tablet"])
        let supplemental = try temp.store.lookup(plan: SampleRows.plan, drug: .rxcui(RxCUI("310965")))
        #expect(supplemental.map(\.entry.status) == [.coveredSupplemental])
        #expect(try temp.store.lookup(plan: SampleRows.plan, drug: .rxcui(RxCUI("99999"))).isEmpty)
        #expect(throws: StoreError.self) { try temp.store.lookup(plan: PlanID("S0000-000-000"), drug: .rxcui(RxCUI("312941"))) }
    }

    @Test("a failing import leaves the previous snapshot current and unchanged")
    func atomicity() throws {
        let temp = try TemporaryStore()
        let first = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try temp.store.importSnapshot(sourceName: "partd", format: .partD) { sink in
                _ = try SampleRows.write(into: sink, tier: "5")
                throw Boom()
            }
        }
        #expect(throws: StoreError.self) {
            try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0, tier: "5", extraDuplicate: true) }
        }
        let snapshots = try temp.store.snapshots()
        #expect(snapshots.map(\.ref.id) == [first.ref.id])
        #expect(try temp.store.lookup(plan: SampleRows.plan, drug: .rxcui(RxCUI("312941"))).map(\.entry.tierCode) == ["1"])
    }

    @Test("an RxNorm NDC mapping finds the formulary line of the NDC's RxCUI; a new reference replaces the old")
    func ndcMapping() throws {
        let temp = try TemporaryStore()
        _ = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        _ = try temp.store.importSnapshot(sourceName: "rxnorm", format: .rxnorm) { sink in
            try sink.add(NDCMapping(ndc: NDC("00378901101"), rxcui: RxCUI("1455099")))
            return ImportOutcome()
        }
        #expect(try temp.store.lookup(plan: SampleRows.plan, drug: .ndc(NDC("00378901101"))).map(\.entry.tierCode) == ["3"])
        // An empty reference is refused and hides nothing; a new one replaces the old mappings.
        #expect(throws: StoreError.self) {
            try temp.store.importSnapshot(sourceName: "rxnorm", format: .rxnorm) { _ in ImportOutcome() }
        }
        #expect(try temp.store.lookup(plan: SampleRows.plan, drug: .ndc(NDC("00378901101"))).map(\.entry.tierCode) == ["3"])
        _ = try temp.store.importSnapshot(sourceName: "rxnorm", format: .rxnorm) { sink in
            try sink.add(NDCMapping(ndc: NDC("00378901102"), rxcui: RxCUI("1455099")))
            return ImportOutcome()
        }
        #expect(try temp.store.lookup(plan: SampleRows.plan, drug: .ndc(NDC("00378901101"))).isEmpty)
        #expect(try temp.store.lookup(plan: SampleRows.plan, drug: .ndc(NDC("00378901102"))).map(\.entry.tierCode) == ["3"])
    }

    @Test("the latest snapshot per source is current; older ones are kept")
    func currentSnapshot() throws {
        let temp = try TemporaryStore()
        let first = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        let second = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0, tier: "2") }
        let snapshots = try temp.store.snapshots()
        #expect(snapshots.map(\.ref.id) == [second.ref.id, first.ref.id])
        #expect(snapshots.map(\.isCurrent) == [true, false])
        #expect(try temp.store.lookup(plan: SampleRows.plan, drug: .rxcui(RxCUI("312941"))).map(\.entry.tierCode) == ["2"])
        #expect(try temp.store.plans().count == 1)
    }

    @Test("pruning keeps the newest snapshots of one source and removes every row of the others")
    func prune() throws {
        let temp = try TemporaryStore()
        let first = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        let other = try temp.store.importSnapshot(sourceName: "other", format: .partD) { try SampleRows.write(into: $0, tier: "4") }
        let latest = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0, tier: "2") }
        #expect(try temp.store.pruneSnapshots(sourceName: "partd", keep: 1) == [first.ref.id])
        #expect(try temp.store.snapshots().map(\.ref.id) == [latest.ref.id, other.ref.id])
        #expect(try temp.store.lookup(plan: SampleRows.plan, drug: .rxcui(RxCUI("312941"))).map(\.entry.tierCode).sorted() == ["2", "4"])
        #expect(try temp.store.pruneSnapshots(sourceName: "partd", keep: 1).isEmpty)
    }

    @Test("a diff lists tier moves, flag changes, added and removed drugs, and cost-share changes")
    func diff() throws {
        let temp = try TemporaryStore()
        let first = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        let second = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { sink in
            try sink.beginFile(name: "basic", role: "basic drugs formulary")
            try sink.add(FormularyEntry(scope: .formulary(SampleRows.formulary), drug: DrugRef(rxcui: RxCUI("1455099")), tierCode: "4",
                                        priorAuthorization: UMFlag(required: true), stepTherapy: UMFlag(required: true),
                                        quantityLimit: QuantityLimit(required: true, amount: 60, days: 30)))
            try sink.add(FormularyEntry(scope: .formulary(SampleRows.formulary), drug: DrugRef(rxcui: RxCUI("2611260")), tierCode: "3"))
            try sink.add(Plan(id: SampleRows.plan, name: "M", market: .medicarePartD, formulary: SampleRows.formulary))
            try sink.add(CostShare(plan: SampleRows.plan, tierCode: "3", phase: .initial, channel: .retailPreferred, daysSupply: 30,
                                   offered: true, coinsurance: Decimal(string: "0.3"), coinsuranceRaw: "0.3", deductibleApplies: true))
            return ImportOutcome()
        }
        let diff = try temp.store.diff(sourceName: "partd")
        #expect(diff.from.id == first.ref.id && diff.to.id == second.ref.id)
        let formulary = try #require(diff.formularies.first)
        #expect(formulary.plans == [SampleRows.plan])
        #expect(formulary.drugsAdded.map(\.drug.rxcui) == [RxCUI("2611260")])
        #expect(formulary.drugsRemoved.map(\.drug.rxcui) == [RxCUI("312941")])
        #expect(formulary.drugsRemoved.first?.drug.name == "sertraline 50 MG Oral Tablet")
        let change = try #require(formulary.changed.first)
        #expect(change.drug.rxcui == RxCUI("1455099"))
        #expect(change.changes.contains(FieldChange(field: "tier", before: "3", after: "4")))
        #expect(change.changes.contains(FieldChange(field: "prior authorization", before: "not required", after: "required")))
        #expect(change.changes.contains(FieldChange(field: "quantity limit", before: "30 per 30 days", after: "60 per 30 days")))
        #expect(!change.changes.contains { $0.field == "step therapy" })
        #expect(diff.costChanges.contains { $0.tierCode == "3" && $0.after == "30% coinsurance, deductible applies" })
        #expect(diff.costChanges.contains { $0.tierCode == "1" && $0.after == nil })
        let filtered = try temp.store.diff(sourceName: "partd", drugs: [RxCUI("2611260")])
        #expect(filtered.formularies.first?.drugsAdded.count == 1)
        #expect(filtered.formularies.first?.drugsRemoved.isEmpty == true)
        #expect(throws: StoreError.self) { try temp.store.diff(sourceName: "nope") }
        #expect(throws: StoreError.self) { try temp.store.diff(sourceName: "partd", from: 99) }
    }

    @Test("plans are searchable by name, state and year")
    func planSearch() throws {
        let temp = try TemporaryStore()
        _ = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        #expect(try temp.store.plans(search: "reference formulary").count == 1)
        #expect(try temp.store.plans(search: "az").count == 1)
        #expect(try temp.store.plans(search: "100%").isEmpty)
        #expect(try temp.store.plans(year: 2026).count == 1)
        #expect(try temp.store.plans(year: 2025).isEmpty)
    }

    @Test("a new database file is readable by its owner only")
    func permissions() throws {
        let temp = try TemporaryStore()
        let attributes = try FileManager.default.attributesOfItem(atPath: temp.store.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test("the default path honours FORMULARY_DB, then XDG_DATA_HOME, then HOME")
    func defaultPath() {
        #expect(FormularyStore.defaultPath(environment: ["FORMULARY_DB": "/x/y.sqlite", "HOME": "/h"]) == "/x/y.sqlite")
        #expect(FormularyStore.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]) == "/d/formulary/formulary.sqlite")
        #expect(FormularyStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/share/formulary/formulary.sqlite")
    }
}
