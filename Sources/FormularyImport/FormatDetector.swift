import Foundation
import FormularyModel

/// Tells which importer reads a set of inputs, by looking at their content and names, and makes
/// the importer for a format. One place knows every format, so the CLI only delegates.
public enum FormatDetector {
    /// The format of `inputs`; every input must agree.
    public static func detect(_ inputs: [URL]) throws -> SourceFormat {
        var found: SourceFormat?
        for url in inputs {
            guard FileManager.default.fileExists(atPath: url.path) else { throw ImportError.fileNotFound(path: url.path) }
            // No importer recognizes it: say why when the bytes show it (a truncated or encrypted
            // zip, UTF-16, XML refused for a DOCTYPE), else list what formulary reads.
            guard let format = detect(url) else { throw InputDiagnosis.error(for: url) }
            if let found, found != format {
                throw ImportError.unrecognizedFormat(
                    path: url.path, reason: "it looks like \(format.displayName) but earlier inputs look like \(found.displayName); import them separately")
            }
            found = format
        }
        guard let found else { throw ImportError.unrecognizedFormat(path: "(no inputs)", reason: "name at least one file or folder") }
        return found
    }

    static func detect(_ url: URL) -> SourceFormat? {
        if DrugReferenceImporter.recognizes(url) { return .drugReference }
        if RxNormImporter.recognizes(url) { return .rxnorm }
        if PartDImporter.recognizes(url) { return .partD }
        if QHPImporter.recognizes(url) { return .qhp }
        if FHIRImporter.recognizes(url) { return .fhir }
        return nil
    }

    /// The importer for `format`.
    public static func importer(for format: SourceFormat, options: ImportOptions) throws -> any FormularyImporter {
        switch format {
        case .partD: return PartDImporter(options: options)
        case .drugReference: return DrugReferenceImporter()
        case .qhp: return QHPImporter(options: options)
        case .rxnorm: return RxNormImporter(options: options)
        case .fhir: return FHIRImporter(options: options)
        }
    }
}
