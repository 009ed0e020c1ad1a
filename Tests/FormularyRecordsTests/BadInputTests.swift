import Foundation
import Testing
import FormularyCriteria
import FormularyImport
import FormularyModel
import FormularyRecords

/// Bad input: each problem is a warning naming the file, the resource and the field, and the
/// fact is skipped or marked uncertain; malformed JSON or XML fails with its location.
@Suite("Bad input")
struct BadInputTests {
    static let bundle = """
    {"resourceType":"Bundle","type":"collection","entry":[
     {"resource":{"resourceType":"Observation","id":"no-date","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44261-6"}]},"valueInteger":15}},
     {"resource":{"resourceType":"Observation","id":"words","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44261-6"}]},"effectiveDateTime":"2024-02-01","valueString":"moderate"}},
     {"resource":{"resourceType":"Observation","id":"good","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44261-6"}]},"effectiveDateTime":"2024-03-01","valueString":"12"}},
     {"resource":{"resourceType":"Condition","id":"odd-system","code":{"coding":[{"system":"http://example.org/my-codes","code":"DEP-1"}]},"onsetDateTime":"2024-01-01"}},
     {"resource":{"resourceType":"MedicationStatement","id":"no-start","status":"active","medicationCodeableConcept":{"text":"sertraline"}}},
     {"resource":{"resourceType":"MedicationStatement","id":"placeholder","status":"active","medicationCodeableConcept":{"text":"sertraline"},"effectiveDateTime":"IGNORED_FIELD"}},
     {"resource":{"resourceType":"ExplanationOfBenefit","id":"no-supply","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"pharmacy"}]},"item":[{"sequence":1,"productOrService":{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"00093-7180-56","display":"citalopram 20 MG"}]},"servicedDate":"2024-01-10"}]}},
     {"resource":{"resourceType":"ExplanationOfBenefit","id":"bad-ndc","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"pharmacy"}]},"supportingInfo":[{"sequence":1,"category":{"coding":[{"code":"dayssupply"}]},"valueQuantity":{"value":30}}],"item":[{"sequence":1,"productOrService":{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"000000000","display":"Fake Diluent - WATER"}]},"servicedDate":"2015-05-12"}]}},
     {"resource":{"resourceType":"MedicationStatement","id":"odd-drug","status":"active","medicationCodeableConcept":{"coding":[{"system":"urn:oid:1.2.3","code":"X"}]},"effectiveDateTime":"2024-01-01"}}
    ]}
    """

    func warnings(_ result: RecordsImport) -> [String] {
        result.warnings.map { "\($0.resource) \($0.field)" }
    }

    @Test("a missing date, an unknown code system, a non-numeric score, a claim without days' supply: warnings with file, resource and field")
    func warningsNamePlaces() throws {
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try RecordsFixtures.importer().importRecords([try RecordsFixtures.write(Self.bundle, to: folder, name: "bad.json")])
        let places = warnings(result)
        for expected in ["Observation/no-date effectiveDateTime", "Observation/words valueString", "Condition/odd-system code.coding[0].system",
                         "MedicationStatement/no-start effectivePeriod.start", "MedicationStatement/placeholder effectiveDateTime",
                         "ExplanationOfBenefit/no-supply supportingInfo", "ExplanationOfBenefit/bad-ndc item[0].productOrService.coding[0].code",
                         "MedicationStatement/odd-drug medicationCodeableConcept.coding[0].system"] {
            #expect(places.contains(expected), "no warning at \(expected): \(places)")
        }
        #expect(result.warnings.allSatisfy { $0.file == "bad.json" })
        #expect(result.warnings.first { $0.resource == "Observation/words" }?.message.contains("\"moderate\" is not a number") == true)
        // Only the good score and the fills survive; the claim without supply is kept for interaction checks only.
        #expect(result.profile.scores.map(\.value) == [12])
        #expect(result.profile.claims.map(\.fillDate) == [RecordsFixtures.day("2015-05-12")])
        #expect(result.profile.claims.first?.drug == "Fake Diluent - WATER" && result.profile.claims.first?.ndc == nil)
        #expect(result.profile.medications.contains { $0.drug.contains("citalopram") && ($0.note ?? "").contains("without days' supply") })
        #expect(result.skippedCount >= 0)
    }

    @Test("malformed JSON fails with the file, line and column, as the formulary importers do")
    func malformedJSON() throws {
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try RecordsFixtures.write("{\"resourceType\": \"Observation\",\n \"status\": \"final\",\n \"code\": {,}\n}\n", to: folder, name: "broken.json")
        #expect {
            try RecordsFixtures.importer().importRecords([url])
        } throws: { error in
            guard case ImportError.invalidRows(let problems, _)? = error as? ImportError else { return false }
            return problems.first?.file == "broken.json" && problems.first?.line == 3
        }
    }

    @Test("XML with a DOCTYPE is refused by the safety policy, with its line")
    func refusedXML() throws {
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE Observation [<!ENTITY x SYSTEM "file:///etc/passwd">]>
        <Observation xmlns="http://hl7.org/fhir"><status value="&x;"/></Observation>
        """
        let url = try RecordsFixtures.write(xml, to: folder, name: "evil.xml")
        #expect {
            try RecordsFixtures.importer().importRecords([url])
        } throws: { error in
            guard case ImportError.invalidRows(let problems, _)? = error as? ImportError, let problem = problems.first else { return false }
            return problem.file == "evil.xml" && problem.line == 2 && problem.expected.contains("without")
        }
    }

    @Test("XML reads as JSON does, contained Medication included")
    func xmlEqualsJSON() throws {
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = """
        {"resourceType":"MedicationRequest","id":"r1","status":"active","intent":"order",
         "contained":[{"resourceType":"Medication","id":"med","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"36437","display":"sertraline"}]}}],
         "medicationReference":{"reference":"#med"},"authoredOn":"2024-02-02",
         "dosageInstruction":[{"timing":{"repeat":{"frequency":2,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":50,"unit":"mg"}}]}]}
        """
        let xml = """
        <MedicationRequest xmlns="http://hl7.org/fhir">
          <id value="r1"/>
          <contained><Medication><id value="med"/><code><coding><system value="http://www.nlm.nih.gov/research/umls/rxnorm"/><code value="36437"/><display value="sertraline"/></coding></code></Medication></contained>
          <status value="active"/><intent value="order"/>
          <medicationReference><reference value="#med"/></medicationReference>
          <authoredOn value="2024-02-02"/>
          <dosageInstruction><timing><repeat><frequency value="2"/><period value="1"/><periodUnit value="d"/></repeat></timing>
            <doseAndRate><doseQuantity><value value="50"/><unit value="mg"/></doseQuantity></doseAndRate></dosageInstruction>
        </MedicationRequest>
        """
        let fromJSON = try RecordsFixtures.importer(label: "x").importRecords([try RecordsFixtures.write(json, to: folder, name: "r.json")])
        let fromXML = try RecordsFixtures.importer(label: "x").importRecords([try RecordsFixtures.write(xml, to: folder, name: "r.xml")])
        let trial = try #require(fromJSON.profile.trials.first)
        #expect(trial.drug == "sertraline" && trial.mgPerDay == 100 && trial.start == RecordsFixtures.day("2024-02-02") && trial.end == nil)
        var a = fromJSON.profile.trials
        var b = fromXML.profile.trials
        for index in a.indices { a[index].sources = [] }
        for index in b.indices { b[index].sources = [] }
        #expect(a == b)
    }

    @Test("a file that is neither FHIR, a log nor a profile is refused with its reason; alone it fails the import")
    func refusedFiles() throws {
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = try RecordsFixtures.write("Some notes about the visit.\n", to: folder, name: "notes.txt")
        #expect(throws: RecordsError.self) { try RecordsFixtures.importer().importRecords([notes]) }
        let score = try RecordsFixtures.write("date,instrument,value\n2024-01-01,PHQ-9,10\n", to: folder, name: "log.csv")
        let result = try RecordsFixtures.importer().importRecords([folder])
        #expect(result.profile.scores.count == 1)
        #expect(result.files.contains { if case .refused(let reason) = $0.status { $0.name.hasSuffix("notes.txt") && reason.contains("not FHIR") } else { false } })
        #expect(result.warnings.contains { $0.file.hasSuffix("notes.txt") && $0.message.hasPrefix("not read:") })
        _ = score
    }

    @Test("an input with nothing the analysis uses is refused, saying what it held")
    func noFacts() throws {
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try RecordsFixtures.write(#"{"resourceType":"Observation","id":"bp","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"effectiveDateTime":"2024-01-01"}"#,
                                            to: folder, name: "bp.json")
        #expect {
            try RecordsFixtures.importer().importRecords([url])
        } throws: { error in
            guard case RecordsError.noFacts(let files, let reasons)? = error as? RecordsError else { return false }
            return files.count == 1 && reasons.contains { $0.contains("observations that are not depression or anxiety scores") }
        }
    }
}
