import Foundation
import Yams

/// The clinical safety rules as data (`Formularies/reference/safety_rules.yaml`): washouts, dose
/// caps, age thresholds, blocking conditions, interaction pairs, the score rise that flags a
/// generic switch, and how each kind of option is used by default. The analysis reads every
/// number here; only the logic that combines them is Swift.
public struct SafetyRules: Hashable, Sendable {
    /// One numbered rule (S1…S20) with its parameters.
    public struct Rule: Hashable, Sendable {
        public var id: String
        public var title: String
        public var effect: String
        public var citation: String
        /// Named numbers (`washoutDays: 14`, `maxMgPerDay: 450`, `mddAdjunctExemption: 1`).
        public var parameters: [String: Double]
        /// Conditions that trigger the rule (S5, S10, S11, S14).
        public var conditions: [ClinicalCondition]
        public var line: Int?

        public func number(_ name: String) -> Double? { parameters[name] }
        public func flag(_ name: String) -> Bool { (parameters[name] ?? 0) != 0 }
    }

    /// Which drugs a side of an interaction pair matches: any of the properties, classes or ids.
    public struct Selector: Hashable, Sendable {
        public var properties: Set<DrugProperty>
        public var classes: Set<DrugClass>
        public var options: Set<String>

        public func matches(_ option: DrugOption) -> Bool {
            options.contains(option.id) || classes.contains(option.drugClass) || properties.contains { option.has($0) }
        }
    }

    /// A pair rule: starting a drug `option` matches while one `with` matches is on board (and the
    /// other way round when `bothWays`) gives a finding with `message`.
    public struct Interaction: Hashable, Sendable {
        public var id: String
        public var title: String
        public var effect: Effect
        public var option: Selector
        public var with: Selector
        public var bothWays: Bool
        /// With `{option}` and `{others}` to fill in.
        public var message: String
        public var citation: String
        public var line: Int?
    }

    /// What an interaction pair does.
    public enum Effect: String, Hashable, Sendable, CaseIterable {
        case warn, adjust, block
    }

    /// Options used as add-ons unless the profile or the command line says otherwise; every other
    /// option switches (replaces the current antidepressant).
    public struct Uses: Hashable, Sendable {
        public var addOnClasses: Set<DrugClass>
        public var addOnOptions: Set<String>
        public var citation: String

        public func defaultUse(for option: DrugOption) -> OptionUse {
            addOnOptions.contains(option.id) || addOnClasses.contains(option.drugClass) || option.kind == .procedure ? .addOn : .switch
        }
    }

    /// The order strategy groups are ranked in, before and after treatment resistance. The names
    /// are the analysis's strategy ids (`switch-within-class`, `augment`, …).
    public struct StrategyOrder: Hashable, Sendable {
        public var resistantAfterAdequateTrials: Int
        public var beforeResistance: [String]
        public var afterResistance: [String]
        public var citation: String
    }

    /// The score rise after a labeler switch that is flagged beside it.
    public struct ScoreWorsening: Hashable, Sendable {
        public var scale: String
        public var minimumRise: Double
        public var citation: String
    }

    public var file: String
    public var version: String
    public var effective: Day
    public var rules: [String: Rule]
    public var interactions: [Interaction]
    public var uses: Uses
    public var strategies: StrategyOrder
    public var scoreWorsening: ScoreWorsening

    /// Every rule id: numbered rules and interaction pairs.
    public var ids: Set<String> { Set(rules.keys).union(interactions.map(\.id)) }

    /// A rule's number; the loader guarantees every number the analysis asks for exists.
    public func number(_ rule: String, _ name: String) -> Double {
        rules[rule]?.parameters[name] ?? 0
    }

    public func rule(_ id: String) -> Rule? { rules[id] }
}

/// Reads and validates `safety_rules.yaml`; every problem names the file, the line and the rule.
public enum SafetyRulesLoader {
    public static let fileName = "safety_rules.yaml"
    /// The strategy ids the ranking knows (FormularyAnalysis `Strategy`).
    public static let strategyIDs: Set<String> = ["switch-within-class", "switch-class", "augment", "esketamine", "neuromodulation", "psychotherapy"]

    /// The numbers each rule must carry, because the analysis reads them.
    static let required: [String: [String]] = [
        "S1": ["washoutDays"], "S2": ["longWashoutDays"], "S3": ["defaultWashoutDays"], "S5": [], "S6": ["maxMgPerDay"],
        "S7": ["doseFraction", "mddAdjunctExemption"], "S8": ["doseFraction", "poorMetabolizerWithCYP3A4DoseFraction", "mddAdjunctExemption"],
        "S9": ["maxMgPerDay", "reducedMaxMgPerDay", "reducedAboveAge"], "S10": ["moderateCYP3A4DoseFraction"], "S11": [],
        "S13": ["windowDays"], "S14": [], "S16": ["hoursBefore", "hoursAfter"], "S17": ["hoursBefore", "hoursAfterFrom", "hoursAfterTo"],
        "S18": ["noDrivingHours"], "S19": ["minimumAge"],
    ]
    /// Rules whose trigger is a list of conditions.
    static let conditionRules: Set<String> = ["S5", "S10", "S11", "S14"]
    /// Parameters that are yes/no (written true/false).
    static let flags: Set<String> = ["mddAdjunctExemption"]

    public static func load(text: String, file: String) throws -> SafetyRules {
        let reader = DocumentReader(file: file)
        guard let root = reader.parse(text),
              let top = reader.mapping(root, "", allowed: ["schema", "version", "effective", "source", "uses", "strategies", "scoreWorsening", "rules", "interactions"]) else {
            try reader.throwIfInvalid()
            throw DocumentError.invalid(file: file, issues: reader.issues)
        }
        if let schema = reader.string(top, "schema", required: true), schema != "formulary-safety-rules/1" {
            reader.report(.invalidValue, top.value("schema"), "schema", value: schema, problem: "expected formulary-safety-rules/1")
        }
        let version = reader.string(top, "version", required: true) ?? ""
        let effective = reader.day(top, "effective", required: true) ?? Day(ordinal: 0)
        let uses = readUses(top, reader)
        let worsening = readWorsening(top, reader)
        let strategies = readStrategies(top, reader)
        var rules: [String: SafetyRules.Rule] = [:]
        for item in reader.list(top, "rules", required: true) {
            guard let rule = readRule(item.node, item.path, reader) else { continue }
            if rules[rule.id] != nil {
                reader.report(.duplicate, item.node, item.path + ".id", value: rule.id, problem: "rule \(rule.id) is declared twice")
            }
            rules[rule.id] = rule
        }
        reader.ruleID = nil
        for (id, names) in required.sorted(by: { $0.key < $1.key }) where rules[id] == nil {
            reader.report(.missingField, top.value("rules"), "rules", value: id, problem: "rule \(id) is missing; the analysis needs \(names.isEmpty ? "its conditions" : names.joined(separator: ", "))")
        }
        var interactions: [SafetyRules.Interaction] = []
        for item in reader.list(top, "interactions") {
            if let interaction = readInteraction(item.node, item.path, reader) { interactions.append(interaction) }
        }
        reader.ruleID = nil
        try reader.throwIfInvalid()
        return SafetyRules(file: file, version: version, effective: effective, rules: rules, interactions: interactions, uses: uses,
                           strategies: strategies, scoreWorsening: worsening)
    }

    static func readUses(_ top: MappingView, _ reader: DocumentReader) -> SafetyRules.Uses {
        var uses = SafetyRules.Uses(addOnClasses: [], addOnOptions: [], citation: "")
        guard let node = top.value("uses"), let map = reader.mapping(node, "uses", allowed: ["addOn"]),
              let addOnNode = map.value("addOn"), let addOn = reader.mapping(addOnNode, "uses.addOn", allowed: ["classes", "options", "citation"]) else {
            reader.report(.missingField, top.node, "uses", problem: "\"uses: addOn:\" is required (which classes and options add on)")
            return uses
        }
        for (index, name) in reader.strings(addOn, "classes").enumerated() {
            if let drugClass = DrugClass(name: name) { uses.addOnClasses.insert(drugClass) } else {
                reader.report(.unknownClass, addOn.value("classes"), "uses.addOn.classes[\(index)]", value: name, problem: "unknown class")
            }
        }
        uses.addOnOptions = Set(reader.strings(addOn, "options"))
        uses.citation = reader.string(addOn, "citation", required: true) ?? ""
        return uses
    }

    static func readWorsening(_ top: MappingView, _ reader: DocumentReader) -> SafetyRules.ScoreWorsening {
        guard let node = top.value("scoreWorsening"), let map = reader.mapping(node, "scoreWorsening", allowed: ["scale", "minimumRise", "citation"]) else {
            reader.report(.missingField, top.node, "scoreWorsening", problem: "\"scoreWorsening\" is required (scale, minimumRise, citation)")
            return .init(scale: "PHQ-9", minimumRise: 0, citation: "")
        }
        let rise = reader.double(map, "minimumRise", required: true) ?? 0
        if rise <= 0 { reader.report(.invalidValue, map.value("minimumRise"), "scoreWorsening.minimumRise", value: "\(rise)", problem: "must be above 0") }
        return .init(scale: reader.string(map, "scale", required: true) ?? "PHQ-9", minimumRise: rise,
                     citation: reader.string(map, "citation", required: true) ?? "")
    }

    static func readStrategies(_ top: MappingView, _ reader: DocumentReader) -> SafetyRules.StrategyOrder {
        var order = SafetyRules.StrategyOrder(resistantAfterAdequateTrials: 2, beforeResistance: [], afterResistance: [], citation: "")
        guard let node = top.value("strategies"),
              let map = reader.mapping(node, "strategies", allowed: ["resistantAfterAdequateTrials", "beforeResistance", "afterResistance", "citation"]) else {
            reader.report(.missingField, top.node, "strategies", problem: "\"strategies\" is required (the order strategy groups are ranked in)")
            return order
        }
        order.resistantAfterAdequateTrials = reader.int(map, "resistantAfterAdequateTrials", required: true, range: 1...10) ?? 2
        for key in ["beforeResistance", "afterResistance"] {
            let names = reader.strings(map, key, required: true)
            for (index, name) in names.enumerated() where !strategyIDs.contains(name) {
                reader.report(.invalidValue, map.value(key), "strategies.\(key)[\(index)]", value: name,
                              problem: "unknown strategy; known: \(strategyIDs.sorted().joined(separator: ", "))")
            }
            if Set(names) != strategyIDs {
                reader.report(.invalidValue, map.value(key), "strategies.\(key)", value: names.joined(separator: ", "),
                              problem: "must list each strategy once: \(strategyIDs.sorted().joined(separator: ", "))")
            }
            if key == "beforeResistance" { order.beforeResistance = names } else { order.afterResistance = names }
        }
        order.citation = reader.string(map, "citation", required: true) ?? ""
        return order
    }

    static func readRule(_ node: Node, _ path: String, _ reader: DocumentReader) -> SafetyRules.Rule? {
        guard case .mapping(let mapping) = node else {
            reader.report(.wrongType, node, path, problem: "expected a mapping with id, title, effect, citation and the rule's numbers")
            return nil
        }
        guard let map = reader.mapping(node, path) else { return nil }
        guard let id = reader.string(map, "id", required: true) else { return nil }
        reader.ruleID = id
        guard let names = required[id] else {
            reader.report(.unknownSafetyRule, map.value("id"), path + ".id", value: id, problem: "no analysis rule has this id; known: \(required.keys.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }.joined(separator: ", "))")
            return nil
        }
        var rule = SafetyRules.Rule(id: id, title: reader.string(map, "title", required: true) ?? "", effect: reader.string(map, "effect", required: true) ?? "",
                                    citation: reader.string(map, "citation") ?? "", parameters: [:], conditions: [], line: node.mark?.line)
        if rule.citation.isEmpty {
            reader.report(.missingCitation, map.value("citation") ?? node, path + ".citation", problem: "every safety rule needs a citation")
        }
        let known: Set<String> = ["id", "title", "effect", "citation", "conditions"]
        for (key, keyNode, value) in map.entries where !known.contains(key) {
            if flags.contains(key) {
                guard let flag = value.bool else {
                    reader.report(.wrongType, value, path + "." + key, value: value.scalar?.string, problem: "expected true or false")
                    continue
                }
                rule.parameters[key] = flag ? 1 : 0
            } else if let number = value.float ?? value.int.map(Double.init) {
                guard number >= 0 else {
                    reader.report(.invalidValue, value, path + "." + key, value: value.scalar?.string, problem: "must not be negative")
                    continue
                }
                rule.parameters[key] = number
            } else {
                reader.report(.wrongType, keyNode, path + "." + key, value: value.scalar?.string, problem: "expected a number")
            }
        }
        _ = mapping
        for name in names where rule.parameters[name] == nil {
            reader.report(.missingField, node, path + "." + name, problem: "rule \(id) needs \"\(name)\"")
        }
        if conditionRules.contains(id) {
            let texts = reader.strings(map, "conditions", required: true)
            for (index, text) in texts.enumerated() {
                if let condition = ClinicalCondition(text: text) { rule.conditions.append(condition) } else {
                    reader.report(.invalidValue, map.value("conditions"), path + ".conditions[\(index)]", value: text, problem: "unknown condition")
                }
            }
        }
        return rule
    }

    static func readInteraction(_ node: Node, _ path: String, _ reader: DocumentReader) -> SafetyRules.Interaction? {
        guard let map = reader.mapping(node, path, allowed: ["id", "title", "effect", "option", "with", "bothWays", "message", "citation"]) else { return nil }
        guard let id = reader.string(map, "id", required: true) else { return nil }
        reader.ruleID = id
        let effectText = reader.string(map, "effect", required: true) ?? "warn"
        let effect = SafetyRules.Effect(rawValue: effectText) ?? {
            reader.report(.invalidValue, map.value("effect"), path + ".effect", value: effectText, problem: "effect must be warn, adjust or block")
            return .warn
        }()
        let message = reader.string(map, "message", required: true) ?? ""
        if !message.contains("{others}") {
            reader.report(.invalidValue, map.value("message"), path + ".message", value: message, problem: "the message must name the other drugs with {others}")
        }
        let citation = reader.string(map, "citation") ?? ""
        if citation.isEmpty { reader.report(.missingCitation, map.value("citation") ?? node, path + ".citation", problem: "every safety rule needs a citation") }
        return SafetyRules.Interaction(
            id: id, title: reader.string(map, "title", required: true) ?? "", effect: effect,
            option: readSelector(map, "option", path, reader), with: readSelector(map, "with", path, reader),
            bothWays: reader.bool(map, "bothWays") ?? false, message: message, citation: citation, line: node.mark?.line)
    }

    static func readSelector(_ parent: MappingView, _ key: String, _ path: String, _ reader: DocumentReader) -> SafetyRules.Selector {
        var selector = SafetyRules.Selector(properties: [], classes: [], options: [])
        guard let node = parent.value(key), let map = reader.mapping(node, path + "." + key, allowed: ["properties", "classes", "options"]) else {
            reader.report(.missingField, parent.node, path + "." + key, problem: "\"\(key)\" is required (properties, classes or options)")
            return selector
        }
        for (index, name) in reader.strings(map, "properties").enumerated() {
            if let property = DrugProperty(rawValue: name) { selector.properties.insert(property) } else {
                reader.report(.invalidValue, map.value("properties"), "\(path).\(key).properties[\(index)]", value: name, problem: "unknown drug property")
            }
        }
        for (index, name) in reader.strings(map, "classes").enumerated() {
            if let drugClass = DrugClass(name: name) { selector.classes.insert(drugClass) } else {
                reader.report(.unknownClass, map.value("classes"), "\(path).\(key).classes[\(index)]", value: name, problem: "unknown class")
            }
        }
        selector.options = Set(reader.strings(map, "options"))
        if selector.properties.isEmpty && selector.classes.isEmpty && selector.options.isEmpty {
            reader.report(.missingField, node, path + "." + key, problem: "name at least one property, class or option")
        }
        return selector
    }
}
