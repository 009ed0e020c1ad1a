import Foundation
import GRDB

extension FormularyStore {
    /// The number of random bytes in the report-name secret.
    public static let reportNameKeyLength = 32

    /// The secret that keys the hash standing for a patient in report file names: 32 random
    /// bytes from the system's cryptographic generator, made on first use and kept in the
    /// database's one-row `secret` table, so names stay stable on this database and cannot be
    /// reversed by hashing guessed labels. The database file is owner-only (mode 0600).
    public func reportNameKey() throws -> Data {
        if let existing = try pool.read({ db in try Data.fetchOne(db, sql: "SELECT report_name_key FROM secret WHERE id = 1") }) {
            return existing
        }
        return try pool.write { db in
            var generator = SystemRandomNumberGenerator()
            let bytes = Data((0..<Self.reportNameKeyLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            // Two processes may race to create it: the first insert wins and both read it back.
            try db.execute(sql: "INSERT OR IGNORE INTO secret (id, report_name_key, created_at) VALUES (1, ?, ?)",
                           arguments: [bytes, StoreDates.format(Date())])
            guard let key = try Data.fetchOne(db, sql: "SELECT report_name_key FROM secret WHERE id = 1") else {
                throw StoreError.rejectedRow(what: "the report-name secret", reason: "it could not be read back")
            }
            return key
        }
    }
}
