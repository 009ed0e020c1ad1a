import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyStore

/// `formulary-bench`: times the analyzer in process, against a real database, for
/// `Tests/Benchmarks/analyze.sh`. Not part of the `formulary` tool.
///
/// usage: formulary-bench --db FILE --patient FILE --plan ID [--iterations N] [--criteria DIR] [--reference DIR]
///        [--all-formularies] [--profile store|memory|memory-two-cores|all|all-store|all-memory]
/// Prints `single_median_ms`, `single_p90_ms` for one patient × one plan (median of N),
/// `single_one_thread_median_ms` for the same on one thread (`usesSecondCore` off), then the
/// same call split in two: `single_store_median_ms` (the store's answers alone, replayed) and
/// `single_memory_median_ms` (the analysis over those answers held in memory, one thread;
/// `single_memory_two_cores_median_ms` the same on two cores). With
/// --all-formularies: `all_formularies_ms` for one call with one plan of every formulary in the
/// database (median of 5), `all_formularies_store_ms` (its reads replayed on one thread),
/// `all_formularies_memory_ms` (the analysis from memory, on all cores), `formularies`, `cores`.
/// --profile repeats one part N times and prints nothing, for `perf record`.
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
        let profilePart = value("--profile")

        let store = try FormularyStore(path: db)
        let reference = try DrugReferenceLoader.load(directory: referencePath)
        let criteria = try CriteriaLoader(reference: reference).loadDirectory(criteriaPath)
        let analyzer = TRDAnalyzer(reference: reference, criteria: criteria)
        // One thread per analysis (`usesSecondCore` off): for the split below, whose reads from
        // memory take no time to overlap, and for the one-thread figure.
        var serial = analyzer
        serial.usesSecondCore = false
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
        // The same analysis split in two: the store's answers alone, and the analysis over
        // those answers held in memory.
        let recorder = RecordingProvider(base: store)
        _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: recorder)
        let memory = recorder.snapshot()
        func oneOfEachFormulary() throws -> [String] {
            var byFormulary: [FormularyID: PlanID] = [:]
            for listing in try store.plans() where byFormulary[listing.formulary.id] == nil {
                byFormulary[listing.formulary.id] = listing.plan.id
            }
            return byFormulary.values.map(\.rawValue).sorted()
        }
        if let part = profilePart {
            // For `perf record`: repeat one part only (store, memory or all), print nothing.
            let plans = part.hasPrefix("all") ? try oneOfEachFormulary() : [plan]
            let wideRecorder = RecordingProvider(base: store)
            if part == "all-store" || part == "all-memory" { _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: wideRecorder) }
            let wideMemory = wideRecorder.snapshot()
            for _ in 0..<iterations {
                switch part {
                case "store": try recorder.replay(on: store)
                case "all-store": try wideRecorder.replay(on: store)
                case "all-memory": _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: wideMemory)
                case "memory": _ = try serial.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: memory)
                case "memory-two-cores": _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: memory)
                default: _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: store)
                }
            }
            return
        }
        var samples: [Double] = []
        for _ in 0..<iterations {
            samples.append(try time { _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: store) })
        }
        samples.sort()
        print(String(format: "single_median_ms %.3f", samples[samples.count / 2]))
        print(String(format: "single_p90_ms %.3f", samples[samples.count * 9 / 10]))
        // The same on one thread (`usesSecondCore` off), as the web server runs it.
        var serialSamples: [Double] = []
        for _ in 0..<iterations {
            serialSamples.append(try time { _ = try serial.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: store) })
        }
        serialSamples.sort()
        print(String(format: "single_one_thread_median_ms %.3f", serialSamples[serialSamples.count / 2]))

        var storeSamples: [Double] = []
        var memorySamples: [Double] = []
        var sharedSamples: [Double] = []
        for _ in 0..<iterations {
            storeSamples.append(try time { try recorder.replay(on: store) })
            memorySamples.append(try time { _ = try serial.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: memory) })
            sharedSamples.append(try time { _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: [plan], asOf: asOf), coverage: memory) })
        }
        storeSamples.sort()
        memorySamples.sort()
        sharedSamples.sort()
        print(String(format: "single_store_median_ms %.3f", storeSamples[storeSamples.count / 2]))
        print(String(format: "single_memory_median_ms %.3f", memorySamples[memorySamples.count / 2]))
        print(String(format: "single_memory_two_cores_median_ms %.3f", sharedSamples[sharedSamples.count / 2]))

        if allFormularies {
            let plans = try oneOfEachFormulary()
            var passes: [Double] = []
            for _ in 0..<5 {
                passes.append(try time {
                    _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: store)
                })
            }
            passes.sort()
            let wide = RecordingProvider(base: store)
            _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: wide)
            let wideMemory = wide.snapshot()
            var storePasses: [Double] = []
            var memoryPasses: [Double] = []
            for _ in 0..<5 {
                storePasses.append(try time { try wide.replay(on: store) })
                memoryPasses.append(try time { _ = try analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: wideMemory) })
            }
            storePasses.sort()
            memoryPasses.sort()
            print(String(format: "all_formularies_store_ms %.1f", storePasses[2]))
            print(String(format: "all_formularies_memory_ms %.1f", memoryPasses[2]))
            print("formularies \(plans.count)")
            print("cores \(ProcessInfo.processInfo.activeProcessorCount)")
            print(String(format: "all_formularies_ms %.1f", passes[2]))
        }
    }
}

/// Records the calls an analysis makes so they can be replayed alone, and the answers so the
/// analysis can run again from memory.
final class RecordingProvider: CoverageProvider, Sendable {
    struct Recorded {
        var calls: [(plans: [PlanID], drugs: [RxCUI])] = []
        var answers: [PlanCoverage] = []
    }

    let base: any CoverageProvider
    /// The analyzer reads chunks of plans from several threads.
    private let lock = NSLock()
    nonisolated(unsafe) private var recordedValue = Recorded()

    private func withRecorded<T>(_ body: (inout Recorded) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&recordedValue)
    }

    init(base: any CoverageProvider) { self.base = base }

    func planListing(_ plan: PlanID) throws -> PlanListing? { try base.planListing(plan) }

    func coverage(plan: PlanID, drugs: [RxCUI]) throws -> [CoverageLine] { try coverage(plans: [plan], drugs: drugs).first?.lines ?? [] }

    func coverage(plans: [PlanID], drugs: [RxCUI]) throws -> [PlanCoverage] {
        let found = try base.coverage(plans: plans, drugs: drugs)
        withRecorded {
            $0.calls.append((plans, drugs))
            $0.answers += found
        }
        return found
    }

    func replay(on provider: any CoverageProvider) throws {
        for call in withRecorded({ $0.calls }) { _ = try provider.coverage(plans: call.plans, drugs: call.drugs) }
    }

    func snapshot() -> InMemoryCoverageProvider {
        let answers = withRecorded { $0.answers }
        return InMemoryCoverageProvider(plans: answers.compactMap(\.listing), lines: answers.flatMap(\.lines))
    }
}
