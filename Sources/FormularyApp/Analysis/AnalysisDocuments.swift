import Foundation
import FormularyAnalysis
import FormularyCriteria

/// What a caller asked for the analysis documents: explicit paths (the CLI's `--criteria` and
/// `--reference`, or nil to resolve) and a pinned criteria version.
public struct DocumentChoice: Sendable {
    public var criteria: String?
    public var reference: String?
    public var criteriaVersion: String?

    public init(criteria: String? = nil, reference: String? = nil, criteriaVersion: String? = nil) {
        self.criteria = criteria
        self.reference = reference
        self.criteriaVersion = criteriaVersion
    }
}

/// The drug reference and criteria in force, where each came from, and the analyzer over them.
public struct AnalysisDocuments: Sendable {
    public var reference: DrugReference
    public var criteria: CriteriaSet
    public var analyzer: TRDAnalyzer
    public var referenceLocation: DataLocations.Resolved
    public var criteriaLocation: DataLocations.Resolved
    public var pinnedVersion: String?

    /// Resolves and loads the documents (`DataLocations` says in which order).
    public static func load(_ choice: DocumentChoice, locations: DataLocations = DataLocations()) throws -> AnalysisDocuments {
        let referenceLocation = try locations.reference(commandLine: choice.reference)
        let criteriaLocation = try locations.criteria(commandLine: choice.criteria)
        let reference = try loadReference(at: referenceLocation)
        let criteria = try loadCriteria(at: criteriaLocation, reference: reference)
        return AnalysisDocuments(reference: reference, criteria: criteria, analyzer: TRDAnalyzer(reference: reference, criteria: criteria),
                                 referenceLocation: referenceLocation, criteriaLocation: criteriaLocation,
                                 pinnedVersion: choice.criteriaVersion)
    }

    /// The drug reference in a resolved folder.
    public static func loadReference(at location: DataLocations.Resolved) throws -> DrugReference {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DocumentError.unreadable(file: location.path, reason: "no such folder (the drug reference, \(location.origin.phrase)"
                + (location.variable.map { ", $\($0)" } ?? "") + ")")
        }
        return try DrugReferenceLoader.load(directory: location.path)
    }

    /// The criteria in a resolved folder or file.
    public static func loadCriteria(at location: DataLocations.Resolved, reference: DrugReference) throws -> CriteriaSet {
        let loader = CriteriaLoader(reference: reference)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location.path, isDirectory: &isDirectory) else {
            throw DocumentError.unreadable(file: location.path, reason: "no such file or folder (the criteria, \(location.origin.phrase)"
                + (location.variable.map { ", $\($0)" } ?? "") + ")")
        }
        if isDirectory.boolValue { return try loader.loadDirectory(location.path) }
        return try loader.loadSet([(try String(contentsOfFile: location.path, encoding: .utf8), location.path)])
    }

    /// The two lines `--verbose` and `criteria show` print.
    public var provenance: [String] {
        ["criteria: \(criteriaLocation.description)", "drug reference: \(referenceLocation.description)"]
    }
}
