/// Identifiers are text: leading zeros matter (`00026408`, NDC `00002143380`, plan `007`).

/// An RxNorm concept unique identifier, kept verbatim as text.
public struct RxCUI: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: RxCUI, rhs: RxCUI) -> Bool { lhs.rawValue < rhs.rawValue }

    /// True when the text has the shape of an RxCUI: 1 to 8 ASCII digits.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.count <= 8 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

/// An 11-digit National Drug Code in HIPAA 5-4-2 form without dashes, kept as text.
public struct NDC: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: NDC, rhs: NDC) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The labeler part (first 5 digits): a change here with the same RxCUI is a manufacturer switch.
    public var labeler: String { String(rawValue.prefix(5)) }

    /// True when the text is exactly 11 ASCII digits.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 11 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

/// A plan's identifier in its source: `H0028-007-000` (Part D contract-plan-segment),
/// a 14-character HIOS id (QHP), or a FHIR resource identifier.
public struct PlanID: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: PlanID, rhs: PlanID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The Part D plan key `CONTRACT-PLAN-SEGMENT`.
    public static func partD(contract: String, plan: String, segment: String) -> PlanID {
        PlanID("\(contract)-\(plan)-\(segment)")
    }
}

/// A formulary's identifier in its source: `00026408` (Part D), a HIOS plan id (QHP has one
/// formulary per plan), or a FHIR Formulary identifier.
public struct FormularyID: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: FormularyID, rhs: FormularyID) -> Bool { lhs.rawValue < rhs.rawValue }
}
