import Foundation
import FormularyModel

/// FormularyItems whose FormularyDrug has not been read yet, kept on disk instead of in memory.
///
/// A searchset with `_include` lists every item before the drugs, and a bulk export puts
/// `Basic.ndjson` before `MedicationKnowledge.ndjson`, so an importer that held waiting items in
/// memory would grow with the file (250,000 entries are ~80 MB of values). Items are written here as
/// compact binary records through a 1 MiB buffer, and `drain` reads them back once drugs are known.
/// A class because it owns a temporary file, registered with `ImportScratch` (so an interrupted
/// import removes it too) and removed in `deinit`.
final class FHIRPendingEntrySpool {
    /// One waiting entry: the drug it needs, and the file (by index) it came from.
    struct Pending {
        var drugKey: String
        var fileIndex: Int
        var entry: FormularyEntry
    }

    private let scratch: ScratchRegistry
    /// The file being written, once the first item arrived; a new one after each `drain`.
    private var url: URL?
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private(set) var count = 0

    init(scratch: ScratchRegistry = ImportScratch.shared) {
        self.scratch = scratch
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        try? handle?.close()
        if let url { scratch.remove(url) }
    }

    var isEmpty: Bool { count == 0 }

    func append(_ pending: Pending) throws {
        try open()
        Self.encode(pending, into: &buffer)
        count += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Reads every waiting entry back, 4 MiB at a time, and empties the spool; `body` may append
    /// to it again (into a new file: the one being read is already unlinked).
    func drain(_ body: (Pending) throws -> Void) throws {
        guard count > 0, let url else { return }
        try flush()
        try handle?.close()
        handle = nil
        let input: FileHandle
        do {
            input = try FileHandle(forReadingFrom: url)
        } catch {
            throw ImportError.unreadable(path: url.path, reason: "cannot read back the items waiting for their drugs: \(error.localizedDescription)")
        }
        // Unlinked while open: the bytes stay readable, and new items go to a new file.
        scratch.remove(url)
        self.url = nil
        defer { try? input.close() }
        count = 0
        var pending: [UInt8] = []
        var atEnd = false
        while !atEnd {
            let chunk: Data
            do {
                chunk = try input.read(upToCount: 4 << 20) ?? Data()
            } catch {
                throw ImportError.unreadable(path: url.path, reason: "cannot read back the items waiting for their drugs: \(error.localizedDescription)")
            }
            atEnd = chunk.isEmpty
            pending.append(contentsOf: chunk)
            var consumed = 0
            try pending.withUnsafeBytes { raw in
                var reader = Reader(bytes: raw)
                while !reader.isAtEnd {
                    let start = reader.offset
                    guard let record = reader.pending() else {
                        // A record cut by the chunk boundary: keep it for the next chunk.
                        guard !atEnd else {
                            throw ImportError.unreadable(path: url.path, reason: "the file of items waiting for their drugs is damaged")
                        }
                        consumed = start
                        return
                    }
                    try body(record)
                    consumed = reader.offset
                }
            }
            pending.removeFirst(consumed)
        }
    }

    private func open() throws {
        guard handle == nil else { return }
        let url = try scratch.makeFile(named: "fhir-pending", suffix: ".bin")
        self.url = url
        guard let handle = try? FileHandle(forWritingTo: url) else {
            throw ImportError.unreadable(path: url.path, reason: "cannot open a temporary file for items waiting for their drugs")
        }
        self.handle = handle
    }

    private func flush() throws {
        guard !buffer.isEmpty, let handle, let url else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw ImportError.unreadable(path: url.path, reason: "cannot write items waiting for their drugs: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: - Record format

    private static func encode(_ pending: Pending, into out: inout [UInt8]) {
        let entry = pending.entry
        guard case .formulary(let formulary) = entry.scope else { return }
        put(pending.drugKey, &out)
        put(Int64(pending.fileIndex), &out)
        put(formulary.rawValue, &out)
        put(entry.tierCode, &out)
        put(entry.status.rawValue, &out)
        put(entry.priorAuthorization.required, &out)
        put(entry.priorAuthorization.newStartsOnly, &out)
        put(entry.stepTherapy.required, &out)
        put(entry.stepTherapy.newStartsOnly, &out)
        put(entry.quantityLimit.required, &out)
        put(entry.quantityLimit.amount, &out)
        put(entry.quantityLimit.days.map(Int64.init), &out)
        put(entry.quantityLimit.maximumDaily, &out)
        put(entry.quantityLimit.description, &out)
        put(entry.sourceLine.map(Int64.init), &out)
    }

    private static func put(_ text: String, _ out: inout [UInt8]) {
        put(Int64(text.utf8.count), &out)
        out.append(contentsOf: text.utf8)
    }

    private static func put(_ text: String?, _ out: inout [UInt8]) {
        out.append(text == nil ? 0 : 1)
        if let text { put(text, &out) }
    }

    private static func put(_ value: Int64, _ out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func put(_ value: Int64?, _ out: inout [UInt8]) {
        out.append(value == nil ? 0 : 1)
        if let value { put(value, &out) }
    }

    private static func put(_ value: Double?, _ out: inout [UInt8]) {
        out.append(value == nil ? 0 : 1)
        if let value { put(Int64(bitPattern: value.bitPattern), &out) }
    }

    private static func put(_ flag: Bool?, _ out: inout [UInt8]) {
        out.append(flag.map { $0 ? 1 : 0 } ?? 2)
    }

    /// Reads records back; nil on a truncated or damaged record.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        private(set) var offset = 0

        var isAtEnd: Bool { offset >= bytes.count }

        mutating func pending() -> Pending? {
            guard let drugKey = string(), let fileIndex = int(), let formulary = string(), let tier = string(),
                  let statusText = string(), let status = CoverageStatus(rawValue: statusText),
                  let paRequired = flag(), let paNew = flag(), let stRequired = flag(), let stNew = flag(),
                  let qlRequired = flag(), let amount = optionalDouble(), let days = optionalInt(),
                  let daily = optionalDouble(), let description = optionalString(), let line = optionalInt()
            else { return nil }
            let entry = FormularyEntry(
                scope: .formulary(FormularyID(formulary)), drug: DrugRef(rxcui: nil), tierCode: tier, status: status,
                priorAuthorization: UMFlag(required: paRequired, newStartsOnly: paNew),
                stepTherapy: UMFlag(required: stRequired, newStartsOnly: stNew),
                quantityLimit: QuantityLimit(required: qlRequired, amount: amount, days: days.map { Int($0) }, maximumDaily: daily, description: description),
                sourceLine: line.map { Int($0) })
            return Pending(drugKey: drugKey, fileIndex: Int(fileIndex), entry: entry)
        }

        private mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        private mutating func int() -> Int64? {
            guard offset + 8 <= bytes.count else { return nil }
            var value: Int64 = 0
            withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 8])) }
            offset += 8
            return Int64(littleEndian: value)
        }

        private mutating func string() -> String? {
            guard let length = int(), length >= 0, offset + Int(length) <= bytes.count else { return nil }
            defer { offset += Int(length) }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)]), as: UTF8.self)
        }

        /// Optional values are a presence byte, then the value: `.some(nil)` for absent, nil when damaged.
        private mutating func optionalString() -> String?? {
            guard let present = byte() else { return nil }
            if present == 0 { return .some(nil) }
            guard let text = string() else { return nil }
            return .some(text)
        }

        private mutating func optionalInt() -> Int64?? {
            guard let present = byte() else { return nil }
            if present == 0 { return .some(nil) }
            guard let value = int() else { return nil }
            return .some(value)
        }

        private mutating func optionalDouble() -> Double?? {
            guard let present = byte() else { return nil }
            if present == 0 { return .some(nil) }
            guard let bits = int() else { return nil }
            return .some(Double(bitPattern: UInt64(bitPattern: bits)))
        }

        private mutating func flag() -> Bool?? {
            guard let value = byte() else { return nil }
            switch value {
            case 0: return .some(false)
            case 1: return .some(true)
            case 2: return .some(nil)
            default: return nil
            }
        }
    }
}
