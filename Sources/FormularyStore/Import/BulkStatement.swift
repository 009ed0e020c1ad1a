import GRDB
import GRDBSQLite

/// A prepared INSERT reused for every row of a bulk load, bound through the SQLite C API, that
/// writes rows in multi-row batches.
///
/// Measured here on 1.5M formulary lines: GRDB's `StatementArguments` or Codable records cost
/// about half the insert rate of binding directly, and one `INSERT … VALUES (…),(…),…` of 32
/// rows costs far less VDBE work than 32 single-row steps. Batches use `OR FAIL`: with the
/// default `ABORT`, SQLite keeps a statement journal for every multi-row statement, which
/// here wrote 1.1 GB of page copies to a temporary file for a 42 MB table. Under `FAIL` a
/// failed batch keeps the rows before the culprit, so `sqlite3_changes` names the culprit;
/// the import's transaction rolls back anyway. The unsafe calls stay in this file; an
/// instance lives only inside one write transaction.
final class BulkStatement {
    /// One bound value.
    enum Value {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
    }

    static let rowsPerBatch = 32

    private let columns: Int
    private let rowCapacity: Int
    private let what: String
    private let describe: (ArraySlice<Value>) -> String
    private let connection: OpaquePointer?
    private let single: Statement
    private let batch: Statement?
    /// Written through a pointer so the hot path pays no exclusivity checks.
    private let buffer: UnsafeMutableBufferPointer<Value>
    private var count = 0

    /// SQLite copies bound text before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// What SQLite does with a row that breaks a uniqueness constraint.
    enum Conflict: String {
        /// Stop with an error (the row is named in it).
        case fail = "FAIL"
        /// Skip the row silently.
        case ignore = "IGNORE"
    }

    /// - Parameters:
    ///   - table: the table to insert into.
    ///   - columns: the columns one row binds, in binding order.
    ///   - batched: false for statements whose rows must land one at a time.
    ///   - describe: names a failed row from its values, for the error message.
    init(_ db: Database, into table: String, columns names: [String], onConflict conflict: Conflict = .fail,
         batched: Bool = true, what: String, describe: @escaping (ArraySlice<Value>) -> String) throws {
        columns = names.count
        self.what = what
        self.describe = describe
        rowCapacity = batched ? Self.rowsPerBatch : 1
        connection = db.sqliteConnection
        let prefix = "INSERT OR \(conflict.rawValue) INTO \(table) (\(names.joined(separator: ", "))) VALUES "
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
        single = try db.makeStatement(sql: prefix + tuple)
        batch = batched ? try db.makeStatement(sql: prefix + Array(repeating: tuple, count: Self.rowsPerBatch).joined(separator: ",")) : nil
        buffer = .allocate(capacity: columns * rowCapacity)
        buffer.initialize(repeating: .null)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    @inline(__always) private func append(_ value: Value) {
        buffer[count] = value
        count += 1
    }

    func bind(_ value: Int64?) { append(value.map(Value.integer) ?? .null) }
    func bind(_ value: Int?) { append(value.map { .integer(Int64($0)) } ?? .null) }
    func bind(_ value: Bool?) { append(value.map { .integer($0 ? 1 : 0) } ?? .null) }
    func bind(_ value: Double?) { append(value.map(Value.real) ?? .null) }
    func bind(_ value: String?) { append(value.map(Value.text) ?? .null) }

    /// Ends the row whose values were just bound; writes a batch when one is full.
    func endRow() throws {
        precondition(count % columns == 0, "a row bound the wrong number of values")
        if count == columns * rowCapacity { try flush() }
    }

    /// Writes every buffered row. Call before anything reads the table, and at the end.
    func flush() throws {
        guard count > 0 else { return }
        let rows = count / columns
        count = 0
        // Bound straight from the buffer: copying it into an array cost a retain and a release per value.
        let values = UnsafeBufferPointer(rebasing: buffer[0..<(rows * columns)])
        if let batch, rows == Self.rowsPerBatch {
            let code = run(batch.sqliteStatement, values)
            guard code == SQLITE_DONE else {
                // Under FAIL the rows before the culprit stayed in: their count is its index.
                let culprit = min(Int(connection.map { sqlite3_changes($0) } ?? 0), rows - 1)
                throw failure(code, ArraySlice(values[(culprit * columns)..<((culprit + 1) * columns)]))
            }
            return
        }
        for row in 0..<rows {
            let slice = UnsafeBufferPointer(rebasing: values[(row * columns)..<((row + 1) * columns)])
            let code = run(single.sqliteStatement, slice)
            guard code == SQLITE_DONE else { throw failure(code, ArraySlice(slice)) }
        }
    }

    private func failure(_ code: Int32, _ row: ArraySlice<Value>) -> StoreError {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "SQLite error \(code)"
        return StoreError.rejectedRow(what: "\(what) \(describe(row))", reason: message)
    }

    private func run(_ handle: OpaquePointer, _ values: UnsafeBufferPointer<Value>) -> Int32 {
        var index: Int32 = 0
        for value in values {
            index += 1
            switch value {
            case .null: sqlite3_bind_null(handle, index)
            case .integer(let number): sqlite3_bind_int64(handle, index, number)
            case .real(let number): sqlite3_bind_double(handle, index, number)
            case .text(var text):
                text.withUTF8 { bytes in
                    _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), BulkStatement.transient)
                }
            }
        }
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        return code
    }

    /// The value at `offset` in a row, as text for messages.
    static func text(_ row: ArraySlice<Value>, _ offset: Int) -> String {
        switch row[row.startIndex + offset] {
        case .null: "null"
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .text(let text): text
        }
    }
}
