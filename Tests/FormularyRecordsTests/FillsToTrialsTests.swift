import Foundation
import Testing
import FormularyCriteria
import FormularyModel
import FormularyRecords

/// Consecutive fills of one ingredient become one trial; chart trials stand as documented;
/// duplicates (a claim and a dispense of one fill, one claim read twice) are one fill.
@Suite("Fills to trials")
struct FillsToTrialsTests {
    /// A pharmacy EOB as a Blue Button/CARIN export writes it.
    static func eob(id: String, date: String, ndc: String? = nil, rxcui: String? = nil, display: String, days: Int?, quantity: Double? = nil,
                    denied: Bool = false) -> String {
        var codings: [String] = []
        if let ndc { codings.append(#"{"system":"http://hl7.org/fhir/sid/ndc","code":"\#(ndc)","display":"\#(display)"}"#) }
        if let rxcui { codings.append(#"{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"\#(rxcui)","display":"\#(display)"}"#) }
        let supply = days.map { #","supportingInfo":[{"sequence":1,"category":{"coding":[{"system":"http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType","code":"dayssupply"}]},"valueQuantity":{"value":\#($0)}}]"# } ?? ""
        let amount = quantity.map { #","quantity":{"value":\#($0)}"# } ?? ""
        let outcome = denied ? "error" : "complete"
        return #"{"resourceType":"ExplanationOfBenefit","id":"\#(id)","status":"active","outcome":"\#(outcome)","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"pharmacy"}]}\#(supply),"item":[{"sequence":1,"productOrService":{"coding":[\#(codings.joined(separator: ","))],"text":"\#(display)"},"servicedDate":"\#(date)"\#(amount)}]}"#
    }

    static func importing(_ lines: [String], extra: [(String, String)] = []) throws -> RecordsImport {
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var urls = [try RecordsFixtures.write(lines.joined(separator: "\n") + "\n", to: folder, name: "claims.ndjson")]
        for (name, text) in extra { urls.append(try RecordsFixtures.write(text, to: folder, name: name)) }
        return try RecordsFixtures.importer().importRecords(urls)
    }

    @Test("fills no more than 30 days apart make one trial with the highest daily dose; a longer gap starts another")
    func runs() throws {
        let result = try Self.importing([
            Self.eob(id: "f1", date: "2024-01-02", display: "sertraline 50 MG Oral Tablet", days: 30, quantity: 30),
            Self.eob(id: "f2", date: "2024-02-05", display: "sertraline 100 MG Oral Tablet", days: 30, quantity: 30),
            Self.eob(id: "f3", date: "2024-03-20", display: "sertraline 100 MG Oral Tablet", days: 30, quantity: 45),
            // Supply ran out 2024-04-18; 2024-06-01 is 44 days later: a new trial.
            Self.eob(id: "f4", date: "2024-06-01", display: "sertraline 100 MG Oral Tablet", days: 30, quantity: 30),
        ])
        #expect(result.profile.claims.count == 4)
        #expect(result.profile.claims.map(\.mgPerDay) == [50, 100, 150, 100], "strength × quantity ÷ days' supply")
        let trials = result.profile.trials
        try #require(trials.count == 2, "\(trials.map { "\($0.drug) \($0.start)" })")
        #expect(trials[0].drug == "sertraline" && trials[0].start == RecordsFixtures.day("2024-01-02") && trials[0].end == RecordsFixtures.day("2024-04-18"))
        #expect(trials[0].mgPerDay == 150)
        #expect(trials[0].outcome == .unknown && trials[0].outcomeText == "unknown")
        #expect(trials[0].note?.contains("needs documentation of the response") == true)
        #expect(trials[1].start == RecordsFixtures.day("2024-06-01") && trials[1].end == RecordsFixtures.day("2024-06-30"))
        #expect(result.findings.contains { $0.contains("sertraline 2024-01-02") && $0.contains("needs documentation of the response") })
        // The written profile reads back: the trial's outcome is written for a person to fill in.
        let yaml = result.yaml()
        #expect(yaml.contains("outcome: \"unknown\""))
        let reloaded = try PatientLoader.load(text: yaml, file: "p.yaml", reference: RecordsFixtures.shared.reference)
        #expect(reloaded.trials.map(\.start) == trials.map(\.start))
    }

    @Test("a chart trial of the same drug stands as documented: the fills it covers make no second trial")
    func chartTrialWins() throws {
        let statement = #"{"resourceType":"MedicationStatement","id":"ms1","status":"completed","medicationCodeableConcept":{"text":"escitalopram"},"effectivePeriod":{"start":"2025-01-02","end":"2025-02-09"},"statusReason":[{"text":"inadequate response"}],"dosage":[{"doseAndRate":[{"doseQuantity":{"value":10,"unit":"mg"}}],"timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}}}]}"#
        let result = try Self.importing([
            Self.eob(id: "e1", date: "2025-01-02", display: "escitalopram 10 MG Oral Tablet", days: 30, quantity: 30),
            Self.eob(id: "e2", date: "2025-02-01", display: "escitalopram 10 MG Oral Tablet", days: 30, quantity: 30),
            statement,
        ])
        #expect(result.profile.claims.count == 2)
        try #require(result.profile.trials.count == 1)
        let trial = result.profile.trials[0]
        #expect(trial.outcome == .inadequate && trial.end == RecordsFixtures.day("2025-02-09") && trial.mgPerDay == 10)
        #expect(trial.sources == [FactSource(file: "claims.ndjson", resource: "MedicationStatement/ms1")])
    }

    @Test("one fill in a claim and in a pharmacy dispense is one fill; a dispense no claim shows is written as cash")
    func duplicates() throws {
        let dispense = #"{"resourceType":"MedicationDispense","id":"d1","status":"completed","medicationCodeableConcept":{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"0777-3105-02"}]},"whenHandedOver":"2019-07-03T10:00:00Z","daysSupply":{"value":30},"quantity":{"value":30}}"#
        let lonely = #"{"resourceType":"MedicationDispense","id":"d2","status":"completed","medicationCodeableConcept":{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"0777-3105-02"}],"text":"Prozac 20 MG capsule"},"whenHandedOver":"2019-09-10","daysSupply":{"value":30},"quantity":{"value":30}}"#
        let claim = Self.eob(id: "c1", date: "2019-07-02", ndc: "0777-3105-02", display: "Prozac, 100 CAPSULE in 1 BOTTLE", days: 30)
        let result = try Self.importing([claim, claim.replacingOccurrences(of: "\"c1\"", with: "\"c1\""), dispense, lonely])
        let claims = result.profile.claims
        try #require(claims.count == 2, "\(claims.map { "\($0.fillDate) \($0.payer)" })")
        #expect(claims[0].ndc == NDC("00777310502") && claims[0].payer == .insurance)
        #expect(claims[0].sources.map(\.resource) == ["ExplanationOfBenefit/c1", "MedicationDispense/d1"], "one fill, both records named")
        #expect(claims[1].payer == .cash && claims[1].note?.contains("no matching pharmacy claim") == true)
        #expect(result.findings.contains { $0.contains("match no claim") })
        // Prozac resolves to fluoxetine by its name when no RxNorm mapping is loaded.
        #expect(result.profile.trials.first?.drug == "fluoxetine")
        #expect(result.warnings.contains { $0.message == "NDC 00777310502 has no RxNorm mapping loaded (import RxNorm) (2 fills)" })
    }

    @Test("an NDC mapped through the store's RxNorm data gets its RxCUI; the unmapped one is kept and reported")
    func ndcMapping() throws {
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = [Self.eob(id: "a", date: "2025-01-06", ndc: "90001-0300-30", display: "bupropion XL 300 mg", days: 30, quantity: 30),
                    Self.eob(id: "b", date: "2025-01-06", ndc: "12345-6789-01", display: "lisinopril 10 MG", days: 30)].joined(separator: "\n")
        let url = try RecordsFixtures.write(text, to: folder, name: "eob.ndjson")
        let result = try RecordsFixtures.importer(ndcs: ["90001030030": "993557"]).importRecords([url])
        let bupropion = try #require(result.profile.claims.first { $0.ndc == NDC("90001030030") })
        #expect(bupropion.rxcui == RxCUI("993557") && bupropion.mgPerDay == 300, "strength from the RxNorm name")
        let unmapped = result.warnings.filter { $0.message.contains("has no RxNorm mapping loaded") }
        #expect(unmapped.map(\.message) == ["NDC 12345678901 has no RxNorm mapping loaded (import RxNorm)"])
        #expect(unmapped.first?.file == "eob.ndjson" && unmapped.first?.resource == "ExplanationOfBenefit/b")
        #expect(result.profile.claims.contains { $0.ndc == NDC("12345678901") }, "kept")
    }

    @Test("a profile imported again with its records (new claims arrived) gains nothing twice")
    func reimport() throws {
        let records = RecordsFixtures.formularies.appendingPathComponent("patients/records")
        let first = try RecordsFixtures.importer().importRecords([records])
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let edited = try RecordsFixtures.write(first.yaml(), to: folder, name: "r1.yaml")
        let inputs = ["claims.ndjson", "chart.json", "monitoring.csv"].map { records.appendingPathComponent($0) }
        let second = try RecordsFixtures.importer().importRecords([edited] + inputs)
        #expect(second.profile.claims.count == first.profile.claims.count)
        #expect(second.profile.trials.map(\.drug) == first.profile.trials.map(\.drug))
        #expect(second.profile.trials.map(\.outcomes) == first.profile.trials.map(\.outcomes))
        #expect(second.profile.trials.map(\.note) == first.profile.trials.map(\.note), "notes are added once")
        #expect(second.profile.procedures.map(\.sessions) == first.profile.procedures.map(\.sessions))
        #expect(second.profile.scores.count == first.profile.scores.count)
        #expect(second.profile.diagnoses.count == first.profile.diagnoses.count)
        #expect(second.profile.claims.map(\.note) == first.profile.claims.map(\.note))
        #expect(second.profile.id == "R1-records")
    }

    @Test("a denied pharmacy claim is written as paid in cash, with a note")
    func denied() throws {
        let result = try Self.importing([Self.eob(id: "x", date: "2024-05-01", display: "vortioxetine 10 MG Oral Tablet", days: 30, quantity: 30, denied: true)])
        #expect(result.profile.claims.first?.payer == .cash)
        #expect(result.profile.claims.first?.note?.contains("denied") == true)
        #expect(result.profile.trials.first?.cashPaid == true)
    }
}
