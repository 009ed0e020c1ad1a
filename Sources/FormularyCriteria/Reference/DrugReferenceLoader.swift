import Foundation
import Yams
import FormularyModel

/// Loads `trd_drugs.yaml` (schema in `Formularies/reference/trd_drugs.md`) and the RxNorm subset
/// into a `DrugReference`, reporting every problem with file, line and field.
public enum DrugReferenceLoader {
    /// The file names inside a reference folder.
    public static let optionsFile = "trd_drugs.yaml"
    public static let conceptsFile = "rxnorm_subset.csv"

    /// Loads `trd_drugs.yaml`, `rxnorm_subset.csv` and `safety_rules.yaml` from a folder (`Formularies/reference`).
    public static func load(directory: String) throws -> DrugReference {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let optionsText = try readText(base + optionsFile)
        let conceptsText = try readText(base + conceptsFile)
        let safety = try SafetyRulesLoader.load(text: try readText(base + SafetyRulesLoader.fileName), file: base + SafetyRulesLoader.fileName)
        let concepts = try RxNormSubset.concepts(csv: conceptsText, file: base + conceptsFile)
        return try load(yaml: optionsText, file: base + optionsFile, concepts: concepts, safety: safety)
    }

    /// Parses reference YAML against already-loaded concepts and safety rules.
    public static func load(yaml text: String, file: String, concepts: [DrugConcept], safety: SafetyRules) throws -> DrugReference {
        let reader = DocumentReader(file: file)
        guard let root = reader.parse(text), let top = reader.mapping(root, "", allowed: ["schema", "source", "notes", "options"]) else {
            try reader.throwIfInvalid()
            throw DocumentError.invalid(file: file, issues: reader.issues)
        }
        if let schema = reader.string(top, "schema", required: true), schema != "formulary-drug-reference/1" {
            reader.report(.invalidValue, top.value("schema"), "schema", value: schema, problem: "expected formulary-drug-reference/1")
        }
        var options: [DrugOption] = []
        for item in reader.list(top, "options", required: true) {
            if let option = readOption(item.node, item.path, reader) { options.append(option) }
        }
        try reader.throwIfInvalid()
        return try DrugReference(options: options, concepts: concepts, safety: safety, file: file)
    }

    static let optionKeys: Set<String> = [
        "id", "name", "brands", "aliases", "kind", "class", "antidepressant", "properties", "benefit", "route",
        "minTrdMgPerDay", "genericAvailable", "trdOption", "washoutBeforeMAOIDays", "defaultWhenDiagnosis", "ingredients", "components",
        "productOf", "products", "codes", "relatedCodes", "notes",
    ]

    static func readOption(_ node: Node, _ path: String, _ reader: DocumentReader) -> DrugOption? {
        guard let map = reader.mapping(node, path, allowed: optionKeys) else { return nil }
        guard let id = reader.string(map, "id", required: true) else { return nil }
        reader.ruleID = nil
        let name = reader.string(map, "name") ?? id
        let kindText = reader.string(map, "kind") ?? "ingredient"
        guard let kind = DrugOption.Kind(rawValue: kindText) else {
            reader.report(.invalidValue, map.value("kind"), map.path("kind"), value: kindText,
                          problem: "kind must be ingredient, combination, brand-product, procedure or interaction-agent")
            return nil
        }
        let classText = reader.string(map, "class", required: true) ?? "other"
        let drugClass = DrugClass(name: classText) ?? {
            reader.report(.unknownClass, map.value("class"), map.path("class"), value: classText, problem: "unknown class")
            return .other
        }()
        var properties: Set<DrugProperty> = []
        for (index, text) in reader.strings(map, "properties").enumerated() {
            if let property = DrugProperty(rawValue: text) { properties.insert(property) } else {
                reader.report(.invalidValue, map.value("properties"), "\(map.path("properties"))[\(index)]", value: text,
                              problem: "unknown property; known: \(DrugProperty.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let benefitText = reader.string(map, "benefit") ?? "pharmacy"
        let benefit = DrugOption.Benefit(rawValue: benefitText) ?? {
            reader.report(.invalidValue, map.value("benefit"), map.path("benefit"), value: benefitText, problem: "benefit must be pharmacy, medical or behavioral-health")
            return .pharmacy
        }()
        let routeText = reader.string(map, "route") ?? (kind == .procedure ? "procedure" : "oral")
        let route = DrugOption.Route(rawValue: routeText) ?? {
            reader.report(.invalidValue, map.value("route"), map.path("route"), value: routeText, problem: "route must be oral, transdermal, nasal, intravenous or procedure")
            return .oral
        }()
        let ingredients = reader.list(map, "ingredients").compactMap { readCode($0.node, $0.path, reader) }
        let related = reader.list(map, "relatedCodes").compactMap { readCode($0.node, $0.path, reader) }
        var products = ProductFilter()
        if let productsNode = map.value("products"),
           let productMap = reader.mapping(productsNode, map.path("products"), allowed: ["termTypes", "brands", "nameContains", "rxcuis"]) {
            products = ProductFilter(termTypes: reader.strings(productMap, "termTypes"), brands: reader.strings(productMap, "brands"),
                                     nameContains: reader.string(productMap, "nameContains"),
                                     rxcuis: reader.strings(productMap, "rxcuis").map { RxCUI($0) })
        }
        var codes: [ProcedureCode] = []
        for item in reader.list(map, "codes") {
            guard let codeMap = reader.mapping(item.node, item.path, allowed: ["system", "code", "meaning"]),
                  let system = reader.string(codeMap, "system", required: true),
                  let code = reader.string(codeMap, "code", required: true) else { continue }
            codes.append(ProcedureCode(system: system, code: code, meaning: reader.string(codeMap, "meaning")))
        }
        let antidepressant = reader.bool(map, "antidepressant") ?? false
        if antidepressant && !drugClass.isAntidepressantClass && kind != .combination && kind != .brandProduct {
            reader.report(.invalidValue, map.value("antidepressant"), map.path("antidepressant"), value: "true",
                          problem: "only SSRI, SNRI, NDRI, NaSSA, SARI, TCA, MAOI and serotonin-modulator options count as antidepressants (DOMAIN.md §5.0 rule 10)")
        }
        return DrugOption(
            id: id, name: name, brands: reader.strings(map, "brands"), aliases: reader.strings(map, "aliases"), kind: kind,
            ingredients: ingredients, components: reader.strings(map, "components"), productOf: reader.string(map, "productOf"),
            drugClass: drugClass, countsAsAntidepressant: antidepressant, properties: properties, benefit: benefit, route: route,
            minTrdMgPerDay: reader.double(map, "minTrdMgPerDay"), genericAvailable: reader.bool(map, "genericAvailable"),
            trdOption: reader.bool(map, "trdOption") ?? false, washoutBeforeMAOIDays: reader.int(map, "washoutBeforeMAOIDays", range: 0...60),
            defaultWhenDiagnosis: reader.strings(map, "defaultWhenDiagnosis"),
            products: products, procedureCodes: codes, relatedCodes: related, notes: reader.string(map, "notes"))
    }

    static func readCode(_ node: Node, _ path: String, _ reader: DocumentReader) -> IngredientCode? {
        guard let map = reader.mapping(node, path, allowed: ["name", "rxcui", "status", "tty"]),
              let name = reader.string(map, "name", required: true),
              let status = reader.string(map, "status", required: true) else { return nil }
        let code = reader.string(map, "rxcui")
        if let code, !RxCUI.isWellFormed(code) {
            reader.report(.invalidValue, map.value("rxcui"), map.path("rxcui"), value: code, problem: "an RxCUI is 1 to 8 digits")
            return nil
        }
        return IngredientCode(name: name, rxcui: code.map { RxCUI($0) }, status: status, termType: reader.string(map, "tty"))
    }

    static func readText(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DocumentError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
    }
}
