import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// `TRDAnalyzer.overlapsReads`: while a few plans' lines are read, a second thread fills the
/// memo with what needs no line. Whether the read is slow (everything warmed), instant (nothing
/// warmed) or fails, the answer must be exactly the one-thread answer.
@Suite("analysis with the read overlapped")
struct OverlappedReadTests {
    /// Answers like `base`, after a delay: a database read the warming runs beside.
    struct SlowProvider: CoverageProvider {
        let base: InMemoryCoverageProvider
        let delay: TimeInterval
        var fails = false

        func planListing(_ plan: PlanID) throws -> PlanListing? { try base.planListing(plan) }
        func coverage(plan: PlanID, drugs: [RxCUI]) throws -> [CoverageLine] { try base.coverage(plan: plan, drugs: drugs) }
        func coverage(plans: [PlanID], drugs: [RxCUI]) throws -> [PlanCoverage] {
            Thread.sleep(forTimeInterval: delay)
            if fails { throw CocoaError(.fileReadCorruptFile) }
            return try base.coverage(plans: plans, drugs: drugs)
        }
    }

    static let patients = ["s1-baseline.yaml", "s2-seizure.yaml", "s4-rexulti.yaml", "s6-postpartum.yaml", "s7-labeler-switch.yaml",
                           "medicare-continuing.yaml", "cash-fill.yaml"]

    @Test("equals the one-thread analysis, the read slow or instant", arguments: patients)
    func sameAnswer(file: String) throws {
        let loaded = Fixtures.shared
        let profile = try PatientLoader.load(path: Fixtures.patientsFolder + "/" + file, reference: loaded.reference)
        let asOf = try #require(profile.asOf)
        let (memory, plans) = ManyPlansTests.provider()
        var serial = loaded.analyzer
        serial.overlapsReads = false
        var overlapped = loaded.analyzer
        overlapped.overlapsReads = true
        // One plan at a time (a plan of A, Medicare's, an unknown one, a pinned version), and a few together.
        let requests = [[plans[0]], ["H9990-001-000"], ["00000XX0000000"], ["A-2025-01"], Array(plans.prefix(5))]
        for requested in requests {
            let request = AnalysisRequest(patient: profile, plans: requested, asOf: asOf)
            let expected = try serial.analyze(request, coverage: memory)
            for delay in [0, 0.02] {
                let found = try overlapped.analyze(request, coverage: SlowProvider(base: memory, delay: delay))
                #expect(found == expected, "\(file) × \(requested.joined(separator: ", ")), read taking \(delay) s")
            }
        }
    }

    @Test("a failed read fails the analysis as it does on one thread")
    func failedRead() throws {
        let loaded = Fixtures.shared
        let profile = try PatientLoader.load(path: Fixtures.patientsFolder + "/s1-baseline.yaml", reference: loaded.reference)
        var overlapped = loaded.analyzer
        overlapped.overlapsReads = true
        let provider = SlowProvider(base: ManyPlansTests.provider().0, delay: 0.01, fails: true)
        #expect {
            _ = try overlapped.analyze(AnalysisRequest(patient: profile, plans: ["99990AZ0010001"], asOf: try #require(profile.asOf)), coverage: provider)
        } throws: { error in
            guard case AnalysisError.coverageUnavailable(let plan, _) = error else { return false }
            return plan == "99990AZ0010001"
        }
    }
}
