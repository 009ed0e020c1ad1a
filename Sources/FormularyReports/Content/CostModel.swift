import FormularyCriteria
import Foundation
import Yams

/// Every number the plan comparison's yearly cost estimate uses, with its source: the Medicare
/// Part D deductible and out-of-pocket cap per year, the Medicare Advantage and ACA
/// out-of-pocket maximums, Part B's deductible and coinsurance, approximate allowed amounts for
/// the medical-benefit treatments (Spravato, TMS, ECT) and the courses they are priced as.
/// Read from `Formularies/reference/cost_model.yaml` (schema in `cost_model.md`) and validated
/// on load: every problem names the file, the line and the key.
public struct CostModel: Hashable, Sendable, ReferenceDocument {
    public static let fileName = "cost_model.yaml"
    public static let schema = "formulary-cost-model/1"

    /// Medicare Part D's standard benefit for a year (the 2025 redesign: deductible, initial
    /// coverage, then $0 once out-of-pocket spending reaches the cap).
    public struct PartDYear: Hashable, Sendable {
        public var year: Int
        public var maximumDeductible: Decimal
        public var outOfPocketCap: Decimal
        public var citation: String
    }

    /// The Medicare Prescription Payment Plan: spreading drug costs over the year.
    public struct PaymentPlan: Hashable, Sendable {
        public var name: String
        public var startYear: Int
        public var description: String
        public var citation: String
    }

    /// The Medicare Advantage in-network out-of-pocket maximum (medical services) for a year.
    public struct AdvantageYear: Hashable, Sendable {
        public var year: Int
        public var inNetworkOutOfPocketMaximum: Decimal
        public var citation: String
    }

    /// Original Medicare Part B for a year: what a person with a stand-alone drug plan pays for
    /// medical-benefit treatments.
    public struct PartBYear: Hashable, Sendable {
        public var year: Int
        public var deductible: Decimal
        public var coinsurance: Decimal
        public var citation: String
    }

    /// The ACA maximum annual limitation on cost sharing for a year (45 CFR 156.130).
    public struct ACAYear: Hashable, Sendable {
        public var year: Int
        public var selfOnly: Decimal
        public var family: Decimal
        public var citation: String
    }

    /// One billing code's allowed amount.
    public struct Fee: Hashable, Sendable {
        public var code: String
        public var description: String
        public var amount: Decimal
        public var citation: String
    }

    /// A year's table of allowed amounts.
    public struct FeeTable: Hashable, Sendable {
        public var year: Int
        public var basis: String
        public var citation: String
        public var approximate: Bool
        public var fees: [Fee]

        public func fee(_ code: String) -> Fee? { fees.first { $0.code == code } }
    }

    /// How a medical-benefit option is priced: a labelled bundle of billing codes.
    public struct Course: Hashable, Sendable {
        public struct Item: Hashable, Sendable {
            public var code: String
            public var count: Int
        }

        /// The analysis's option id (`esketamine`, `tms`, `ect`).
        public var option: String
        public var label: String
        public var items: [Item]
        public var citation: String
    }

    public var file: String
    public var version: String
    public var source: String
    public var partD: [PartDYear]
    public var paymentPlan: PaymentPlan
    public var medicareAdvantage: [AdvantageYear]
    public var partB: [PartBYear]
    public var acaOutOfPocketMaximum: [ACAYear]
    public var allowedAmounts: [FeeTable]
    public var courses: [Course]

    /// The entry for `year`, else the nearest year the file has (the latest earlier one first);
    /// `exact` says whether it is the year asked for.
    static func pick<T>(_ entries: [T], year: Int, _ yearOf: (T) -> Int) -> (entry: T, exact: Bool)? {
        if let exact = entries.first(where: { yearOf($0) == year }) { return (exact, true) }
        let earlier = entries.filter { yearOf($0) < year }.max { yearOf($0) < yearOf($1) }
        let later = entries.filter { yearOf($0) > year }.min { yearOf($0) < yearOf($1) }
        return (earlier ?? later).map { ($0, false) }
    }

    public func partD(year: Int) -> (entry: PartDYear, exact: Bool)? { Self.pick(partD, year: year, \.year) }
    public func advantage(year: Int) -> (entry: AdvantageYear, exact: Bool)? { Self.pick(medicareAdvantage, year: year, \.year) }
    public func partB(year: Int) -> (entry: PartBYear, exact: Bool)? { Self.pick(partB, year: year, \.year) }
    public func aca(year: Int) -> (entry: ACAYear, exact: Bool)? { Self.pick(acaOutOfPocketMaximum, year: year, \.year) }
    public func fees(year: Int) -> (entry: FeeTable, exact: Bool)? { Self.pick(allowedAmounts, year: year, \.year) }

    /// The courses an option is priced as, in the file's order.
    public func courses(option: String) -> [Course] { courses.filter { $0.option == option } }

    // MARK: Loading (`ReferenceDocument` gives load(directory:), load(path:), load(text:file:))

    public static func parse(_ text: String, _ reader: ReferenceReader) -> CostModel? {
        guard let root = reader.root(text, allowed: ["schema", "version", "source", "partD", "paymentPlan", "medicareAdvantage", "partB",
                                                     "acaOutOfPocketMaximum", "allowedAmounts", "courses"]) else { return nil }
        let header = reader.header(root, schema: schema)
        let money: ClosedRange<Decimal> = 0...1_000_000
        let years = 2006...2100

        var partD: [PartDYear] = []
        for item in reader.list(root, "partD") {
            guard let map = reader.mapping(item.node, item.path, allowed: ["year", "maximumDeductible", "outOfPocketCap", "citation"]) else { continue }
            let entry = (reader.int(map, "year", range: years), reader.decimal(map, "maximumDeductible", range: money),
                         reader.decimal(map, "outOfPocketCap", range: money), reader.citation(map))
            if let year = entry.0, let deductible = entry.1, let cap = entry.2, let citation = entry.3 {
                if deductible > cap { reader.report(map.value("maximumDeductible"), map.path("maximumDeductible"), problem: "the deductible cannot exceed the out-of-pocket cap") }
                partD.append(PartDYear(year: year, maximumDeductible: deductible, outOfPocketCap: cap, citation: citation))
            }
        }
        reader.checkUnique(uniqueYears(reader, root, "partD"), what: "year")

        var paymentPlan = PaymentPlan(name: "", startYear: 0, description: "", citation: "")
        if let node = root.value("paymentPlan"), let map = reader.mapping(node, "paymentPlan", allowed: ["name", "startYear", "description", "citation"]) {
            paymentPlan = PaymentPlan(name: reader.text(map, "name") ?? "", startYear: reader.int(map, "startYear", range: years) ?? 0,
                                      description: reader.text(map, "description") ?? "", citation: reader.citation(map) ?? "")
        } else if root.value("paymentPlan") == nil {
            reader.report(root.node, "paymentPlan", problem: "\"paymentPlan\" is required", kind: .missingField)
        }

        var advantage: [AdvantageYear] = []
        for item in reader.list(root, "medicareAdvantage") {
            guard let map = reader.mapping(item.node, item.path, allowed: ["year", "inNetworkOutOfPocketMaximum", "citation"]) else { continue }
            if let year = reader.int(map, "year", range: years), let maximum = reader.decimal(map, "inNetworkOutOfPocketMaximum", range: money),
               let citation = reader.citation(map) {
                advantage.append(AdvantageYear(year: year, inNetworkOutOfPocketMaximum: maximum, citation: citation))
            }
        }
        reader.checkUnique(uniqueYears(reader, root, "medicareAdvantage"), what: "year")

        var partB: [PartBYear] = []
        for item in reader.list(root, "partB") {
            guard let map = reader.mapping(item.node, item.path, allowed: ["year", "deductible", "coinsurance", "citation"]) else { continue }
            if let year = reader.int(map, "year", range: years), let deductible = reader.decimal(map, "deductible", range: money),
               let coinsurance = reader.decimal(map, "coinsurance", range: 0...1), let citation = reader.citation(map) {
                partB.append(PartBYear(year: year, deductible: deductible, coinsurance: coinsurance, citation: citation))
            }
        }
        reader.checkUnique(uniqueYears(reader, root, "partB"), what: "year")

        var aca: [ACAYear] = []
        for item in reader.list(root, "acaOutOfPocketMaximum") {
            guard let map = reader.mapping(item.node, item.path, allowed: ["year", "selfOnly", "family", "citation"]) else { continue }
            if let year = reader.int(map, "year", range: years), let selfOnly = reader.decimal(map, "selfOnly", range: money),
               let family = reader.decimal(map, "family", range: money), let citation = reader.citation(map) {
                aca.append(ACAYear(year: year, selfOnly: selfOnly, family: family, citation: citation))
            }
        }
        reader.checkUnique(uniqueYears(reader, root, "acaOutOfPocketMaximum"), what: "year")

        var tables: [FeeTable] = []
        for item in reader.list(root, "allowedAmounts") {
            guard let map = reader.mapping(item.node, item.path, allowed: ["year", "basis", "citation", "approximate", "codes"]) else { continue }
            let year = reader.int(map, "year", range: years)
            let basis = reader.text(map, "basis")
            let citation = reader.citation(map)
            let approximate = reader.bool(map, "approximate")
            var fees: [Fee] = []
            var codes: [(key: String, node: Node, path: String)] = []
            for code in reader.list(map, "codes") {
                guard let feeMap = reader.mapping(code.node, code.path, allowed: ["code", "description", "amount", "citation"]) else { continue }
                if let name = reader.text(feeMap, "code"), let description = reader.text(feeMap, "description"),
                   let amount = reader.decimal(feeMap, "amount", range: money), let feeCitation = reader.citation(feeMap) {
                    fees.append(Fee(code: name, description: description, amount: amount, citation: feeCitation))
                    codes.append((name, code.node, feeMap.path("code")))
                }
            }
            reader.checkUnique(codes, what: "code")
            if let year, let basis, let citation, let approximate {
                tables.append(FeeTable(year: year, basis: basis, citation: citation, approximate: approximate, fees: fees))
            }
        }
        reader.checkUnique(uniqueYears(reader, root, "allowedAmounts"), what: "year")

        var courses: [Course] = []
        let knownCodes = Set(tables.flatMap(\.fees).map(\.code))
        for item in reader.list(root, "courses") {
            guard let map = reader.mapping(item.node, item.path, allowed: ["option", "label", "items", "citation"]) else { continue }
            let option = reader.text(map, "option"), label = reader.text(map, "label"), citation = reader.citation(map)
            var items: [Course.Item] = []
            for entry in reader.list(map, "items") {
                guard let itemMap = reader.mapping(entry.node, entry.path, allowed: ["code", "count"]) else { continue }
                if let code = reader.text(itemMap, "code"), let count = reader.int(itemMap, "count", range: 1...1000) {
                    if !knownCodes.contains(code) {
                        reader.report(itemMap.value("code"), itemMap.path("code"), value: code, problem: "no allowed amount for this code in allowedAmounts")
                    }
                    items.append(Course.Item(code: code, count: count))
                }
            }
            if let option, let label, let citation, !items.isEmpty {
                courses.append(Course(option: option, label: label, items: items, citation: citation))
            }
        }

        return CostModel(file: reader.file, version: header.version, source: header.source, partD: partD, paymentPlan: paymentPlan,
                         medicareAdvantage: advantage, partB: partB, acaOutOfPocketMaximum: aca, allowedAmounts: tables, courses: courses)
    }

    /// The `year` of each entry of a list, for the duplicate check.
    private static func uniqueYears(_ reader: ReferenceReader, _ root: ReferenceReader.Map, _ key: String) -> [(key: Int, node: Node, path: String)] {
        guard case .sequence(let sequence)? = root.value(key) else { return [] }
        return sequence.enumerated().compactMap { offset, node in
            guard case .mapping(let mapping) = node, let yearNode = mapping["year"], let year = yearNode.scalar.flatMap({ Int($0.string) }) else { return nil }
            return (year, yearNode, "\(key)[\(offset)].year")
        }
    }
}
