import Foundation
import Testing
import FormularyModel

@Suite("Drug queries")
struct DrugQueryTests {
    @Test("digits up to 8 are an RxCUI, kept as text", arguments: ["36437", "993557", "00000001"])
    func rxcui(text: String) {
        #expect(DrugQuery(parsing: " \(text) ") == .rxcui(RxCUI(text)))
    }

    @Test("11 digits or a dashed NDC become an 11-digit NDC with its leading zeros", arguments: [
        ("00093712156", "00093712156"), ("0093-7121-56", "00093712156"), ("00093-712-56", "00093071256"),
        ("12345-6789-1", "12345678901"),
    ])
    func ndc(text: String, expected: String) {
        #expect(DrugQuery(parsing: text) == .ndc(NDC(expected)))
    }

    @Test("anything else is a name", arguments: ["sertraline", "Trintellix 10 MG", "123456789", "12-34", "0093-71211-56"])
    func name(text: String) {
        #expect(DrugQuery(parsing: text) == .name(text))
    }

    @Test("an NDC's labeler is its first five digits")
    func labeler() {
        #expect(NDC("00093712156").labeler == "00093")
    }
}

@Suite("Cost shares")
struct CostShareTests {
    @Test("coinsurance above 1 is read as percent; fractions stay; impossible values are refused", arguments: [
        ("0.25", "0.25"), ("25", "0.25"), ("1", "1"), ("100", "1"), ("0", "0"),
    ])
    func normalize(raw: String, expected: String) throws {
        let value = try #require(Decimal(string: raw))
        #expect(CostShare.normalizedCoinsurance(value) == Decimal(string: expected))
    }

    @Test("negative or over-100 coinsurance is refused", arguments: ["-0.1", "100.5", "250"])
    func refuse(raw: String) throws {
        #expect(CostShare.normalizedCoinsurance(try #require(Decimal(string: raw))) == nil)
    }

    @Test("a coverage line picks initial-phase, all-drug costs for a channel and supply")
    func pick() {
        let plan = PlanID("H1-001-000")
        let listing = PlanListing(
            plan: Plan(id: plan, name: nil, market: .medicarePartD, formulary: FormularyID("1")),
            formulary: Formulary(id: FormularyID("1")),
            snapshot: SnapshotRef(id: 1, sourceName: "s", format: .partD, importedAt: Date(timeIntervalSince1970: 0)))
        let costs = [
            CostShare(plan: plan, tierCode: "1", phase: .deductible, channel: .retailPreferred, daysSupply: 30, offered: true, copay: 99),
            CostShare(plan: plan, tierCode: "1", phase: .initial, channel: .retailPreferred, daysSupply: 30, offered: true, copay: 5),
            CostShare(plan: plan, tierCode: nil, phase: .initial, channel: .retailPreferred, daysSupply: 30, offered: true, copay: 35, scope: .insulin),
            CostShare(plan: plan, tierCode: "1", phase: .initial, channel: .retailPreferred, daysSupply: 90, offered: true, copay: 15),
        ]
        let line = CoverageLine(plan: listing, entry: FormularyEntry(scope: .formulary(FormularyID("1")), drug: DrugRef(rxcui: RxCUI("1")), tierCode: "1"),
                                drugName: nil, tier: nil, costShares: costs, indications: [], sourceFile: nil)
        #expect(line.costShare(channel: .retailPreferred, daysSupply: 30)?.copay == 5)
        #expect(line.costShare(channel: .retailPreferred, daysSupply: 90)?.copay == 15)
        #expect(line.costShare(channel: .mailPreferred, daysSupply: 30) == nil)
    }
}

@Suite("Tri-state flags")
struct TriStateTests {
    @Test("an unknown flag is neither true nor false, and survives JSON")
    func unknownSurvivesJSON() throws {
        let entry = FormularyEntry(scope: .formulary(FormularyID("00026408")), drug: DrugRef(rxcui: RxCUI("312941")), tierCode: "1")
        #expect(entry.priorAuthorization.required == nil)
        let decoded = try JSONDecoder().decode(FormularyEntry.self, from: JSONEncoder().encode(entry))
        #expect(decoded == entry)
        #expect(decoded.stepTherapy.required == nil)
        #expect(decoded.quantityLimit.required == nil)
    }
}

/// `PlanListing` keeps its fields in a shared box; it must still behave as a plain value.
@Suite("plan listings are values")
struct PlanListingValueTests {
    static func listing() -> PlanListing {
        PlanListing(plan: Plan(id: PlanID("H9990-001-000"), name: "Example plan", market: .medicarePartD, formulary: FormularyID("00026001"),
                               year: 2026, premiumMonthly: Decimal(string: "35.20"), states: ["AZ", "NM"]),
                    formulary: Formulary(id: FormularyID("00026001"), version: "7", name: "Example", contractYear: 2026),
                    snapshot: SnapshotRef(id: 3, sourceName: "partd", format: .partD, importedAt: Date(timeIntervalSince1970: 1_700_000_000)))
    }

    @Test("a copy changed by a setter leaves the original alone; equality, hashing and JSON follow the fields")
    func valueSemantics() throws {
        let original = Self.listing()
        var copy = original
        #expect(copy == original && copy.hashValue == original.hashValue)
        copy.plan.name = "Renamed"
        copy.snapshot.id = 4
        #expect(original.plan.name == "Example plan" && original.snapshot.id == 3)
        #expect(copy.plan.name == "Renamed" && copy.snapshot.id == 4 && copy.formulary == original.formulary)
        #expect(copy != original)
        // Built separately from equal fields: equal, same hash.
        #expect(Self.listing() == original && Self.listing().hashValue == original.hashValue)

        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(original)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["plan", "formulary", "snapshot"])
        #expect(try JSONDecoder().decode(PlanListing.self, from: data) == original)
    }
}
