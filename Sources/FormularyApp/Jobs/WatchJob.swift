import Foundation
import FormularyCriteria
import FormularyStore
import FormularyWatch

/// Re-analyzes watched patients, records an alert for every flip in the same transaction as the
/// new state, then delivers every pending alert (this run's and any an earlier run could not
/// deliver). `watch check` and `refresh` both run it.
public struct WatchJob {
    public struct Result: Sendable {
        public var outcomes: [WatchChecker.Outcome]
        public var delivery: AlertDelivery.Result
        /// A profile could not be analyzed.
        public var checkFailed: Bool { outcomes.contains { $0.failure != nil } }
        /// An alert could not be delivered; it stays pending.
        public var deliveryFailed: Bool { !delivery.failed.isEmpty }
        public var alertsCreated: Int { outcomes.filter { $0.alertID != nil }.count }
    }

    public let store: FormularyStore
    public let target: AlertDelivery.Target

    public init(store: FormularyStore, target: AlertDelivery.Target) {
        self.store = store
        self.target = target
    }

    /// Checks (when `documents` are given) and delivers.
    public func run(documents: AnalysisDocuments?, asOf: Day, scope: WatchChecker.Scope, causes: [String] = []) throws -> Result {
        var outcomes: [WatchChecker.Outcome] = []
        if let documents {
            let checker = WatchChecker(store: store, reference: documents.reference, criteria: documents.criteria)
            outcomes = try checker.check(asOf: asOf, scope: scope, causes: causes)
        }
        let delivery = try AlertDelivery(store: store, target: target).deliverPending()
        return Result(outcomes: outcomes, delivery: delivery)
    }
}
