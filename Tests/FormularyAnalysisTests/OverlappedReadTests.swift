import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// `TRDAnalyzer.usesSecondCore`: while a few plans' lines are read, a second thread fills the
/// memo with what needs no line; then two threads share each plan's options. Whether the read is
/// slow (everything warmed), instant (nothing warmed) or fails, the answer must be exactly the
/// one-thread answer.
@Suite("analysis on a second core")
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
        let (profile, asOf, memory, plans, serial) = try setUp(file)
        var overlapped = Fixtures.shared.analyzer
        overlapped.usesSecondCore = true
        // One plan at a time (a plan of A, Medicare's, an unknown one, a pinned version, variants
        // with PA and ST on many drugs), and a few together.
        let variants = plans.filter { $0.hasPrefix("77777AZ") }
        let requests = [[plans[0]], ["H9990-001-000"], ["00000XX0000000"], ["A-2025-01"], Array(plans.prefix(5))]
            + variants.prefix(6).map { [$0] } + [Array(variants.prefix(12))]
        for requested in requests {
            let request = AnalysisRequest(patient: profile, plans: requested, asOf: asOf)
            let expected = try serial.analyze(request, coverage: memory)
            for delay in [0, 0.02] {
                let found = try overlapped.analyze(request, coverage: SlowProvider(base: memory, delay: delay))
                #expect(found == expected, "\(file) × \(requested.joined(separator: ", ")), read taking \(delay) s")
            }
        }
    }

    /// The two threads take a plan's options in whatever order they get to them, and a path
    /// search asks for step drugs' own paths on the way: an option's result must not depend on
    /// which options were asked before it (`AnalysisSession.cuts`).
    @Test("each option's result is the same whatever order the options are asked in", arguments: patients)
    func orderIndependent(file: String) throws {
        let (profile, asOf, memory, plans, serial) = try setUp(file)
        let requested = [plans[0], "H9990-001-000"] + plans.filter { $0.hasPrefix("77777AZ") }.prefix(10)
        let forward = try serial.analyze(AnalysisRequest(patient: profile, plans: requested, asOf: asOf), coverage: memory)
        for (index, plan) in forward.plans.enumerated() {
            let ids = plan.options.map(\.optionID)
            var orders = [Array(ids.reversed())]
            var generator = SplitMix64(seed: UInt64(index))
            orders.append(ids.shuffled(using: &generator))
            for order in orders {
                let found = try serial.analyze(AnalysisRequest(patient: profile, plans: [requested[index]], asOf: asOf, options: order), coverage: memory)
                let byID = Dictionary(uniqueKeysWithValues: try #require(found.plans.first).options.map { ($0.optionID, $0) })
                for var expected in plan.options {
                    var other = try #require(byID[expected.optionID])
                    expected.rank = 0
                    other.rank = 0
                    #expect(other == expected, "\(file) × \(requested[index]): \(expected.optionID) asked in the order \(order)")
                }
            }
        }
    }

    /// A bundled patient, the many-plan provider and its plan ids, and the analyzer on one thread.
    func setUp(_ file: String) throws -> (PatientProfile, Day, InMemoryCoverageProvider, [String], TRDAnalyzer) {
        let loaded = Fixtures.shared
        let profile = try PatientLoader.load(path: Fixtures.patientsFolder + "/" + file, reference: loaded.reference)
        let (memory, plans) = ManyPlansTests.provider()
        var serial = loaded.analyzer
        serial.usesSecondCore = false
        return (profile, try #require(profile.asOf), memory, plans, serial)
    }

    @Test("a failed read fails the analysis as it does on one thread")
    func failedRead() throws {
        let loaded = Fixtures.shared
        let profile = try PatientLoader.load(path: Fixtures.patientsFolder + "/s1-baseline.yaml", reference: loaded.reference)
        var overlapped = loaded.analyzer
        overlapped.usesSecondCore = true
        let provider = SlowProvider(base: ManyPlansTests.provider().0, delay: 0.01, fails: true)
        #expect {
            _ = try overlapped.analyze(AnalysisRequest(patient: profile, plans: ["99990AZ0010001"], asOf: try #require(profile.asOf)), coverage: provider)
        } throws: { error in
            guard case AnalysisError.coverageUnavailable(let plan, _) = error else { return false }
            return plan == "99990AZ0010001"
        }
    }
}
