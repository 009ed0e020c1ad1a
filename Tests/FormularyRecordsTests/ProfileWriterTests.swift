import Foundation
import Testing
import FormularyCriteria
import FormularyModel
import FormularyRecords

/// The YAML `patient import` writes is the documented format: every bundled profile written out
/// reads back to the same facts, and sources and notes survive the trip.
@Suite("Profile writer")
struct ProfileWriterTests {
    static let files = ((try? FileManager.default.contentsOfDirectory(atPath: RecordsFixtures.formularies.appendingPathComponent("patients").path)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.sorted()

    /// The profile without what only says where it was read from.
    static func normalized(_ profile: PatientProfile) -> PatientProfile {
        var copy = profile
        copy.sourceFile = nil
        for index in copy.claims.indices { copy.claims[index].ref = "" }
        for index in copy.trials.indices {
            copy.trials[index].ref = ""
            copy.trials[index].outcomeText = nil
        }
        for index in copy.procedures.indices { copy.procedures[index].ref = "" }
        for index in copy.scores.indices { copy.scores[index].ref = "" }
        for index in copy.medications.indices { copy.medications[index].ref = "" }
        for index in copy.requests.indices { copy.requests[index].ref = "" }
        for index in copy.diagnoses.indices {
            copy.diagnoses[index].ref = ""
            for episode in copy.diagnoses[index].previousEpisodes.indices { copy.diagnoses[index].previousEpisodes[episode].ref = "" }
        }
        return copy
    }

    @Test("every bundled profile written out reads back the same", arguments: files)
    func bundled(file: String) throws {
        let reference = RecordsFixtures.shared.reference
        let path = RecordsFixtures.formularies.appendingPathComponent("patients/\(file)").path
        let original = try PatientLoader.load(path: path, reference: reference)
        let yaml = PatientProfileWriter.yaml(original)
        let reloaded = try PatientLoader.load(text: yaml, file: file, reference: reference)
        #expect(Self.normalized(reloaded) == Self.normalized(original), "\(file):\n\(yaml)")
    }

    @Test("sources, notes and condition records survive; odd text is quoted")
    func sourcesAndQuoting() throws {
        var profile = PatientProfile(id: "q\"uote", asOf: RecordsFixtures.day("2025-01-01"), plans: ["A-2025-07"])
        let source = FactSource(file: "a: b.json", resource: "ExplanationOfBenefit/x#1")
        profile.claims = [PharmacyClaim(fillDate: RecordsFixtures.day("2024-12-01"), ndc: NDC("00071015523"), drug: "n/a", daysSupply: 30,
                                        note: "line\nbreak", sources: [source, FactSource(file: "b", resource: "MedicationDispense/y")])]
        profile.conditions = [.seizureDisorder, .psychosis]
        profile.conditionRecords = [ConditionRecord(condition: .psychosis, note: "ICD-10-CM F20.9", sources: [source])]
        profile.scores = [ScoreRecord(scale: "PHQ-9", value: 12.5, date: RecordsFixtures.day("2024-12-02"), sources: [source])]
        let yaml = PatientProfileWriter.yaml(profile, header: ["header line"])
        #expect(yaml.hasPrefix("# header line\nschema: formulary-patient/1\n"))
        let reloaded = try PatientLoader.load(text: yaml, file: "p.yaml")
        #expect(reloaded.id == "q\"uote")
        #expect(reloaded.claims.first?.ndc == NDC("00071015523") && reloaded.claims.first?.drug == "n/a")
        #expect(reloaded.claims.first?.sources.count == 2 && reloaded.claims.first?.sources.first == source)
        #expect(reloaded.claims.first?.note == "line\nbreak")
        #expect(reloaded.conditions == [.seizureDisorder, .psychosis])
        #expect(reloaded.conditionRecords.first?.sources == [source])
        #expect(reloaded.scores.first?.value == 12.5)
    }

    @Test("a source without its resource is an error naming the field")
    func badSource() throws {
        let text = "schema: formulary-patient/1\nplans: [A-2025-07]\nscores:\n  - {scale: PHQ-9, value: 10, date: 2024-01-01, source: {file: x.json}}\n"
        #expect {
            try PatientLoader.load(text: text, file: "p.yaml")
        } throws: { error in
            guard case DocumentError.invalid(_, let issues)? = error as? DocumentError else { return false }
            return issues.contains { $0.fieldPath == "scores[0].source.resource" }
        }
    }
}
