import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyStore

/// `formulary-bench`: times the analyzer in process, against a real database, for
/// `Tests/Benchmarks/analyze.sh`. Not part of the `formulary` tool.
///
/// usage: formulary-bench --db FILE --patient FILE --plan ID [--iterations N] [--criteria DIR] [--reference DIR]
///        [--all-formularies]
/// Prints `single_median_ms`, `single_p90_ms` for one patient × one plan (median of N), and with
/// --all-formularies `all_formularies_ms` and `formularies` for one patient against one plan of
/// every formulary in the database (median of 5 passes).
@main
struct AnalysisBenchmark {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func value(_ name: String, default fallback: String? = nil) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
            defer { arguments.removeSubrange(index...(index + 1)) }
            return arguments[index + 1]
        }
        guard let db = value("--db"), let patientPath = value("--patient"), let plan = value("--plan") else {
            FileHandle.standardError.write(Data("usage: formulary-bench --db FILE --patient FILE --plan ID [--iterations N] [--all-formularies]\n".utf8))
            exit(64)
        }
        let iterations = Int(value("--iterations", default: "200") ?? "200") ?? 200
        let criteriaPath = value("--criteria", default: "Formularies/criteria") ?? "Formularies/criteria"
        let referencePath = value("--reference", default: "Formularies/reference") ?? "Formularies/reference"
        let allFormularies = arguments.contains("--all-formularies")

        let store = try FormularyStore(path: db)
        let reference = try DrugReferenceLoader.load(directory: referencePath)
        let criteria = try CriteriaLoader(reference: reference).loadDirectory(criteriaPath)
        let analyzer = TRDAnalyzer(reference: reference, criteria: criteria)
        let profile = try PatientLoader.load(path: patientPath, reference: reference)
        let asOf = profile.asOf ?? Day(year: 2025, month: 3, day: 20)!

        func time(_ body: () throws -> Void) rethrows -> Double {
            let clock = ContinuousClock()
            let start = clock.now
            try body()
            let elapsed = clock.now - start
            return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
        }

        // Warm the page cache and lazy state once.
        _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: store)
        var samples: [Double] = []
        for _ in 0..<iterations {
            samples.append(try time { _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: store) })
        }
        samples.sort()
        print(String(format: "single_median_ms %.3f", samples[samples.count / 2]))
        print(String(format: "single_p90_ms %.3f", samples[samples.count * 9 / 10]))

        if allFormularies {
            var byFormulary: [FormularyID: PlanID] = [:]
            for listing in try store.plans() where byFormulary[listing.formulary.id] == nil {
                byFormulary[listing.formulary.id] = listing.plan.id
            }
            let plans = byFormulary.values.map(\.rawValue).sorted()
            var passes: [Double] = []
            for _ in 0..<5 {
                passes.append(try time {
                    for plan in plans {
                        _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: store)
                    }
                })
            }
            passes.sort()
            print("formularies \(plans.count)")
            print(String(format: "all_formularies_ms %.1f", passes[2]))
        }
    }
}
