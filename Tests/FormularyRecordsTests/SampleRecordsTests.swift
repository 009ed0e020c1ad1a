import Foundation
import Testing
import FormularyCriteria
import FormularyModel
import FormularyRecords

/// The shared public samples (`../shared/samples/patient-records`, PROVENANCE.md), read in place:
/// each file imports or is refused with a clear reason (Formularies/patients/RECORDS.md lists
/// which and why), and the claims, chart data and scores land where they should.
@Suite("Shared patient-record samples", .enabled(if: RecordsFixtures.samplesPresent, Comment(rawValue: RecordsFixtures.missingSamples)))
struct SampleRecordsTests {
    /// What each sample gives on its own: nil imports; otherwise a phrase of the refusal.
    static let expected: [String: String?] = [
        "CMSgov_beneficiary-fhir-data__apps_bfd-model-idr_out_ExplanationOfBenefit-Carrier.json": "claim lines for other services",
        "CMSgov_beneficiary-fhir-data__apps_bfd-model-idr_out_ExplanationOfBenefit-Pharmacy.json": nil,
        "CMSgov_beneficiary-fhir-data__apps_bfd-server_bfd-server-war_src_test_resources_endpoint-responses_v2_coverageSearchByPatientId.json": "coverages without a formulary plan id",
        "CMSgov_beneficiary-fhir-data__apps_bfd-server_bfd-server-war_src_test_resources_endpoint-responses_v2_eobByPatientIdAll.json": nil,
        "CMSgov_beneficiary-fhir-data__apps_bfd-server_bfd-server-war_src_test_resources_endpoint-responses_v2_eobReadByPatientWithSamhsa.json": nil,
        "CMSgov_beneficiary-fhir-data__apps_bfd-server_bfd-server-war_src_test_resources_endpoint-responses_v2_eobReadCarrier.json": "diagnosis codes the analysis does not use",
        "CMSgov_beneficiary-fhir-data__apps_bfd-server_bfd-server-war_src_test_resources_endpoint-responses_v2_eobReadPde.json": nil,
        "CMSgov_beneficiary-fhir-data__apps_bfd-server_bfd-server-war_src_test_resources_endpoint-responses_v2_patientRead.json": nil,
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44250-9.json": "PHQ-9 item answers (summed through their panel)",
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44251-7.json": "PHQ-9 item answers (summed through their panel)",
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44252-5.json": "PHQ-9 item answers (summed through their panel)",
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44253-3.json": "PHQ-9 item answers (summed through their panel)",
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44254-1.json": "PHQ-9 item answers (summed through their panel)",
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44255-8.json": "PHQ-9 item answers (summed through their panel)",
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44258-2.json": "PHQ-9 item answers (summed through their panel)",
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44259-0.json": "PHQ-9 item answers (summed through their panel)",
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44260-8.json": "PHQ-9 item answers (summed through their panel)",
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-44261-6.json": nil,
        "HL7_US-Core__input_examples_Observation-PHQ9-item-example-69722-7.json": "observations that are not depression or anxiety scores",
        "HL7_US-Core__input_examples_Observation-PHQ9-panel-example-44249-1.json": "0 of the 9 PHQ-9 item answers found",
        "HL7_US-Core__input_examples_Procedure-R4-defib-implant.json": "procedures the analysis does not use",
        "HL7_US-Core__input_examples_Questionnaire-phq-9-example.json": "Questionnaire (a form, not answers)",
        "HL7_US-Core__input_examples_QuestionnaireResponse-phq-9-example.json": nil,
        "HL7_US-Core__input_examples_condition-duodenal-ulcer-resolved.json": "diagnosis codes the analysis does not use",
        "HL7_US-Core__input_examples_condition-duodenal-ulcer.json": "diagnosis codes the analysis does not use",
        "HL7_US-Core__input_examples_condition-encounter-diagnosis-example1.json": "diagnosis codes the analysis does not use",
        "HL7_US-Core__input_examples_coverage-example.json": "coverages without a formulary plan id",
        "HL7_US-Core__input_examples_medicationdispense-example.json": nil,
        "HL7_US-Core__input_examples_medicationrequest-coded-oral-axid.json": nil,
        "HL7_US-Core__input_examples_medicationrequest-contained-oral-axid.json": nil,
        "HL7_US-Core__input_examples_medicationrequest-referenced-oral-axid.json": nil,
        "HL7_US-Core__input_examples_medicationrequest-self-tylenol.json": nil,
        "HL7_US-Core__input_examples_patient-example.json": nil,
        "HL7_US-Core__input_examples_procedure-rehab.json": "procedures the analysis does not use",
        "HL7_US-Core__input_examples_uscore-med2.json": "read only for the prescriptions and dispenses that name them",
        "HL7_carin-bb__fsh_ig-data_input_examples_connDmdEOBPharmacy1.json": nil,
        "HL7_carin-bb__fsh_ig-data_input_examples_connDmdEOBPharmacy2.json": nil,
        "HL7_carin-bb__input_fsh_examples_EOBPharmacy1-nonfinancial.fsh": "FHIR Shorthand (FSH) source, not a FHIR instance",
        "HL7_carin-bb__input_fsh_examples_EOBPharmacy1.fsh": "FHIR Shorthand (FSH) source, not a FHIR instance",
        "inferno-framework_carin-for-blue-button-test-kit__lib_carin4bb_ext_examples_explanation_of_benefit_pharmacy_ex_1.json": nil,
        "inferno-framework_carin-for-blue-button-test-kit__spec_fixtures_c4bb_eob_include_bundle.json": nil,
        "smart-on-fhir_generated-sample-data__R4_SYNTHEA_Gilberto_Orosco_6ece62f3-283c-4387-aa9b-affba8ebf4c3.json": nil,
        "smart-on-fhir_generated-sample-data__R4_SYNTHEA_Milan_Beatty_e78d0ed2-1b54-4c30-90ae-f7405af1e402.json": nil,
    ]

    static let files = RecordsFixtures.samplesPresent ? RecordsFixtures.sampleFiles : []

    @Test("the table covers every sample file")
    func tableIsComplete() {
        #expect(Set(Self.files) == Set(Self.expected.keys), "new or missing samples: \(Set(Self.files).symmetricDifference(Set(Self.expected.keys)).sorted())")
    }

    @Test("each file imports, or is refused with a clear reason", arguments: files)
    func importsOrRefused(file: String) throws {
        let outcome = Self.expected[file] ?? nil
        do {
            let result = try RecordsFixtures.importer().importRecords([RecordsFixtures.sample(file)])
            #expect(outcome == nil, "\(file) imported, expected a refusal mentioning \(outcome ?? "")")
            #expect(result.counts.values.reduce(0, +) > 0)
            // The profile written for review is valid, and every fact in it names its source.
            let reloaded = try PatientLoader.load(text: result.yaml(), file: "p.yaml", reference: RecordsFixtures.shared.reference)
            #expect(reloaded.claims.allSatisfy { !$0.sources.isEmpty } && reloaded.trials.allSatisfy { !$0.sources.isEmpty }
                && reloaded.scores.allSatisfy { !$0.sources.isEmpty } && reloaded.diagnoses.allSatisfy { !$0.sources.isEmpty }
                && reloaded.medications.allSatisfy { !$0.sources.isEmpty })
        } catch let error as RecordsError {
            let text = error.localizedDescription
            let expected = try #require(outcome, "\(file) was refused: \(text)")
            #expect(text.contains(expected), "\(file): \(text)")
        }
    }

    @Test("the Blue Button Part D event: fill date, days' supply and quantity; the placeholder NDC is a warning, not an NDC")
    func partDEvent() throws {
        let file = "CMSgov_beneficiary-fhir-data__apps_bfd-server_bfd-server-war_src_test_resources_endpoint-responses_v2_eobReadPde.json"
        let result = try RecordsFixtures.importer().importRecords([RecordsFixtures.sample(file)])
        let fill = try #require(result.profile.claims.first)
        #expect(fill.fillDate == RecordsFixtures.day("2015-05-12") && fill.daysSupply == 30 && fill.quantity == 60 && fill.payer == .insurance)
        #expect(fill.ndc == nil && fill.drug == "Fake Diluent - WATER")
        #expect(fill.sources == [FactSource(file: file, resource: "ExplanationOfBenefit/pde-89")])
        let warning = try #require(result.warnings.first)
        #expect(warning.resource == "ExplanationOfBenefit/pde-89" && warning.field == "item[0].productOrService.coding[0].code")
        #expect(warning.message.contains("\"000000000\" is not an NDC"))
    }

    @Test("the new-model Part D event: the compound's NDC and quantity come from item.detail")
    func partDCompound() throws {
        let file = "CMSgov_beneficiary-fhir-data__apps_bfd-model-idr_out_ExplanationOfBenefit-Pharmacy.json"
        let result = try RecordsFixtures.importer(ndcs: ["00071015523": "617312"]).importRecords([RecordsFixtures.sample(file)])
        let fill = try #require(result.profile.claims.first)
        #expect(fill.ndc == NDC("00071015523") && fill.fillDate == RecordsFixtures.day("2024-01-15") && fill.daysSupply == 30 && fill.quantity == 60)
        #expect(fill.rxcui == RxCUI("617312"), "mapped through the store's NDC data")
        #expect(fill.sources.first?.resource == "ExplanationOfBenefit (record 1)", "no id: the record number")
    }

    @Test("CARIN pharmacy claims: the hyphenated 4-4-2 NDC, the service date, days' supply in a Quantity or a coding")
    func carinPharmacy() throws {
        let cases: [(String, NDC?, String, Int)] = [
            ("inferno-framework_carin-for-blue-button-test-kit__lib_carin4bb_ext_examples_explanation_of_benefit_pharmacy_ex_1.json", NDC("00777310502"), "2019-07-02", 30),
            ("inferno-framework_carin-for-blue-button-test-kit__spec_fixtures_c4bb_eob_include_bundle.json", NDC("00777310502"), "2019-07-02", 30),
            ("HL7_carin-bb__fsh_ig-data_input_examples_connDmdEOBPharmacy1.json", nil, "2016-10-31", 14),
            ("HL7_carin-bb__fsh_ig-data_input_examples_connDmdEOBPharmacy2.json", nil, "2020-01-25", 5),
        ]
        for (file, ndc, date, days) in cases {
            let result = try RecordsFixtures.importer().importRecords([RecordsFixtures.sample(file)])
            let fills = result.profile.claims
            #expect(fills.count == 1, "\(file)")
            #expect(fills.first?.ndc == ndc && fills.first?.fillDate == RecordsFixtures.day(date) && fills.first?.daysSupply == days, "\(file): \(fills)")
            if ndc == nil {
                #expect(result.warnings.contains { $0.message.contains("is not an NDC") }, "a code under the NDC system that is not one: \(file)")
            }
        }
        // Prozac is fluoxetine: its fills make a trial whose response needs documentation.
        let prozac = try RecordsFixtures.importer().importRecords([RecordsFixtures.sample(cases[0].0)])
        #expect(prozac.profile.trials.map(\.drug) == ["fluoxetine"])
        #expect(prozac.profile.trials.first?.outcome == .unknown)
    }

    @Test("one Part D event in three Blue Button responses is one fill naming all three")
    func sameEventThreeFiles() throws {
        let names = ["eobReadPde", "eobByPatientIdAll", "eobReadByPatientWithSamhsa"].map {
            "CMSgov_beneficiary-fhir-data__apps_bfd-server_bfd-server-war_src_test_resources_endpoint-responses_v2_\($0).json"
        }
        let result = try RecordsFixtures.importer().importRecords(names.map(RecordsFixtures.sample))
        #expect(result.profile.claims.count == 1)
        #expect(Set(result.profile.claims.first?.sources.map(\.file) ?? []) == Set(names))
    }

    @Test("the Synthea patients yield their antidepressant trials; names and identifiers are never copied")
    func synthea() throws {
        let milan = try RecordsFixtures.importer().importRecords([RecordsFixtures.sample(
            "smart-on-fhir_generated-sample-data__R4_SYNTHEA_Milan_Beatty_e78d0ed2-1b54-4c30-90ae-f7405af1e402.json")])
        let fluoxetine = try #require(milan.profile.trials.first)
        #expect(milan.profile.trials.count == 1)
        #expect(fluoxetine.drug == "fluoxetine" && fluoxetine.start == RecordsFixtures.day("1993-01-09") && fluoxetine.end == nil)
        #expect(fluoxetine.mgPerDay == 25, "Fluoxetine 25MG, one a day")
        #expect(fluoxetine.sources.count == 2, "both prescriptions")
        #expect(milan.profile.diagnoses.map(\.code) == ["F32.9"] && milan.profile.diagnoses.first?.episodeStart == RecordsFixtures.day("1993-01-09"))
        #expect(milan.profile.demographics.birthDate == RecordsFixtures.day("1973-11-24") && milan.profile.demographics.sex == .male
            && milan.profile.demographics.state == "MA")
        let gilberto = try RecordsFixtures.importer().importRecords([RecordsFixtures.sample(
            "smart-on-fhir_generated-sample-data__R4_SYNTHEA_Gilberto_Orosco_6ece62f3-283c-4387-aa9b-affba8ebf4c3.json")])
        let sertraline = try #require(gilberto.profile.trials.first)
        #expect(sertraline.drug == "sertraline" && sertraline.start == RecordsFixtures.day("1967-08-25"))
        #expect(sertraline.end == RecordsFixtures.day("1994-04-11") && sertraline.note?.contains("date of death") == true)
        #expect(gilberto.profile.conditions.contains(.substanceUseDisorder), "opioid abuse")
        for (result, words) in [(milan, ["Milan", "Beatty", "e78d0ed2", "999-93-8359"]), (gilberto, ["Gilberto", "Orosco", "6ece62f3", "999-97-8730"])] {
            let yaml = result.yaml()
            for word in words { #expect(!yaml.contains(word), "\(word) copied into the profile") }
            #expect(yaml.contains("smart-on-fhir_generated-sample-data__R4_SYNTHEA_[…]_[…]_[…].json"), "the file is named, the person is not")
        }
    }

    @Test("the Medicare beneficiary's name and MBI are not copied; birth date, sex and state are")
    func patientRead() throws {
        let result = try RecordsFixtures.importer().importRecords([RecordsFixtures.sample(
            "CMSgov_beneficiary-fhir-data__apps_bfd-server_bfd-server-war_src_test_resources_endpoint-responses_v2_patientRead.json")])
        let yaml = result.yaml()
        for word in ["John", "Doe", "9AB2WW3GR44", "567834"] { #expect(!yaml.contains(word), "\(word) copied") }
        #expect(result.profile.demographics.birthDate == RecordsFixtures.day("1981-03-17") && result.profile.demographics.state == "MO")
    }

    @Test("the US Core PHQ-9: total (valueString \"12\"), panel of items and questionnaire answers are one score of 12")
    func phq9() throws {
        let files = Self.files.filter { $0.contains("PHQ9") || $0.contains("phq-9") }
        #expect(files.count == 14)
        let result = try RecordsFixtures.importer().importRecords(files.map(RecordsFixtures.sample))
        #expect(result.profile.scores.count == 1)
        let score = try #require(result.profile.scores.first)
        #expect(score.scale == "PHQ-9" && score.value == 12 && score.date == RecordsFixtures.day("2022-11-29"))
        let resources = Set(score.sources.map(\.resource))
        #expect(resources.isSuperset(of: ["Observation/PHQ9-item-example-44261-6", "Observation/PHQ9-panel-example-44249-1", "QuestionnaireResponse/phq-9-example"]))
        // The panel alone has nothing to add up; with its item Observations it does.
        let items = files.filter { $0.contains("item-example") && !$0.contains("44261-6") }
        let summed = try RecordsFixtures.importer().importRecords(items.map(RecordsFixtures.sample))
        #expect(summed.profile.scores.map(\.value) == [12])
    }

    @Test("US Core prescriptions: coded, contained and referenced Medication; the dispense without days' supply")
    func usCoreMedications() throws {
        let referenced = try RecordsFixtures.importer().importRecords([
            RecordsFixtures.sample("HL7_US-Core__input_examples_medicationrequest-referenced-oral-axid.json"),
            RecordsFixtures.sample("HL7_US-Core__input_examples_uscore-med2.json"),
        ])
        #expect(referenced.warnings.isEmpty, "\(referenced.warnings)")
        #expect(referenced.profile.medications.map(\.drug) == ["Nizatidine 15 MG/ML Oral Solution [Axid]"])
        #expect(referenced.profile.medications.first?.mgPerDay == 300, "10 mL twice a day of 15 mg/mL")
        let contained = try RecordsFixtures.importer().importRecords([RecordsFixtures.sample("HL7_US-Core__input_examples_medicationrequest-contained-oral-axid.json")])
        #expect(contained.profile.medications.map(\.drug) == ["Nizatidine 15 MG/ML Oral Solution [Axid]"])
        let dispense = try RecordsFixtures.importer().importRecords([RecordsFixtures.sample("HL7_US-Core__input_examples_medicationdispense-example.json")])
        #expect(dispense.profile.claims.isEmpty)
        #expect(dispense.warnings.map(\.field) == ["daysSupply"])
    }

    @Test("all samples at once: one profile, two people's records flagged where they disagree")
    func everything() throws {
        let result = try RecordsFixtures.importer().importRecords([RecordsFixtures.samplesFolder])
        #expect(result.files.count == Self.files.count + 1, "PROVENANCE.md is a refused file too")
        #expect(result.files.contains { file in
            guard case .refused = file.status else { return false }
            return file.name.hasSuffix("PROVENANCE.md")
        })
        #expect(result.warnings.contains { $0.field == "birthDate" && $0.message.contains("records of two people") })
        _ = try PatientLoader.load(text: result.yaml(), file: "all.yaml", reference: RecordsFixtures.shared.reference)
    }
}
