import Foundation
import ZIPFoundation

/// Why an input that no importer recognizes cannot be imported, when its bytes say so: a zip that
/// is truncated or holds an encrypted entry, a UTF-16 file, XML refused for a DOCTYPE, XML in
/// another namespace. Format detection asks only after every importer said no, so a person learns
/// the real reason instead of "name a format with --format", which would not help.
///
/// Cheap, like detection: zip directories, and the first 64 KiB (1 MiB for XML, up to its root)
/// of at most `ContentSniffer.maximumSniffed` files.
enum InputDiagnosis {
    /// What no importer recognizing `url` is thrown as: the specific reason when there is one,
    /// else `unrecognizedFormat` listing what formulary reads.
    static func error(for url: URL) -> ImportError {
        if let specific = specificError(for: url) { return specific }
        return .unrecognizedFormat(
            path: url.path,
            reason: "it is not a Part D release (zip, folder or table), QHP plans/drugs JSON, FHIR US Drug Formulary "
                + "(JSON, NDJSON or XML), an RxNorm release (RRF), or a drug reference CSV; name one with --format")
    }

    /// The specific reason `url` cannot be imported, if its bytes show one.
    static func specificError(for url: URL) -> ImportError? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return folderError(url) }
        if url.pathExtension.lowercased() == "zip" || startsLikeZip(url) { return archiveError(url) }
        let file = InputFile(displayName: url.lastPathComponent, location: .file(url), byteCount: nil)
        return finding(for: file).map { .unrecognizedFormat(path: url.path, reason: $0) }
    }

    private static func folderError(_ folder: URL) -> ImportError? {
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { return nil }
        var walked = 0
        var looked = 0
        for case let url as URL in walker {
            walked += 1
            guard walked <= ContentSniffer.maximumWalked, looked < ContentSniffer.maximumSniffed else { return nil }
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            looked += 1
            if let error = specificError(for: url) { return error }
        }
        return nil
    }

    /// A damaged or refused archive, or the first entry with a finding.
    private static func archiveError(_ url: URL) -> ImportError? {
        let archive: Archive
        let entries: [Entry]
        do {
            archive = try ZipArchiveAccess.open(url, displayName: url.path)
            entries = try ZipArchiveAccess.checkedEntries(of: archive, at: url, displayName: url.path, budget: nil)
        } catch let error as ImportError {
            return error
        } catch {
            return .badArchive(path: url.path, reason: ZipArchiveAccess.describe(error))
        }
        for entry in entries.lazy.filter({ $0.type == .file && !$0.path.lowercased().hasSuffix(".zip") })
            .prefix(ContentSniffer.maximumSniffed) {
            let file = InputFile(displayName: entry.path, location: .archiveEntry(archive: url, path: entry.path), byteCount: nil)
            if let finding = finding(for: file) {
                return .unrecognizedFormat(path: url.path, reason: "its entry \(RowProblem.quoted(entry.path)): \(finding)")
            }
        }
        return nil
    }

    /// What the first bytes of a file say about why it is not importable, if anything.
    static func finding(for file: InputFile) -> String? {
        let head = firstBytes(of: file, count: 64 << 10)
        if let encoding = WideEncoding(head) {
            return encoding.finding(fileName: file.fileName)
        }
        var index = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < head.count, [0x20, 0x09, 0x0A, 0x0D].contains(head[index]) { index += 1 }
        guard index < head.count, head[index] == UInt8(ascii: "<") else { return nil }
        return XMLRootProbe.notFHIRReason(XMLRootProbe.probe(file))
    }

    /// A text encoding with two or four bytes a character, which no importer reads.
    struct WideEncoding: Equatable {
        var name: String
        /// The byte order mark, when the file has one.
        var mark: [UInt8]?
        /// What the first character is: `<` for XML, `{` or `[` for JSON.
        var firstCharacter: Unicode.Scalar?

        init?(_ head: [UInt8]) {
            func unit16(_ at: Int, bigEndian: Bool) -> UInt16? {
                guard at + 1 < head.count else { return nil }
                return bigEndian ? UInt16(head[at]) << 8 | UInt16(head[at + 1]) : UInt16(head[at + 1]) << 8 | UInt16(head[at])
            }
            let bigEndian: Bool
            var start = 0
            if head.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
                name = head[0] == 0xFF ? "UTF-32 (little-endian)" : "UTF-32 (big-endian)"
                mark = Array(head.prefix(4))
                firstCharacter = nil
                return
            } else if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
                bigEndian = head[0] == 0xFE
                mark = Array(head.prefix(2))
                start = 2
            } else if head.count >= 4, head[0] != 0, head[1] == 0, head[2] != 0, head[3] == 0 {
                bigEndian = false
                mark = nil
            } else if head.count >= 4, head[0] == 0, head[1] != 0, head[2] == 0, head[3] != 0 {
                bigEndian = true
                mark = nil
            } else {
                return nil
            }
            name = bigEndian ? "UTF-16 (big-endian)" : "UTF-16 (little-endian)"
            var at = start
            firstCharacter = nil
            while let unit = unit16(at, bigEndian: bigEndian) {
                if unit != 0x20 && unit != 0x09 && unit != 0x0A && unit != 0x0D {
                    firstCharacter = Unicode.Scalar(unit)
                    break
                }
                at += 2
            }
        }

        func finding(fileName: String) -> String {
            let kind: String
            let advice: String
            switch firstCharacter {
            case "<"?:
                kind = "XML"
                advice = ", and change its XML declaration's encoding to UTF-8"
            case "{"?, "["?:
                kind = "JSON"
                advice = ""
            default:
                kind = "text"
                advice = ""
            }
            let evidence = mark.map { "by its byte order mark " + $0.map { String(format: "%02X", $0) }.joined(separator: " ") }
                ?? "by its zero bytes between characters"
            let family = name.hasPrefix("UTF-32") ? "UTF-32" : "UTF-16"
            return "it is \(name) \(kind), \(evidence); formulary reads UTF-8 only: convert it first, "
                + "e.g. iconv -f \(family) -t UTF-8 '\(fileName)' > converted\(advice)"
        }
    }

    private static func startsLikeZip(_ url: URL) -> Bool {
        let file = InputFile(displayName: url.lastPathComponent, location: .file(url), byteCount: nil)
        let head = firstBytes(of: file, count: 4)
        return head == [0x50, 0x4B, 0x03, 0x04] || head == [0x50, 0x4B, 0x05, 0x06]
    }

    /// Up to `count` bytes from the start of a file or entry; fewer at its end or on a read error.
    private static func firstBytes(of file: InputFile, count: Int) -> [UInt8] {
        struct Enough: Error {}
        var head: [UInt8] = []
        _ = try? file.stream(chunkSize: min(count, 64 << 10)) { chunk in
            head.append(contentsOf: chunk.prefix(count - head.count))
            if head.count >= count { throw Enough() }
        }
        return head
    }
}
