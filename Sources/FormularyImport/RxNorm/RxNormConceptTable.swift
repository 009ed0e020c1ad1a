import FormularyModel

/// The RxNorm concepts an import keeps in memory between files: one record per RXCUI of a kept
/// term type, with the name to show.
///
/// It is the only part of RXNCONSO that outlives the file (about 170,000 concepts in a full
/// release, a few tens of megabytes), and what the relation and NDC readers look RXCUIs up in.
/// RXCUIs are keyed by their digits packed into a `UInt64` (`FieldBytes.packedKey`), so a lookup
/// from a row costs no `String`.
struct RxNormConceptTable {
    /// One concept.
    struct Concept {
        /// The RXCUI's digits, packed.
        var key: UInt64
        var termType: RxNormTermType
        /// The name of the atom chosen for the concept; empty for term types whose names are
        /// never shown (`RxNormTermType.keepsName`).
        var name: String
        /// True when the chosen atom is not suppressed (`SUPPRESS` = `N`).
        var isCurrent: Bool
    }

    /// Concepts in the order first seen, which is the order they are emitted in.
    private(set) var concepts: [Concept] = []
    private var slots: [UInt64: Int32] = [:]

    var count: Int { concepts.count }
    var isEmpty: Bool { concepts.isEmpty }

    subscript(slot: Int32) -> Concept { concepts[Int(slot)] }

    /// The slot of an RXCUI, if the concept is kept.
    @inline(__always)
    func slot(of key: UInt64) -> Int32? {
        slots[key]
    }

    /// What a new atom of `key` means for the table.
    enum Placement {
        /// The RXCUI is new: record the atom.
        case new
        /// The RXCUI is known from a suppressed atom and this one is current: it replaces the name.
        case replaces(Int32)
        /// The RXCUI already has its name.
        case ignored
    }

    /// Decides what an atom does before its name is decoded, so atoms that change nothing cost nothing.
    func placement(of key: UInt64, isCurrent: Bool) -> Placement {
        guard let slot = slots[key] else { return .new }
        return isCurrent && !concepts[Int(slot)].isCurrent ? .replaces(slot) : .ignored
    }

    /// Records an atom where `placement` said it goes. One concept per RXCUI: the first current
    /// atom names it, or, when every atom is suppressed, the first one.
    mutating func record(_ concept: Concept, at placement: Placement) {
        switch placement {
        case .new:
            slots[concept.key] = Int32(concepts.count)
            concepts.append(concept)
        case .replaces(let slot):
            concepts[Int(slot)] = concept
        case .ignored:
            break
        }
    }

    /// The RXCUI text of a packed key.
    static func rxcui(_ key: UInt64) -> RxCUI {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8)
        var rest = key
        while rest != 0 {
            bytes.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
        return RxCUI(String(decoding: bytes.reversed(), as: UTF8.self))
    }
}
