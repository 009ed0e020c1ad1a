import Dispatch
import Foundation
import Testing
@testable import FormularyAnalysis

/// `SecondCore.run`, the fork and join one plan's analysis uses on two cores: both sides always
/// run to the end before it returns, an error from the caller's side comes back after the worker
/// has finished, and callers that find the kept thread busy (or asleep) still get their work done.
@Suite("second-core fork and join")
struct SecondCoreTests {
    /// Counts the worker's runs; `NSLock` because the worker writes from another thread.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int] = []

        func add(_ value: Int) {
            lock.lock()
            defer { lock.unlock() }
            values.append(value)
        }

        var all: [Int] {
            lock.lock()
            defer { lock.unlock() }
            return values
        }
    }

    struct Failure: Error, Equatable {}

    @Test("the caller's value comes back only after the worker has finished")
    func joins() {
        let tally = Tally()
        for round in 0..<200 {
            let value = SecondCore.run(worker: {
                // Longer than the caller's side on some rounds, shorter on others.
                if round % 3 == 0 { Thread.sleep(forTimeInterval: 0.0005) }
                tally.add(round)
            }) { round * 2 }
            #expect(value == round * 2)
            #expect(tally.all.count == round + 1, "round \(round): returned before the worker finished")
        }
        #expect(tally.all == Array(0..<200))
    }

    @Test("a worker slower than the caller's poll limit is waited for by blocking")
    func blocksAfterPolling() {
        let tally = Tally()
        let value = SecondCore.run(worker: {
            Thread.sleep(forTimeInterval: Double(SecondCore.pollLimit) / 1e9 * 4)
            tally.add(1)
        }) { "done" }
        #expect(value == "done")
        #expect(tally.all == [1])
    }

    @Test("an error from the caller's side is rethrown after the worker has finished")
    func rethrowsAfterJoin() {
        let tally = Tally()
        #expect(throws: Failure.self) {
            try SecondCore.run(worker: {
                Thread.sleep(forTimeInterval: 0.002)
                tally.add(7)
            }) { () throws -> Int in throw Failure() }
        }
        #expect(tally.all == [7])
    }

    @Test("callers on several threads at once: one gets the kept thread, the others Dispatch")
    func concurrentCallers() {
        let tally = Tally()
        DispatchQueue.concurrentPerform(iterations: 8) { caller in
            for round in 0..<50 {
                let value = SecondCore.run(worker: { tally.add(caller * 1000 + round) }) { caller + round }
                #expect(value == caller + round)
            }
        }
        let expected = (0..<8).flatMap { caller in (0..<50).map { caller * 1000 + $0 } }
        #expect(tally.all.sorted() == expected)
    }

    @Test("the kept thread wakes for a job after it has gone to sleep")
    func wakesAfterSleeping() {
        let tally = Tally()
        for round in 0..<3 {
            // Past `pollAfterJob`: the kept thread (if this process has started it) is asleep.
            Thread.sleep(forTimeInterval: 0.01)
            SecondCore.run(worker: { tally.add(round) }) {}
            #expect(tally.all.count == round + 1)
        }
    }
}
