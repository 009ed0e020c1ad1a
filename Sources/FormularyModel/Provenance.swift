import Foundation

/// The family of file format a snapshot was imported from.
public enum SourceFormat: String, Hashable, Codable, Sendable, CaseIterable {
    /// CMS Medicare Part D prescription drug plan formulary public use files (pipe-delimited).
    case partD = "partd"
    /// CMS QHP marketplace machine-readable JSON (`plans.json`, `drugs.json`).
    case qhp
    /// HL7 Da Vinci US Drug Formulary (FHIR R4, JSON or XML).
    case fhir
    /// A drug reference: RxNorm concepts with their ingredients (the bundled CSV).
    case drugReference = "reference"
    /// An RxNorm monthly release (`RXNCONSO.RRF`, `RXNREL.RRF`, `RXNSAT.RRF`): concepts,
    /// ingredients, brands and NDC → RxCUI.
    case rxnorm

    /// A short human name for tables and reports.
    public var displayName: String {
        switch self {
        case .partD: "Medicare Part D (CMS SPUF)"
        case .qhp: "ACA marketplace (CMS QHP JSON)"
        case .fhir: "FHIR US Drug Formulary"
        case .drugReference: "drug reference (RxNorm concepts)"
        case .rxnorm: "RxNorm release (RRF)"
        }
    }
}

/// One file that went into a snapshot, identified by its content hash.
public struct SourceFile: Hashable, Codable, Sendable {
    /// The file name as it arrived, including any zip path (`SPUF.zip!/basic drugs formulary file  PPUF_2025Q4.txt`).
    public var name: String
    /// Lower-case hexadecimal SHA-256 of the file's bytes.
    public var sha256: String
    public var byteCount: Int64
    /// What the importer read it as (`basic drugs formulary`, `plans.json`, …).
    public var role: String

    public init(name: String, sha256: String, byteCount: Int64, role: String) {
        self.name = name
        self.sha256 = sha256
        self.byteCount = byteCount
        self.role = role
    }
}

/// Where a snapshot's data came from. Every import records one.
public struct ImportProvenance: Hashable, Codable, Sendable {
    /// The source name a snapshot belongs to; the latest snapshot per source is current.
    public var sourceName: String
    public var format: SourceFormat
    public var files: [SourceFile]
    public var importedAt: Date
    public var contractYear: Int?

    public init(sourceName: String, format: SourceFormat, files: [SourceFile], importedAt: Date, contractYear: Int? = nil) {
        self.sourceName = sourceName
        self.format = format
        self.files = files
        self.importedAt = importedAt
        self.contractYear = contractYear
    }
}
