import Foundation

/// The central directory of a zip archive as the file states it, read record by record without
/// ZIPFoundation, so the checks ZIPFoundation does not make can be made before anything is read.
///
/// ZIPFoundation's entry iterator ends silently at the first entry it cannot represent (an
/// encrypted one, or one whose local header is missing), which would hide every entry after it.
/// Walking the directory ourselves gives the true count and, for each record, the facts the
/// importer refuses archives for: encryption, symbolic links, and names that would escape an
/// extraction folder. Only the directory is read (64 KiB at a time), never entry data.
struct ZipDirectory {
    /// One central directory record: only what the checks need.
    struct Record {
        /// The entry's name as stored (UTF-8 when the archive says so, else decoded leniently).
        var name: String
        /// General purpose flags; bit 0 is encryption.
        var flags: UInt16
        /// The upper byte says which system made the entry (3 is Unix, 19 macOS).
        var versionMadeBy: UInt16
        /// On Unix-made entries the upper 16 bits are the file mode.
        var externalAttributes: UInt32

        var isEncrypted: Bool { flags & 1 != 0 }

        /// True for an entry made on Unix or macOS whose mode says symbolic link, as ZIPFoundation
        /// judges it (`Entry.type == .symlink`).
        var isSymbolicLink: Bool {
            let system = versionMadeBy >> 8
            guard system == 3 || system == 19 else { return false }
            return (externalAttributes >> 16) & 0o170000 == 0o120000
        }

        var isDirectory: Bool { name.hasSuffix("/") || name.hasSuffix("\\") }

        /// Why extracting the entry by its name would write outside the extraction folder, if it would.
        var escape: String? {
            if name.hasPrefix("/") || name.hasPrefix("\\") { return "an absolute path" }
            let scalars = Array(name.unicodeScalars.prefix(2))
            if scalars.count == 2, scalars[1] == ":", scalars[0].properties.isAlphabetic {
                return "a drive-letter path"
            }
            let components = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
            if components.contains("..") { return "a \"..\" component" }
            return nil
        }
    }

    /// Why the directory could not be walked.
    struct Damaged: Error {
        var reason: String
    }

    /// Calls `body` for every record in directory order and returns how many there are.
    /// - Throws: `Damaged` when the directory cannot be read as its end record describes it;
    ///   errors from `body` unchanged.
    static func forEachRecord(in url: URL, _ body: (Int, Record) throws -> Void) throws -> Int {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { throw Damaged(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var reader = WindowReader(descriptor: descriptor)
        let end = try locateDirectory(&reader)
        var offset = end.offset
        for index in 0..<end.count {
            guard let header = reader.bytes(at: offset, count: 46), header.uint32(0) == 0x0201_4B50 else {
                throw Damaged(reason: "the central directory is damaged at record \(index + 1) of \(end.count)")
            }
            let nameLength = Int(header.uint16(28))
            let extraLength = Int(header.uint16(30))
            let commentLength = Int(header.uint16(32))
            guard let nameBytes = reader.bytes(at: offset + 46, count: nameLength) else {
                throw Damaged(reason: "the central directory is cut short at record \(index + 1) of \(end.count)")
            }
            let flags = header.uint16(8)
            let name = flags & (1 << 11) != 0 || String(validating: nameBytes, as: UTF8.self) != nil
                ? String(decoding: nameBytes, as: UTF8.self)
                : String(nameBytes.map { Character(Unicode.Scalar($0)) })
            try body(Int(clamping: index), Record(
                name: name, flags: flags, versionMadeBy: header.uint16(4), externalAttributes: header.uint32(38)))
            offset += 46 + UInt64(nameLength + extraLength + commentLength)
        }
        return Int(clamping: end.count)
    }

    /// Finds the end-of-central-directory record (and its ZIP64 form) and returns where the
    /// directory starts and how many records it holds.
    private static func locateDirectory(_ reader: inout WindowReader) throws -> (offset: UInt64, count: UInt64) {
        let size = reader.fileSize
        let tailLength = Int(min(size, 22 + 65_535))
        guard tailLength >= 22, let tail = reader.bytes(at: size - UInt64(tailLength), count: tailLength) else {
            throw Damaged(reason: "no zip end-of-central-directory record (not a zip file, or truncated)")
        }
        var position = tailLength - 22
        while position >= 0, tail.uint32(position) != 0x0605_4B50 { position -= 1 }
        guard position >= 0 else {
            throw Damaged(reason: "no zip end-of-central-directory record (not a zip file, or truncated)")
        }
        var count = UInt64(tail.uint16(position + 10))
        var offset = UInt64(tail.uint32(position + 16))
        let recordOffset = size - UInt64(tailLength - position)
        if count == 0xFFFF || offset == 0xFFFF_FFFF, recordOffset >= 20,
           let locator = reader.bytes(at: recordOffset - 20, count: 20), locator.uint32(0) == 0x0706_4B50,
           let record = reader.bytes(at: locator.uint64(8), count: 56), record.uint32(0) == 0x0606_4B50 {
            count = record.uint64(32)
            offset = record.uint64(48)
        }
        return (offset, count)
    }

    /// Reads a file through one 64 KiB window, so walking a directory costs a read per window.
    private struct WindowReader {
        let descriptor: Int32
        let fileSize: UInt64
        private var window: [UInt8] = []
        private var windowStart: UInt64 = 0

        init(descriptor: Int32) {
            self.descriptor = descriptor
            var status = stat()
            fileSize = fstat(descriptor, &status) == 0 ? UInt64(max(0, status.st_size)) : 0
        }

        /// `count` bytes at `offset`, or nil when the file ends first.
        mutating func bytes(at offset: UInt64, count: Int) -> [UInt8]? {
            guard count >= 0, offset <= fileSize, UInt64(count) <= fileSize - offset else { return nil }
            if count == 0 { return [] }
            let windowEnd = windowStart + UInt64(window.count)
            if offset < windowStart || offset + UInt64(count) > windowEnd {
                let length = Int(min(fileSize - offset, UInt64(max(count, 64 << 10))))
                var fresh = [UInt8](repeating: 0, count: length)
                var filled = 0
                while filled < length {
                    let got = fresh.withUnsafeMutableBytes { buffer in
                        pread(descriptor, buffer.baseAddress! + filled, length - filled, off_t(offset) + off_t(filled))
                    }
                    if got < 0, errno == EINTR { continue }
                    guard got > 0 else { return nil }
                    filled += got
                }
                window = fresh
                windowStart = offset
            }
            let start = Int(offset - windowStart)
            return Array(window[start..<start + count])
        }
    }
}

private extension Array where Element == UInt8 {
    func uint16(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
    func uint32(_ at: Int) -> UInt32 { UInt32(uint16(at)) | UInt32(uint16(at + 2)) << 16 }
    func uint64(_ at: Int) -> UInt64 { UInt64(uint32(at)) | UInt64(uint32(at + 4)) << 32 }
}
