import ArgumentParser
import Foundation
import FormularyApp
import FormularyApp
import FormularyModel
import FormularyStore

/// `formulary lookup`: how one plan covers one drug.
struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Show how a plan covers a drug: tier, restrictions, cost and source.",
        discussion: """
            --drug takes an RxCUI (digits), an NDC (11 digits or dashed), or part of a name; names resolve through the drug reference (import Formularies/reference/rxnorm_subset.csv; `formulary demo` does). A name nothing knows exits 66 with the nearest known names; a known drug the plan does not list is an answer: not covered.

            Examples:
              formulary lookup --plan H9990-001-000 --drug 993557
              formulary lookup --plan H9990-001-000 --drug sertraline
              formulary lookup --plan H9990-001-000 --drug Trintellix --json
            """
    )

    @Option(help: "The plan id, e.g. H9990-001-000 (Part D contract-plan-segment).")
    var plan: String

    @Option(help: "An RxCUI, an NDC, or part of a drug name.")
    var drug: String

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures {
            let answer = try LookupService(store: try store.openExisting()).lookup(plan: plan, drug: drug)
            if output.json {
                try Terminal.printJSON(LookupJSON(answer, query: drug))
                return
            }
            if let note = answer.benefitNote {
                print(LookupText.render(planID: answer.listing.plan.id, query: answer.query, lines: [], plan: answer.listing, benefitNote: note))
                return
            }
            print(LookupText.render(planID: answer.listing.plan.id, query: answer.query, lines: answer.lines, plan: answer.listing))
        }
    }
}

/// The text form of a lookup, for people.
enum LookupText {
    static func render(planID: PlanID, query: DrugQuery, lines: [CoverageLine], plan: PlanListing, benefitNote: String? = nil) -> String {
        var out = ["\(plan.plan.id) \(plan.plan.name ?? "")".trimmingCharacters(in: .whitespaces)]
        out.append("  formulary \(plan.formulary.id)" + (plan.formulary.version.map { " version \($0)" } ?? "")
            + " · source \(plan.snapshot.sourceName), snapshot \(plan.snapshot.id), imported \(plan.snapshot.importedAt.formatted(.iso8601))")
        if let benefitNote {
            out.append("")
            out.append("\(query): \(benefitNote).")
            return out.joined(separator: "\n")
        }
        guard !lines.isEmpty else {
            out.append("")
            out.append("No formulary line for \(query) under this plan: the drug is not on this formulary (not covered),")
            out.append("or the name is not in the drug reference. Ask the plan about a formulary exception.")
            return out.joined(separator: "\n")
        }
        for line in lines {
            out.append("")
            let entry = line.entry
            var title = line.drugName ?? entry.drug.name ?? "RxCUI \(entry.drug.rxcui?.rawValue ?? "?")"
            if let rxcui = entry.drug.rxcui { title += "  (RxCUI \(rxcui)" + (entry.drug.ndc.map { ", NDC \($0)" } ?? "") + ")" }
            out.append(title)
            let category = line.tier?.category ?? .unknown
            var tier = "  Tier \(entry.tierCode) — \(category.displayName)"
            if category == .unknown { tier += " (the source gives no label for this tier)" }
            if line.tier?.isSpecialty == true && category != .specialty { tier += ", specialty" }
            out.append(tier)
            if entry.status == .coveredSupplemental {
                out.append("  Covered as a supplemental benefit (a drug Part D excludes, covered by this enhanced plan)"
                    + (entry.cappedBenefit == true ? "; benefit is capped" : ""))
            }
            out.append("  Prior authorization: \(flag(entry.priorAuthorization))")
            out.append("  Step therapy: \(flag(entry.stepTherapy))")
            out.append("  Quantity limit: \(quantity(entry.quantityLimit))")
            if !line.indications.isEmpty {
                out.append("  Covered only for: \(line.indications.joined(separator: "; "))")
            }
            out.append("  Cost share (initial coverage):")
            let picks: [(String, PharmacyChannel, Int)] = [
                ("30-day preferred retail", .retailPreferred, 30), ("90-day preferred retail", .retailPreferred, 90),
                ("30-day preferred mail", .mailPreferred, 30), ("90-day preferred mail", .mailPreferred, 90),
                ("30-day standard retail", .retailStandard, 30), ("30-day standard mail", .mailStandard, 30),
            ]
            var shown = 0
            for (label, channel, days) in picks {
                guard let cost = line.costShare(channel: channel, daysSupply: days) else { continue }
                out.append("    \(label): \(CostText.describe(cost))")
                shown += 1
            }
            if shown == 0 { out.append("    not in the source data") }
            if let deductible = line.costShares.first(where: { $0.deductibleApplies != nil })?.deductibleApplies {
                out.append("    deductible \(deductible ? "applies" : "does not apply") to this tier")
            }
            var source = "  Source: snapshot \(line.plan.snapshot.id)"
            if let file = line.sourceFile { source += ", \(file)" }
            if let row = entry.sourceLine { source += " line \(row)" }
            out.append(source)
        }
        return out.joined(separator: "\n")
    }

    static func flag(_ flag: UMFlag) -> String {
        switch flag.required {
        case true?: "required" + (flag.newStartsOnly == true ? " (new starts only)" : "")
        case false?: "no"
        case nil: "not stated by the source"
        }
    }

    static func quantity(_ limit: QuantityLimit) -> String {
        switch limit.required {
        case true?:
            var parts: [String] = []
            if let amount = limit.amount, let days = limit.days {
                parts.append("\(amount.formatted()) units per \(days) days")
            } else if let amount = limit.amount {
                parts.append("\(amount.formatted()) units")
            }
            if let daily = limit.maximumDaily { parts.append("at most \(daily.formatted()) a day") }
            if let text = limit.description { parts.append(text) }
            return parts.isEmpty ? "yes (amount not stated)" : "yes, " + parts.joined(separator: "; ")
        case false?: return "no"
        case nil: return "not stated by the source"
        }
    }
}

/// Cost shares in words.
enum CostText {
    static func describe(_ cost: CostShare) -> String {
        guard cost.offered else { return "not offered" }
        var parts: [String] = []
        if let copay = cost.copay { parts.append("\(Money.text(copay)) copay") }
        if let coinsurance = cost.coinsurance {
            parts.append("\((coinsurance * 100).formatted())% coinsurance")
        }
        if let minimum = cost.minimum, minimum > 0 { parts.append("min \(Money.text(minimum))") }
        if let maximum = cost.maximum, maximum > 0 { parts.append("max \(Money.text(maximum))") }
        if let qualifier = cost.qualifier, qualifier != .unknown { parts.append(qualifier.rawValue.replacingOccurrences(of: "-", with: " ")) }
        return parts.isEmpty ? "no charge stated" : parts.joined(separator: ", ")
    }
}
