import Foundation

/// Decides which files of the inputs a QHP import reads, and as what, before anything is parsed.
///
/// Files are classified by content (`QHPFileKind.sniff`), names only breaking ties. A
/// `cms-data-index.json` among the inputs names the files to read: each listed plan and formulary
/// URL must have been saved next to the index under the URL's file name, because the importer
/// never downloads. Inside folders and zips only `.json` files are considered; a file given
/// explicitly is always sniffed, and one that is not QHP JSON is an error rather than a warning.
struct QHPInputSelection {
    /// An index that was read in full (it is small), with its digest for provenance.
    struct Index {
        var file: InputFile
        var digest: ContentDigest
        var document: QHPIndexDocument
    }

    private(set) var indexes: [Index] = []
    private(set) var plans: [InputFile] = []
    private(set) var drugs: [InputFile] = []
    private(set) var warnings: [String] = []

    init(catalog: InputCatalog, inputs: [URL]) throws {
        let explicit = Set(inputs.map { Self.key(forPath: $0.path) })
        var candidates: [(file: InputFile, kind: QHPFileKind, explicit: Bool)] = []
        for archive in catalog.unopenedArchives {
            warnings.append("skipped \(archive.displayName): a nested archive")
        }
        var seen = Set<String>()
        for file in catalog.files where seen.insert(Self.key(for: file)).inserted {
            let isExplicit = explicit.contains(Self.key(for: file))
            guard isExplicit || file.fileName.lowercased().hasSuffix(".json") else {
                warnings.append("skipped \(file.displayName): not a .json file")
                continue
            }
            candidates.append((file, QHPFileKind.sniff(file), isExplicit))
        }

        // Indexes first: they decide which of the other files are read.
        var listed: [String: QHPFileKind] = [:]
        var listedFiles: [InputFile] = []
        for candidate in candidates where candidate.kind == .index {
            let index = try Self.readIndex(candidate.file)
            indexes.append(index)
            let document = index.document
            if !document.providerURLs.isEmpty {
                warnings.append(
                    "\(candidate.file.displayName) lists \(document.providerURLs.count) provider file(s); provider directories are not imported")
            }
            if document.formularyURLs.isEmpty {
                warnings.append("\(candidate.file.displayName) lists no formulary_urls (a dental-only issuer has none)")
            }
            for (urls, kind) in [(document.planURLs, QHPFileKind.plans), (document.formularyURLs, .drugs)] {
                for url in urls {
                    let file = try Self.sibling(of: candidate.file, forURL: url, catalog: catalog)
                    let key = Self.key(for: file)
                    if listed[key] == nil {
                        listed[key] = kind
                        listedFiles.append(file)
                    } else {
                        warnings.append("\(candidate.file.displayName) lists \(file.fileName) more than once; it is read once")
                    }
                }
            }
        }

        var taken = Set<String>()
        func take(_ file: InputFile, as kind: QHPFileKind) {
            guard taken.insert(Self.key(for: file)).inserted else { return }
            if kind == .plans { plans.append(file) } else { drugs.append(file) }
        }
        for file in listedFiles {
            // Content wins over the list; a file whose content says nothing keeps its listed role,
            // so the import reports what is wrong with it.
            let listedKind = listed[Self.key(for: file)] ?? .drugs
            let sniffed = candidates.first { Self.key(for: $0.file) == Self.key(for: file) }?.kind ?? QHPFileKind.sniff(file)
            switch sniffed {
            case .plans, .drugs:
                if sniffed != listedKind {
                    warnings.append("\(file.displayName) is listed as a \(listedKind.role) file but holds \(sniffed.role) content; read as \(sniffed.role)")
                }
                take(file, as: sniffed)
            default:
                take(file, as: listedKind)
            }
        }
        for candidate in candidates {
            switch candidate.kind {
            case .index:
                continue
            case .plans, .drugs:
                if !indexes.isEmpty && !candidate.explicit && listed[Self.key(for: candidate.file)] == nil {
                    warnings.append("skipped \(candidate.file.displayName): cms-data-index.json does not list it")
                    continue
                }
                take(candidate.file, as: candidate.kind)
            case .providers:
                warnings.append("skipped \(candidate.file.displayName): provider directories are not imported")
            case .unknown(let reason):
                if candidate.explicit {
                    throw ImportError.unrecognizedFormat(path: candidate.file.displayName, reason: "not CMS QHP JSON: \(reason)")
                }
                warnings.append("skipped \(candidate.file.displayName): not CMS QHP JSON (\(reason))")
            }
        }
    }

    /// Reads an index in full, hashing it.
    private static func readIndex(_ file: InputFile) throws -> Index {
        let source = InputFileByteSource(file: file)
        let reader = JSONReader(source: source)
        do {
            let document = try QHPIndexDocument.read(reader)
            return Index(file: file, digest: try source.digest(), document: document)
        } catch let error as JSONError {
            throw error.importError(file: file.displayName)
        }
    }

    /// The local file an index URL refers to: the URL's file name, next to the index.
    private static func sibling(of index: InputFile, forURL url: String, catalog: InputCatalog) throws -> InputFile {
        guard let name = QHPIndexDocument.fileName(of: url) else {
            throw ImportError.unrecognizedFormat(
                path: index.displayName, reason: "it lists \(RowProblem.quoted(url)), which does not end in a file name")
        }
        let displayName = index.displayName.hasSuffix(index.fileName)
            ? String(index.displayName.dropLast(index.fileName.count)) + name : name
        switch index.location {
        case .file(let indexURL):
            let local = indexURL.deletingLastPathComponent().appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: local.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                if let known = catalog.files.first(where: { key(for: $0) == key(forPath: local.path) }) { return known }
                let size = (try? FileManager.default.attributesOfItem(atPath: local.path)[.size] as? NSNumber)?.int64Value
                return InputFile(displayName: displayName, location: .file(local), byteCount: size)
            }
            throw notLocal(url: url, localPath: local.path, index: index)
        case .archiveEntry(let archive, let path):
            let folder = path.split(separator: "/").dropLast().joined(separator: "/")
            let entryPath = folder.isEmpty ? name : folder + "/" + name
            if let known = catalog.files.first(where: { $0.location == .archiveEntry(archive: archive, path: entryPath) }) {
                return known
            }
            throw notLocal(url: url, localPath: displayName, index: index)
        }
    }

    /// A listed file that is not next to its index: a missing file (the command line's exit 66).
    private static func notLocal(url: String, localPath: String, index: InputFile) -> ImportError {
        .listedFileNotFound(path: localPath, index: index.displayName, listedAs: url)
    }

    /// Identifies a file however it was reached (explicitly, in a folder, through an index).
    private static func key(for file: InputFile) -> String {
        switch file.location {
        case .file(let url): key(forPath: url.path)
        case .archiveEntry(let archive, let path): key(forPath: archive.path) + "!/" + path
        }
    }

    private static func key(forPath path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
