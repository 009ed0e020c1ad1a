import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// The profile format's fields for requests, co-medication timing, remissions between episodes
/// and trials with more than one outcome (issue 13 §7): what they load as, and the errors, each
/// naming file, line, field path and value.
@Suite("Patient format")
struct PatientFormatTests {
    /// One reported problem, as a test compares it.
    struct Found: Equatable, CustomStringConvertible {
        var kind: DocumentIssue.Kind
        var line: Int?
        var field: String
        var value: String?
        var problem: String

        init(_ kind: DocumentIssue.Kind, _ line: Int?, _ field: String, _ value: String?, _ problem: String) {
            (self.kind, self.line, self.field, self.value, self.problem) = (kind, line, field, value, problem)
        }

        var description: String { "\(kind.rawValue) \(line.map(String.init) ?? "-") \(field) \(value ?? "nil"): \(problem)" }
    }

    static func load(_ text: String) throws -> PatientProfile {
        try PatientLoader.load(text: text, file: "format.yaml", reference: Fixtures.shared.reference)
    }

    /// The problems loading `text` reports, in order; records an issue when it loads.
    static func problems(_ text: String, reference: DrugReference? = Fixtures.shared.reference,
                         sourceLocation: SourceLocation = #_sourceLocation) -> [Found] {
        do {
            _ = try PatientLoader.load(text: text, file: "format.yaml", reference: reference)
            Issue.record("expected errors", sourceLocation: sourceLocation)
            return []
        } catch DocumentError.invalid(let file, let issues) {
            #expect(file == "format.yaml", sourceLocation: sourceLocation)
            #expect(issues.allSatisfy { $0.file == "format.yaml" }, sourceLocation: sourceLocation)
            return issues.map { Found($0.kind, $0.line, $0.fieldPath, $0.value, $0.problem) }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            return []
        }
    }

    // MARK: requests

    @Test("requests: option resolved to its reference id, add-on or switch, dose; a bare name; refs")
    func requests() throws {
        let profile = try Self.load("""
            schema: formulary-patient/1
            plans: [A-2025-07]
            requests:
              - {option: Rexulti, as: add-on, mgPerDay: 2}
              - {option: Trintellix, as: Switch, mgPerDay: 10, note: instead of paroxetine}
              - TMS
              - {option: Wellbutrin XL}
            """)
        #expect(profile.requests == [
            OptionRequest(option: "brexpiprazole", text: "Rexulti", use: .addOn, mgPerDay: 2, ref: "requests[0]"),
            OptionRequest(option: "vortioxetine", text: "Trintellix", use: .switch, mgPerDay: 10, ref: "requests[1]"),
            OptionRequest(option: "tms", text: "TMS", ref: "requests[2]"),
            OptionRequest(option: "wellbutrin-xl", text: "Wellbutrin XL", ref: "requests[3]"),
        ])
    }

    @Test("requests without a drug reference keep the names as written")
    func requestsWithoutReference() throws {
        let profile = try PatientLoader.load(text: "requests: [{option: Rexulti, as: switch}]\n", file: "format.yaml")
        #expect(profile.requests == [OptionRequest(option: "Rexulti", text: "Rexulti", use: .switch, ref: "requests[0]")])
        #expect(try PatientLoader.load(text: "plans: [A-2025-07]\n", file: "format.yaml").requests.isEmpty)
    }

    @Test("requests: unknown names, interaction-only drugs, bad use, bad doses, repeats and unknown keys are errors")
    func requestErrors() {
        let found = Self.problems("""
            schema: formulary-patient/1
            plans: [A-2025-07]
            requests:
              - {option: Rexulti, as: adjunct, mgPerDay: 2}
              - {option: unobtainium}
              - {option: psyllium}
              - {option: TMS, mgPerDay: 10}
              - {option: Trintellix, mgPerDay: 0}
              - {option: brexpiprazole, as: switch}
              - {option: Auvelity, route: oral}
              - {as: add-on}
            """)
        #expect(found == [
            Found(.invalidValue, 4, "requests[0].as", "adjunct", "as must be add-on or switch"),
            Found(.unknownDrug, 5, "requests[1].option", "unobtainium", "no option in the drug reference matches this name"),
            Found(.invalidValue, 6, "requests[2].option", "psyllium",
                  "psyllium is known only for interaction checks, not as a treatment option (list it under medications)"),
            Found(.invalidValue, 7, "requests[3].mgPerDay", "10", "TMS is a procedure: it has no dose in mg per day"),
            Found(.invalidValue, 8, "requests[4].mgPerDay", "0", "mgPerDay must be more than 0"),
            Found(.duplicate, 9, "requests[5].option", "brexpiprazole", "the same option as requests[0] (Rexulti); request it once"),
            Found(.unknownKey, 10, "requests[6].route", "route", "unknown key \"route\"; allowed here: as, mgPerDay, note, option"),
            Found(.missingField, 11, "requests[7].option", nil, "\"option\" is required"),
        ], "\(found)")
    }

    // MARK: medications

    @Test("medications: dose, mg per day, frequency (with abbreviations) and sorted clock times")
    func medications() throws {
        let profile = try Self.load("""
            schema: formulary-patient/1
            plans: [A-2025-07]
            medications:
              - {drug: psyllium, otc: true, dose: 1 packet (3.4 g), frequency: twice daily, timeOfDay: ["19:00", "07:00"]}
              - {drug: cholestyramine, dose: 4 g, frequency: QHS, timeOfDay: "22:30"}
              - {drug: ibuprofen, otc: true, mgPerDay: 400, frequency: PRN, timeOfDay: ["8:00", "14:00", "20:00"]}
              - {drug: lisinopril, mgPerDay: 10, frequency: BID}
              - lisinopril
            """)
        let meds = profile.medications
        #expect(meds.count == 5)
        #expect(meds[0] == Medication(drug: "psyllium", otc: true, dose: "1 packet (3.4 g)", frequency: .twiceDaily,
                                      timeOfDay: [ClockTime(hour: 7, minute: 0)!, ClockTime(hour: 19, minute: 0)!], ref: "medications[0]"))
        #expect(meds[1].frequency == .atBedtime && meds[1].timeOfDay.map(\.description) == ["22:30"] && meds[1].dose == "4 g")
        #expect(meds[2].mgPerDay == 400 && meds[2].frequency == .asNeeded && meds[2].timeOfDay.map(\.description) == ["08:00", "14:00", "20:00"])
        #expect(meds[3].frequency == .twiceDaily && meds[3].timeOfDay.isEmpty)
        #expect(meds[4] == Medication(drug: "lisinopril", ref: "medications[4]"))
        #expect(meds[0].timeOfDay[1].minutes(after: meds[0].timeOfDay[0]) == 720)
    }

    @Test("medications: bad times, unknown frequencies, a count that does not fit the frequency, repeats and bad doses are errors")
    func medicationErrors() {
        let found = Self.problems("""
            schema: formulary-patient/1
            plans: [A-2025-07]
            medications:
              - {drug: psyllium, frequency: twice daily, timeOfDay: ["07:00", "7pm"]}
              - {drug: cholestyramine, frequency: sometimes}
              - {drug: colesevelam, timeOfDay: ["24:00", "12:5"]}
              - {drug: ibuprofen, frequency: twice daily, timeOfDay: ["08:00"]}
              - {drug: lisinopril, timeOfDay: ["08:00", "08:00"], mgPerDay: -5}
              - {drug: naproxen, start: 2025-02-01, end: 2025-01-01, route: oral}
              - {otc: true}
            """)
        let frequencies = "once daily, twice daily, three times daily, four times daily, at bedtime, every morning, every other day, weekly, as needed"
        #expect(found == [
            Found(.invalidValue, 4, "medications[0].timeOfDay[1]", "7pm", "expected a time HH:MM on a 24-hour clock (00:00 … 23:59)"),
            Found(.invalidValue, 5, "medications[1].frequency", "sometimes",
                  "frequency must be one of \(frequencies) (or daily, BID, TID, QID, QHS, QAM, QOD, PRN)"),
            Found(.invalidValue, 6, "medications[2].timeOfDay[0]", "24:00", "expected a time HH:MM on a 24-hour clock (00:00 … 23:59)"),
            Found(.invalidValue, 6, "medications[2].timeOfDay[1]", "12:5", "expected a time HH:MM on a 24-hour clock (00:00 … 23:59)"),
            Found(.invalidValue, 7, "medications[3].timeOfDay", "08:00", "twice daily means 2 doses a day; give 2 times"),
            Found(.invalidValue, 8, "medications[4].mgPerDay", "-5", "mgPerDay must be more than 0"),
            Found(.duplicate, 8, "medications[4].timeOfDay[1]", "08:00", "08:00 is listed twice"),
            Found(.unknownKey, 9, "medications[5].route", "route",
                  "unknown key \"route\"; allowed here: dose, drug, end, frequency, mgPerDay, note, otc, source, start, timeOfDay"),
            Found(.invalidValue, 9, "medications[5].end", "2025-01-01", "end is before start 2025-02-01"),
            Found(.missingField, 10, "medications[6].drug", nil, "\"drug\" is required"),
        ], "\(found)")
    }

    @Test("clock times: HH:MM on a 24-hour clock, encoded as text")
    func clockTimes() throws {
        #expect(ClockTime("07:05")?.description == "07:05")
        #expect(ClockTime("7:05")?.minutes == 425)
        #expect(ClockTime("23:59")?.minutes == 1439)
        for bad in ["24:00", "12:60", "7pm", "0700", "07:5", "07:05:00", "", "-1:00", "１２:00"] { #expect(ClockTime(bad) == nil, "\(bad)") }
        let encoded = try JSONEncoder().encode([ClockTime("21:30")!])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["21:30"]"#)
        #expect(try JSONDecoder().decode([ClockTime].self, from: encoded) == [ClockTime(hour: 21, minute: 30)!])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ClockTime].self, from: Data(#"["25:00"]"#.utf8)) }
    }

    // MARK: remissions

    @Test("diagnoses: previous episodes with their remissions; the current remission; every remission date in order")
    func episodes() throws {
        let profile = try Self.load("""
            schema: formulary-patient/1
            plans: [A-2025-07]
            diagnoses:
              - code: F33.2
                episodeStart: 2023-12-01
                remission: 2025-02-01
                previousEpisodes:
                  - {start: 2019-02-01, remission: 2019-10-15}
                  - {remission: 2022-04-30, note: start not documented}
            """)
        let diagnosis = try #require(profile.diagnoses.first)
        #expect(diagnosis.previousEpisodes == [
            Diagnosis.Episode(start: Fixtures.day("2019-02-01"), remission: Fixtures.day("2019-10-15"), ref: "diagnoses[0].previousEpisodes[0]"),
            Diagnosis.Episode(remission: Fixtures.day("2022-04-30"), ref: "diagnoses[0].previousEpisodes[1]"),
        ])
        #expect(diagnosis.remissionDates == [Fixtures.day("2019-10-15"), Fixtures.day("2022-04-30"), Fixtures.day("2025-02-01")])
        #expect(!diagnosis.isInRemission(on: Fixtures.day("2025-01-31")), "an earlier episode's remission is not the current one")
        #expect(diagnosis.isInRemission(on: Fixtures.day("2025-02-01")))
    }

    @Test("diagnoses: a remission before the episode start, episodes out of order or overlapping the current one are errors")
    func episodeErrors() {
        let found = Self.problems("""
            schema: formulary-patient/1
            plans: [A-2025-07]
            diagnoses:
              - code: F33.2
                episodeStart: 2023-12-01
                remission: 2023-06-01
                previousEpisodes:
                  - {start: 2019-02-01, remission: 2018-10-15}
                  - {start: 2018-09-01, remission: 2019-05-01}
                  - {remission: 2024-01-10}
                  - {start: 2020-01-01}
              - code: F32.1
                remission: 2021-01-01
                previousEpisodes: [{remission: 2021-03-01}]
            """)
        #expect(found == [
            Found(.invalidValue, 6, "diagnoses[0].remission", "2023-06-01",
                  "the current episode's remission is before its episodeStart 2023-12-01; an earlier remission goes in previousEpisodes"),
            Found(.invalidValue, 8, "diagnoses[0].previousEpisodes[0].remission", "2018-10-15", "remission is before the episode's start 2019-02-01"),
            Found(.invalidValue, 9, "diagnoses[0].previousEpisodes[1].start", "2018-09-01",
                  "episodes are listed oldest first, each after the previous remission 2018-10-15"),
            Found(.invalidValue, 10, "diagnoses[0].previousEpisodes[2].remission", "2024-01-10",
                  "a previous episode remits before the current episodeStart 2023-12-01"),
            Found(.missingField, 11, "diagnoses[0].previousEpisodes[3].remission", nil, "\"remission\" is required"),
            Found(.invalidValue, 13, "diagnoses[1].remission", "2021-01-01",
                  "the current episode's remission must come after the previous episode's remission 2021-03-01"),
        ], "\(found)")
    }

    // MARK: outcomes

    @Test("outcome: one word or a list; the response outcome first, then the adverse ones", arguments: [
        ("inadequate", TrialOutcome.inadequate, [TrialOutcome.inadequate], "inadequate"),
        ("[inadequate, adverse effect]", .inadequate, [.inadequate, .intolerance], "inadequate, adverse effect"),
        ("[side effects, partial response]", .partial, [.partial, .intolerance], "side effects, partial response"),
        ("[intolerance, contraindication]", .intolerance, [.intolerance, .contraindication], "intolerance, contraindication"),
        ("[intolerance]", .intolerance, [.intolerance], "intolerance"),
        ("\"n/a (hypnotic)\"", .notApplicable, [.notApplicable], "n/a (hypnotic)"),
    ])
    func outcomes(written: String, outcome: TrialOutcome, all: [TrialOutcome], text: String) throws {
        let profile = try Self.load("""
            plans: [A-2025-07]
            trials:
              - {drug: sertraline, mgPerDay: 150, start: 2024-01-10, end: 2024-04-30, outcome: \(written)}
            """)
        let trial = try #require(profile.trials.first)
        #expect(trial.outcome == outcome)
        #expect(trial.outcomes == all)
        #expect(trial.outcomeText == text)
        #expect(trial.records(.intolerance) == all.contains(.intolerance))
    }

    @Test("a trial without an outcome is unknown")
    func noOutcome() throws {
        let trial = try #require(try Self.load("trials: [{drug: sertraline, start: 2024-01-10}]\n").trials.first)
        #expect(trial.outcome == .unknown && trial.outcomes == [.unknown] && trial.outcomeText == nil)
    }

    @Test("outcome: unknown words, two response outcomes, a repeated adverse outcome, an empty list and a mapping are errors")
    func outcomeErrors() {
        let words = "inadequate, partial, intolerance (or adverse effect), contraindication, response, confounded, n/a"
        let found = Self.problems("""
            plans: [A-2025-07]
            trials:
              - {drug: sertraline, start: 2024-01-10, outcome: [inadequate, maybe]}
              - {drug: sertraline, start: 2024-01-10, outcome: [inadequate, response]}
              - {drug: sertraline, start: 2024-01-10, outcome: [intolerance, adverse effect, partial]}
              - {drug: sertraline, start: 2024-01-10, outcome: []}
              - {drug: sertraline, start: 2024-01-10, outcome: {response: partial}}
              - {drug: sertraline, start: 2024-01-10, outcome: [[inadequate]]}
            """)
        #expect(found == [
            Found(.invalidValue, 3, "trials[0].outcome[1]", "maybe", "outcome must be one of \(words)"),
            Found(.invalidValue, 4, "trials[1].outcome[1]", "response",
                  "a trial has one response outcome; \"inadequate\" is already given (add adverse effects: intolerance, contraindication)"),
            Found(.duplicate, 5, "trials[2].outcome[1]", "adverse effect", "intolerance is listed twice"),
            Found(.invalidValue, 6, "trials[3].outcome", "[]", "an empty list; omit outcome or write unknown"),
            Found(.wrongType, 7, "trials[4].outcome", nil, "expected an outcome or a list of outcomes, found a mapping"),
            Found(.wrongType, 8, "trials[5].outcome[0]", nil, "expected an outcome, found a list"),
        ], "\(found)")
    }

    // MARK: documentation

    /// The YAML examples of `Formularies/patients/README.md` that are whole profiles.
    static let readmeExamples: [String] = {
        guard let text = try? String(contentsOfFile: Fixtures.patientsFolder + "/README.md", encoding: .utf8) else { return [] }
        return text.components(separatedBy: "```yaml\n").dropFirst().compactMap { block in
            block.components(separatedBy: "```").first
        }
    }()

    @Test("the README's examples load")
    func readmeExamplesLoad() throws {
        #expect(Self.readmeExamples.count == 5)
        for (index, example) in Self.readmeExamples.enumerated() {
            do {
                let profile = try PatientLoader.load(text: example, file: "README example \(index)", reference: Fixtures.shared.reference)
                #expect(profile.plans == ["A-2025-07"])
            } catch {
                Issue.record("README example \(index): \(error)")
            }
        }
        let requests = try PatientLoader.load(text: Self.readmeExamples[1], file: "README", reference: Fixtures.shared.reference).requests
        #expect(requests.map(\.option) == ["brexpiprazole", "vortioxetine", "tms"])
        #expect(requests.map(\.use) == [.addOn, .switch, nil])
    }
}
