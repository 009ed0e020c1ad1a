import Foundation
import Testing
import FormularyCriteria
import FormularyModel
import FormularyRecords

/// Home-monitoring logs (CSV and JSON) and FHIR Observation series turned into evidence.
@Suite("Home monitoring")
struct MonitoringTests {
    static func fills(_ drug: String, from start: String, months: Int, ndc: (Int) -> String? = { _ in nil }) -> [String] {
        let first = RecordsFixtures.day(start)
        return (0..<months).map { month in
            let date = first.adding(months: month)
            return FillsToTrialsTests.eob(id: "\(drug.prefix(4))-\(month)", date: date.description, ndc: ndc(month), display: "\(drug) Oral Tablet",
                                          days: 30, quantity: 30)
        }
    }

    @Test("a CSV log: scores become scores, a moderate side effect that led to stopping is intolerance of the drug")
    func csvLog() throws {
        let csv = #"""
        date,instrument,value,symptom,severity,drug,stopped,note
        2024-01-05,PHQ-9,18,,,,,baseline
        2024-02-20,GAD-7,11,,,,,
        2024-02-25,,,nausea,mild,sertraline 100 MG,,
        2024-03-10,,,insomnia,severe,sertraline,yes,"stopped after a week, ""could not sleep"""
        2024-03-12,PHQ-9,16,,,,,
        """#
        let result = try FillsToTrialsTests.importing(Self.fills("sertraline 100 MG", from: "2024-01-06", months: 3), extra: [("log.csv", csv)])
        #expect(result.profile.scores.map(\.scale) == ["PHQ-9", "GAD-7", "PHQ-9"])
        #expect(result.profile.scores.first?.sources == [FactSource(file: "log.csv", resource: "line 2")])
        let trial = try #require(result.profile.trials.first { $0.drug == "sertraline" })
        #expect(trial.outcomes == [.intolerance], "\(trial.outcomes)")
        #expect(trial.note?.contains("side effect insomnia (severe) on 2024-03-10; led to stopping it") == true, "\(trial.note ?? "")")
        #expect(trial.note?.contains("side effect reported: nausea (mild) on 2024-02-25") == true)
        #expect(trial.sources.contains(FactSource(file: "log.csv", resource: "line 5")))
        #expect(result.findings.contains { $0.contains("intolerance evidence") })
    }

    @Test("a JSON log; a side effect with the drug continued is only a note; bad rows are warnings naming line and field")
    func jsonLog() throws {
        let json = """
        {"schema": "formulary-monitoring/1", "entries": [
          {"date": "2024-04-01", "instrument": "PHQ-9", "value": 14},
          {"date": "2024-04-02", "instrument": "PHQ-9", "value": "fourteen"},
          {"date": "2024-04-03", "symptom": "dizziness", "severity": "moderate", "suspectedDrug": "venlafaxine", "stopped": false},
          {"date": "04/05/2024", "instrument": "PHQ-9", "value": 12},
          {"instrument": "GAD-7", "value": 9},
          {"date": "2024-04-06", "instrument": "mood ring", "value": 3},
          {"date": "2024-04-07", "symptom": "headache", "severity": "awful", "drug": "venlafaxine"}
        ]}
        """
        let result = try FillsToTrialsTests.importing(Self.fills("venlafaxine 75 MG", from: "2024-03-15", months: 2), extra: [("log.json", json)])
        #expect(result.profile.scores.count == 1)
        let trial = try #require(result.profile.trials.first)
        #expect(trial.outcomes == [.unknown])
        #expect(trial.note?.contains("dizziness (moderate) on 2024-04-03, drug continued") == true, "\(trial.note ?? "")")
        let warnings = result.warnings.filter { $0.file == "log.json" }.map { "\($0.resource) \($0.field)" }
        #expect(warnings == ["entries[1] value", "entries[3] date", "entries[4] date", "entries[5] instrument", "entries[6] severity"], "\(warnings)")
    }

    @Test("sustained improvement on a trial with no documented outcome is response")
    func response() throws {
        let csv = """
        date,instrument,value
        2024-05-28,PHQ-9,20
        2024-07-10,PHQ-9,9
        2024-08-01,PHQ-9,8
        2024-08-20,PHQ-9,6
        """
        let result = try FillsToTrialsTests.importing(Self.fills("duloxetine 60 MG", from: "2024-06-01", months: 4), extra: [("scores.csv", csv)])
        let trial = try #require(result.profile.trials.first)
        #expect(trial.outcome == .response, "\(trial.note ?? "")")
        #expect(trial.note?.contains("PHQ-9 20 on 2024-05-28 → 6 on 2024-08-20 (-70%)") == true, "\(trial.note ?? "")")
    }

    @Test("improvement that is not sustained leaves the outcome for documentation, with the scores in a note")
    func noResponse() throws {
        let csv = "date,instrument,value\n2024-05-28,PHQ-9,20\n2024-07-10,PHQ-9,9\n2024-08-20,PHQ-9,15\n"
        let result = try FillsToTrialsTests.importing(Self.fills("duloxetine 60 MG", from: "2024-06-01", months: 4), extra: [("scores.csv", csv)])
        let trial = try #require(result.profile.trials.first)
        #expect(trial.outcomes == [.unknown])
        #expect(trial.note?.contains("scores during the trial: PHQ-9 20 on 2024-05-28 → 15 on 2024-08-20 (-25%)") == true, "\(trial.note ?? "")")
    }

    @Test("a score rise after a generic labeler switch is flagged next to the switch (S7)")
    func labelerSwitch() throws {
        let observations = """
        {"resourceType":"Bundle","type":"collection","entry":[
         {"resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44261-6"}]},"effectiveDateTime":"2024-12-15","valueInteger":6}},
         {"resource":{"resourceType":"Observation","id":"o2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"44261-6"}]},"effectiveDateTime":"2025-03-05T09:30:00-07:00","valueQuantity":{"value":14}}}]}
        """
        let fills = Self.fills("24 HR bupropion hydrochloride 300 MG Extended Release", from: "2024-09-01", months: 6) { $0 < 4 ? "90001-0300-30" : "90002-0300-30" }
        let result = try FillsToTrialsTests.importing(fills, extra: [("scores.json", observations)])
        let switched = try #require(result.profile.claims.first { $0.fillDate == RecordsFixtures.day("2025-01-01") })
        #expect(switched.note?.contains("NDC labeler 90001 → 90002 on 2025-01-01") == true, "\(switched.note ?? "")")
        #expect(switched.note?.contains("PHQ-9 rose 6 (2024-12-15) → 14 (2025-03-05) after the switch") == true)
        #expect(result.findings.contains { $0.contains("CONFOUNDED") })
        #expect(result.profile.trials.first?.note?.contains("rose 6") == true)
    }

    @Test("an AllergyIntolerance to an antidepressant is intolerance evidence; one to food is not")
    func allergy() throws {
        let bundle = """
        {"resourceType":"Bundle","type":"collection","entry":[
         {"resource":{"resourceType":"AllergyIntolerance","id":"a1","type":"intolerance","category":["medication"],"code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"36437","display":"sertraline"}]},"onsetDateTime":"2023-05-02","reaction":[{"manifestation":[{"text":"serotonin syndrome"}],"severity":"severe"}]}},
         {"resource":{"resourceType":"AllergyIntolerance","id":"a2","category":["food"],"code":{"text":"peanut"},"recordedDate":"2020-01-01"}},
         {"resource":{"resourceType":"AllergyIntolerance","id":"a3","category":["medication"],"code":{"text":"paroxetine"}}}]}
        """
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try RecordsFixtures.importer().importRecords([try RecordsFixtures.write(bundle, to: folder, name: "allergies.json")])
        let trial = try #require(result.profile.trials.first)
        #expect(trial.drug == "sertraline" && trial.outcomes == [.intolerance] && trial.start == RecordsFixtures.day("2023-05-02"))
        #expect(trial.note?.contains("serotonin syndrome") == true)
        #expect(result.skipped["allergies that are not to a medicine"] == 1)
        #expect(result.warnings.contains { $0.resource == "AllergyIntolerance/a3" && $0.field == "onsetDateTime" })
    }
}
