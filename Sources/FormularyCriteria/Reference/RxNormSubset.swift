import Foundation
import FormularyModel

/// Reads the bundled `rxnorm_subset.csv` (columns `rxcui,tty,name,ingredient_rxcui,
/// ingredient_name,brand_name,…`; ingredient columns `;`-joined) into `DrugConcept`s, the same
/// values the store's reference import holds. Small file: read whole.
public enum RxNormSubset {
    /// The concepts in the CSV text; rows without an RxCUI are skipped.
    public static func concepts(csv text: String, file: String = "rxnorm_subset.csv") throws -> [DrugConcept] {
        let table = CSVTable(text: text)
        guard let rxcui = table.column("rxcui"), let tty = table.column("tty"), let name = table.column("name"),
              let ingredientCodes = table.column("ingredient_rxcui"), let ingredientNames = table.column("ingredient_name") else {
            throw DocumentError.invalid(file: file, issues: [DocumentIssue(
                kind: .missingField, file: file, line: 1, fieldPath: "header",
                value: table.header.joined(separator: ","),
                problem: "expected columns rxcui, tty, name, ingredient_rxcui, ingredient_name")])
        }
        let brand = table.column("brand_name")
        func split(_ text: String) -> [String] {
            text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return table.rows.compactMap { row in
            func cell(_ index: Int) -> String { index < row.count ? row[index].trimmingCharacters(in: .whitespaces) : "" }
            let code = cell(rxcui)
            guard RxCUI.isWellFormed(code) else { return nil }
            let brandName = brand.map(cell).flatMap { $0.isEmpty ? nil : $0 }
            return DrugConcept(rxcui: RxCUI(code), termType: cell(tty), name: cell(name),
                               ingredients: split(cell(ingredientCodes)).map { RxCUI($0) },
                               ingredientNames: split(cell(ingredientNames)), brandName: brandName)
        }
    }
}
