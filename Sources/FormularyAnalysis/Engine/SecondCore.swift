import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fork and join on two threads for work of a few hundred microseconds (one plan's analysis,
/// `TRDAnalyzer.usesSecondCore`): this thread runs its part at once while a second thread runs
/// the other, and the wait for the second thread polls before it blocks.
///
/// `DispatchQueue.concurrentPerform(iterations: 2)` did the same, but on the project's 2-core
/// virtual machine a sleeping thread started about 20–30 µs after it was woken, and the join
/// (the caller blocked, then woken by the worker) cost about 38 µs: together a tenth of a
/// one-plan analysis, which forks twice (`formulary-bench` timeline, 2026-12-04). So the second
/// thread is one kept for this (`Worker`), which polls for its next job for a moment before it
/// sleeps, as OpenMP's and Rayon's workers do, and a caller done first polls for the worker's
/// end before it blocks.
enum SecondCore {
    /// How long a caller polls for the worker before it blocks, in nanoseconds: longer than one
    /// option's analysis (the heaviest bundled one took about 0.35 ms), the most the worker has
    /// left once the caller's share is done.
    static let pollLimit: UInt64 = 500_000

    /// Runs `worker` on the second thread and `body` on this one, and returns `body`'s value (or
    /// rethrows its error) once both have finished. When another caller has the kept thread,
    /// `worker` runs on a Dispatch worker instead.
    static func run<T>(worker: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        guard #available(macOS 15, *) else {
            // No `Atomic` before macOS 15: Dispatch's fork and join.
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group, execute: worker)
            defer { group.wait() }
            return try body()
        }
        let done = Completion()
        let job: @Sendable () -> Void = {
            worker()
            done.signal()
        }
        if !Worker.shared.submit(job) { DispatchQueue.global().async(execute: job) }
        defer { done.wait(polling: pollLimit) }
        return try body()
    }

    /// A job's end, signalled once.
    @available(macOS 15, *)
    private final class Completion: Sendable {
        private let finished = Atomic(false)
        private let semaphore = DispatchSemaphore(value: 0)

        func signal() {
            finished.store(true, ordering: .releasing)
            semaphore.signal()
        }

        /// Returns once `signal()` has been called: polls for up to `nanoseconds`, then blocks.
        /// (A semaphore left signalled because polling saw the end first is released so:
        /// Dispatch allows a value above the initial one.)
        func wait(polling nanoseconds: UInt64) {
            let deadline = DispatchTime.now().uptimeNanoseconds + nanoseconds
            repeat {
                if finished.load(ordering: .acquiring) { return }
                // Let a thread waiting for this core (perhaps the worker) run.
                sched_yield()
            } while DispatchTime.now().uptimeNanoseconds < deadline
            semaphore.wait()
        }
    }

    /// The kept second thread: one job at a time, started on first use. After a job it polls
    /// for the next for `pollAfterJob`, then sleeps until one comes.
    @available(macOS 15, *)
    final class Worker: @unchecked Sendable {
        static let shared = Worker()
        /// In nanoseconds: long enough to span the gap between the two jobs of one analysis and
        /// between the plans of a few-plan analysis (tens of microseconds); short enough that an
        /// idle process stops using the core almost at once.
        static let pollAfterJob: UInt64 = 200_000

        /// Guards `job`, `busy`, `sleeping` and `started`; the thread sleeps on it.
        private let condition = NSCondition()
        private var job: (@Sendable () -> Void)?
        /// A job is waiting or running.
        private var busy = false
        private var sleeping = false
        private var started = false
        /// Set with `job`, so the polling thread can look without taking the lock (which would
        /// keep a caller from handing the job over).
        private let waiting = Atomic(false)

        /// Hands `job` to the thread; false when it has another caller's job.
        func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            guard !busy else { return false }
            busy = true
            self.job = job
            waiting.store(true, ordering: .releasing)
            if !started {
                started = true
                let thread = Thread { [self] in loop() }
                thread.name = "formulary analysis (second core)"
                // As much stack as the main thread's default: the path search recurses.
                thread.stackSize = 8 << 20
                thread.start()
            } else if sleeping {
                condition.signal()
            }
            return true
        }

        private func loop() {
            while true {
                nextJob()()
                condition.lock()
                busy = false
                condition.unlock()
            }
        }

        /// The next job: polled for until `pollAfterJob` has passed, then waited for.
        private func nextJob() -> @Sendable () -> Void {
            let deadline = DispatchTime.now().uptimeNanoseconds + Self.pollAfterJob
            while !waiting.load(ordering: .acquiring) && DispatchTime.now().uptimeNanoseconds < deadline { sched_yield() }
            condition.lock()
            defer { condition.unlock() }
            while job == nil {
                sleeping = true
                condition.wait()
                sleeping = false
            }
            let next = job!
            job = nil
            waiting.store(false, ordering: .relaxed)
            return next
        }
    }
}
