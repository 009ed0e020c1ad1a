import Foundation
import Testing
import FormularyStore

/// The per-database secret that keys the hash in report file names.
@Suite("Report-name secret")
struct ReportNameKeyTests {
    @Test("32 random bytes made on first use, the same on every later call and after reopening")
    func stable() throws {
        let temporary = try TemporaryStore()
        let first = try temporary.store.reportNameKey()
        #expect(first.count == FormularyStore.reportNameKeyLength)
        #expect(Set(first).count > 8, "random bytes, not a constant")
        #expect(try temporary.store.reportNameKey() == first)
        let reopened = try FormularyStore(path: temporary.store.path)
        #expect(try reopened.reportNameKey() == first)
    }

    @Test("two databases have different secrets")
    func distinct() throws {
        let one = try TemporaryStore()
        let two = try TemporaryStore()
        #expect(try one.store.reportNameKey() != two.store.reportNameKey())
    }

    @Test("concurrent first uses agree on one secret")
    func race() async throws {
        let temporary = try TemporaryStore()
        let path = temporary.store.path
        let keys = try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0..<4 { group.addTask { try FormularyStore(path: path).reportNameKey() } }
            return try await group.reduce(into: [Data]()) { $0.append($1) }
        }
        #expect(Set(keys).count == 1)
    }
}
