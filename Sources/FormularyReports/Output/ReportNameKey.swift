import Crypto
import Foundation

/// The secret that keys the hash standing for a person in report file names. Without it, a
/// short hash of a short label (a study id, initials) is easy to reverse by trying every label;
/// with it, the same label gives the same name on one database and an unrelated one elsewhere.
/// The CLI reads it from the database (`FormularyStore.reportNameKey()`, 32 random bytes made on
/// first use); it is never written into a report.
public struct ReportNameKey: Hashable, Sendable {
    private let bytes: Data

    /// The shortest secret accepted, in bytes.
    public static let minimumLength = 16

    /// nil when `bytes` is shorter than `minimumLength`.
    public init?(_ bytes: Data) {
        guard bytes.count >= Self.minimumLength else { return nil }
        self.bytes = bytes
    }

    public static func == (lhs: ReportNameKey, rhs: ReportNameKey) -> Bool { lhs.bytes == rhs.bytes }

    public func hash(into hasher: inout Hasher) {
        // Never the secret itself: equal keys have equal lengths, which is all a hash needs.
        hasher.combine(bytes.count)
    }

    /// HMAC-SHA256 of `text` under the key, as lowercase hex.
    func hex(_ text: String) -> String {
        ReportHash.hmacHex(key: bytes, message: text)
    }
}

/// The digests report file names use, from swift-crypto.
enum ReportHash {
    /// SHA-256 of `text` as lowercase hex (for a caller-chosen label that has no safe characters).
    static func sha256Hex(_ text: String) -> String {
        hex(Array(SHA256.hash(data: Data(text.utf8))))
    }

    /// HMAC-SHA256 of `message` under `key`, as lowercase hex.
    static func hmacHex(key: Data, message: String) -> String {
        hex(Array(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: key))))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }
}
