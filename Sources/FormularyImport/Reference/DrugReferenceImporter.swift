import Foundation
import Crypto
import FormularyModel

/// Reads the bundled drug reference (`Formularies/reference/rxnorm_subset.csv`): RxNorm concepts
/// with their ingredients and brand names, so names resolve to the RxCUIs formularies list.
///
/// The file is a comma-separated table with a header; the columns read are `rxcui`, `tty`,
/// `name`, `ingredient_rxcui` and `ingredient_name` (several joined by `;`) and `brand_name`.
public struct DrugReferenceImporter: FormularyImporter {
    public let format = SourceFormat.drugReference
    static let requiredColumns = ["rxcui", "tty", "name", "ingredient_rxcui", "ingredient_name", "brand_name"]

    public init() {}

    /// True when `url` is a CSV whose header has the reference columns.
    public static func recognizes(_ url: URL) -> Bool {
        guard url.pathExtension.lowercased() == "csv", let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4096), let text = String(data: head, encoding: .utf8) else { return false }
        let header = text.prefix { $0 != "\n" && $0 != "\r" }.split(separator: ",").map { $0.lowercased() }
        return requiredColumns.allSatisfy(header.contains)
    }

    public func importFiles(
        _ inputs: [URL], into sink: any ImportSink, progress: (any ImportProgressReporting)?
    ) throws -> ImportOutcome {
        var count = 0
        for url in inputs {
            let name = url.lastPathComponent
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw FileManager.default.fileExists(atPath: url.path)
                    ? ImportError.unreadable(path: url.path, reason: error.localizedDescription)
                    : ImportError.fileNotFound(path: url.path)
            }
            try sink.beginFile(name: name, role: "drug reference")
            guard let text = String(data: data, encoding: .utf8) else {
                throw ImportError.invalidRows(problems: [RowProblem(file: name, line: 0, expected: "UTF-8 text")], total: 1)
            }
            let records: [CSVRecordReader.Record]
            do {
                records = try CSVRecordReader.records(in: text)
            } catch {
                throw ImportError.invalidRows(problems: [RowProblem(file: name, line: error.line, expected: error.message)], total: 1)
            }
            guard let header = records.first else {
                throw ImportError.invalidRows(problems: [RowProblem(file: name, line: 1, expected: "a header row")], total: 1)
            }
            let columns = Dictionary(header.fields.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
            for column in Self.requiredColumns where columns[column] == nil {
                throw ImportError.invalidRows(problems: [RowProblem(file: name, line: 1, field: column, expected: "this column in the header")], total: 1)
            }
            var problems: [RowProblem] = []
            var total = 0
            for record in records.dropFirst() {
                func field(_ column: String) -> String {
                    guard let index = columns[column], index < record.fields.count else { return "" }
                    return record.fields[index].trimmingCharacters(in: .whitespaces)
                }
                guard record.fields.count == header.fields.count else {
                    total += 1
                    if problems.count < ImportError.listedProblemLimit {
                        problems.append(RowProblem(file: name, line: record.line, value: "\(record.fields.count) fields",
                                                   expected: "\(header.fields.count) fields as in the header"))
                    }
                    continue
                }
                let rxcui = field("rxcui")
                let ingredients = field("ingredient_rxcui").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard RxCUI.isWellFormed(rxcui), ingredients.allSatisfy(RxCUI.isWellFormed) else {
                    total += 1
                    if problems.count < ImportError.listedProblemLimit {
                        let bad = RxCUI.isWellFormed(rxcui) ? ("ingredient_rxcui", field("ingredient_rxcui")) : ("rxcui", rxcui)
                        problems.append(RowProblem(file: name, line: record.line, field: bad.0, value: bad.1, expected: "RxCUIs of 1 to 8 digits"))
                    }
                    continue
                }
                let brand = field("brand_name")
                try sink.add(DrugConcept(
                    rxcui: RxCUI(rxcui), termType: field("tty").uppercased(), name: field("name"),
                    ingredients: ingredients.map { RxCUI($0) },
                    ingredientNames: field("ingredient_name").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) },
                    brandName: brand.isEmpty ? nil : brand))
                count += 1
            }
            if total > 0 { throw ImportError.invalidRows(problems: problems, total: total) }
            try sink.finishFile(sha256: SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(), byteCount: Int64(data.count))
            progress?.importProgress(file: name, bytesRead: Int64(data.count), totalBytes: Int64(data.count), rows: count)
        }
        return ImportOutcome(counts: ["concepts": count])
    }
}
