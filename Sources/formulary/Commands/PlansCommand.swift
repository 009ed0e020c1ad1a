import ArgumentParser
import Foundation
import FormularyApp
import FormularyModel
import FormularyStore

/// `formulary plans`: list or search the plans in the current data.
struct PlansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans",
        abstract: "List or search plans in the current snapshots.",
        discussion: """
            Examples:
              formulary plans
              formulary plans --search "Reference Formulary M"
              formulary plans --search AZ --year 2026 --json
            """
    )

    @Option(help: "Text to find in the plan id, name, organization, formulary id or state.")
    var search: String?

    @Option(help: "Only plans for this contract year.")
    var year: Int?

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures {
            let plans = try store.openExisting().plans(search: search, year: year)
            if output.json {
                try Terminal.printJSON(plans)
                return
            }
            guard !plans.isEmpty else {
                print(search == nil ? "No plans imported yet; run `formulary import` first." : "No plan matches \"\(search ?? "")\".")
                return
            }
            let rows = plans.map { listing -> [String] in
                let plan = listing.plan
                return [
                    plan.id.rawValue, plan.name ?? "", listing.formulary.id.rawValue, plan.year.map(String.init) ?? "",
                    plan.premiumMonthly.map { Money.text($0) } ?? "", plan.drugDeductible.map { Money.text($0) } ?? "",
                    plan.states.joined(separator: ","), "\(listing.snapshot.sourceName) #\(listing.snapshot.id)",
                ]
            }
            print(Terminal.table(["PLAN", "NAME", "FORMULARY", "YEAR", "PREMIUM", "DEDUCTIBLE", "STATES", "SOURCE"], rows))
            print("\(plans.count) plan\(plans.count == 1 ? "" : "s")")
        }
    }
}

/// Dollar amounts for people.
enum Money {
    static func text(_ value: Decimal) -> String {
        value.formatted(.currency(code: "USD").locale(Locale(identifier: "en_US")))
    }
}
