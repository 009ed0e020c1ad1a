import Foundation
import FormularyCriteria
import FormularyModel

/// Finds how a plan covers each option: the best formulary line among the option's
/// SCD/SBD RxCUIs (fetched for every plan at once from the `CoverageProvider`), else the criteria
/// file's line (MB, not covered, no RxCUI in the reference), else "not on the formulary".
struct CoverageResolver {
    /// What the resolver found for one option.
    struct Resolved {
        var summary: CoverageSummary
        /// True when a formulary line was used: its PA/ST flags (in `summary`) then decide which
        /// rules apply.
        var fromLine: Bool
        var criteriaLine: CriteriaLine?
        var criteriaBasis: CriteriaBasis?
    }

    let listing: PlanListing?
    let lines: [CoverageLine]
    /// What `pick` compares, per line: read once, so choosing a line never copies one.
    let facts: [LineFacts]
    /// Per option (position in `OptionTable.all`): its lines as (place of the line's RxCUI among
    /// the option's products, position in `lines`), in line order.
    let linesByOption: [[(rank: Int, line: Int)]]
    let table: OptionTable
    let reference: DrugReference
    let policy: ResolvedPolicy
    /// Answers about the policy shared with the analysis's other plans.
    private(set) var memo: EvaluationMemo
    let policySerial: Int
    /// "snapshot N (source), file" of each line (its position in `provenancePrefixes`): a plan's
    /// lines mostly share one snapshot and file, so the prefix is built once per pair, not per
    /// summary.
    let provenancePrefix: [Int]
    let provenancePrefixes: [String]

    struct LineFacts {
        var covered: Bool
        var rxcui: RxCUI?
        /// How many of PA and ST the line requires.
        var um: Int
        var tierCode: String
        /// The 30-day cost share (`cost(of:)`).
        var cost: CostEstimate?
    }

    init(lines: [CoverageLine], listing: PlanListing?, reference: DrugReference, table: OptionTable, policy: ResolvedPolicy, memo: EvaluationMemo) {
        self.listing = listing
        self.reference = reference
        self.table = table
        self.policy = policy
        self.memo = memo
        policySerial = memo.serial(of: policy)
        var grouped = [[(rank: Int, line: Int)]](repeating: [], count: table.all.count)
        var facts: [LineFacts] = []
        facts.reserveCapacity(lines.count)
        // Lines of one tier usually share one cost-share list: its 30-day cost is worked out once
        // per distinct list (compared, not assumed: `==` on the same storage is a pointer check).
        // Fields are read in place (`buffer[index].entry.…`): binding the entry or the tuple of a
        // known list first copied it, a retain per field (perf).
        var knownShares: [[CostShare]] = []
        var knownCosts: [CostEstimate?] = []
        var prefixes: [String] = []
        var prefixOf: [Int] = []
        prefixOf.reserveCapacity(lines.count)
        var last: (snapshot: Int64, file: String?, prefix: Int)?
        lines.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                let rxcui = buffer[index].entry.drug.rxcui
                if let rxcui, let owners = table.productOwners[rxcui] {
                    for owner in owners { grouped[owner.option].append((owner.rank, index)) }
                }
                let cost: CostEstimate?
                if let found = knownShares.firstIndex(where: { $0 == buffer[index].costShares }) {
                    cost = knownCosts[found]
                } else {
                    cost = Self.cost(of: buffer[index].costShares)
                    if knownShares.count < 16 {
                        knownShares.append(buffer[index].costShares)
                        knownCosts.append(cost)
                    }
                }
                let status = buffer[index].entry.status
                facts.append(LineFacts(covered: status == .covered || status == .coveredSupplemental, rxcui: rxcui,
                                       um: (buffer[index].entry.priorAuthorization.required == true ? 1 : 0)
                                           + (buffer[index].entry.stepTherapy.required == true ? 1 : 0),
                                       tierCode: buffer[index].entry.tierCode, cost: cost))
                let snapshot = buffer[index].plan.snapshot.id
                let file = buffer[index].sourceFile
                if let known = last, known.snapshot == snapshot, known.file == file {
                    prefixOf.append(known.prefix)
                    continue
                }
                var prefix = "snapshot \(snapshot) (\(buffer[index].plan.snapshot.sourceName))"
                if let file { prefix += ", \(file)" }
                let position = prefixes.firstIndex(of: prefix) ?? { prefixes.append(prefix); return prefixes.count - 1 }()
                last = (snapshot, file, position)
                prefixOf.append(position)
            }
        }
        provenancePrefix = prefixOf
        provenancePrefixes = prefixes
        self.lines = lines
        self.facts = facts
        self.linesByOption = grouped
    }

    /// The same resolver answering through `memo`, a copy of its own (`EvaluationMemo.copy`):
    /// the line tables are shared, not rebuilt.
    func using(_ memo: EvaluationMemo) -> CoverageResolver {
        var twin = self
        twin.memo = memo
        return twin
    }

    /// Positions in `lines` of the option's lines: product by product in `products(of:)` order,
    /// each product's lines in line order.
    func candidates(of option: DrugOption) -> [Int] {
        guard let handle = table.handle(option.id) else { return [] }
        let found = linesByOption[handle.position]
        if zip(found, found.dropFirst()).allSatisfy({ $0.rank <= $1.rank }) { return found.map(\.line) }
        return found.sorted { ($0.rank, $0.line) < ($1.rank, $1.line) }.map(\.line)
    }

    func resolve(_ option: DrugOption, preferring: Set<RxCUI>) -> Resolved {
        let candidates = candidates(of: option)
        let criteria = memo.criteriaLine(for: option.id, in: policy, serial: policySerial)
        if option.benefit != .pharmacy, candidates.isEmpty, let listing, listing.plan.isStandAlonePDP {
            // A stand-alone drug plan has no medical benefit: its criteria cannot cover Spravato,
            // TMS or ECT, whatever a typical criteria set says.
            return Resolved(summary: CoverageSummary(source: .none, status: .notCovered, tierCode: nil, tierCategory: nil, benefit: option.benefit.rawValue,
                                                     rxcui: nil, drugName: option.displayName, lineCount: 0, priorAuthorization: nil, stepTherapy: nil,
                                                     newStartsOnly: nil, quantityLimit: nil, costShare: nil, codes: option.procedureCodes.map(\.code),
                                                     reason: Plan.notPartDBenefit, provenance: nil),
                            fromLine: false, criteriaLine: nil, criteriaBasis: nil)
        }
        if let (bestIndex, cost) = pick(candidates, preferring: preferring) {
            var summary = summarize(lineAt: bestIndex, count: candidates.count, cost: cost)
            if let criteria, criteria.line.tier == nil {
                if let limit = criteria.line.quantityLimit {
                    // The criteria file states the amount the formulary flag leaves out.
                    summary.quantityLimit = summary.quantityLimit == Self.unstatedLimit || summary.quantityLimit == nil
                        ? limit : [summary.quantityLimit, limit].compactMap { $0 }.joined(separator: "; ")
                }
            }
            return Resolved(summary: summary, fromLine: true, criteriaLine: criteria?.line, criteriaBasis: criteria?.basis)
        }
        if let criteria, criteria.line.tier != nil || criteria.line.status != .covered {
            return Resolved(summary: summarize(criteria.line, option: option, basis: criteria.basis, document: criteria.document), fromLine: false,
                            criteriaLine: criteria.line, criteriaBasis: criteria.basis)
        }
        guard listing != nil else {
            return Resolved(summary: CoverageSummary(source: .none, status: .unknown, tierCode: nil, tierCategory: nil, benefit: option.benefit.rawValue,
                                                     rxcui: nil, drugName: nil, lineCount: 0, priorAuthorization: nil, stepTherapy: nil, newStartsOnly: nil,
                                                     quantityLimit: nil, costShare: nil, codes: [], reason: "the plan is not in the formulary data: import it first",
                                                     provenance: nil), fromLine: false, criteriaLine: nil, criteriaBasis: nil)
        }
        let reason = option.benefit == .pharmacy
            ? (reference.products(of: option).isEmpty ? "no RxCUI for \(option.name) in the drug reference, and no criteria line: coverage unknown, treat as not on the formulary" : "not on this formulary: only a formulary exception can cover it")
            : "no line for this medical-benefit item in the formulary data or the criteria file"
        return Resolved(summary: CoverageSummary(source: .none, status: .nonFormulary, tierCode: nil, tierCategory: nil, benefit: option.benefit.rawValue,
                                                 rxcui: nil, drugName: nil, lineCount: 0, priorAuthorization: nil, stepTherapy: nil, newStartsOnly: nil,
                                                 quantityLimit: nil, costShare: nil, codes: [], reason: reason, provenance: nil),
                        fromLine: false, criteriaLine: nil, criteriaBasis: nil)
    }

    /// The line a person would use (a position in `lines`, with its 30-day cost): the one for a
    /// drug they already fill, else covered lines without PA/ST, then the cheapest, then the
    /// lowest tier code.
    func pick(_ candidates: [Int], preferring: Set<RxCUI>) -> (index: Int, cost: CostEstimate?)? {
        // Fields are read in place: `facts[i]` through the array copied the whole LineFacts (perf).
        facts.withUnsafeBufferPointer { facts in
            let covered = candidates.filter { facts[$0].covered }
            let pool = covered.isEmpty ? candidates : covered
            if let current = pool.first(where: { facts[$0].rxcui.map(preferring.contains) ?? false }) { return (current, facts[current].cost) }
            guard var best = pool.first else { return nil }
            for index in pool.dropFirst() {
                let costA = facts[index].cost?.rank ?? 1e9, costB = facts[best].cost?.rank ?? 1e9
                let better = facts[index].um != facts[best].um ? facts[index].um < facts[best].um
                    : costA != costB ? costA < costB : facts[index].tierCode < facts[best].tierCode
                if better { best = index }
            }
            return (best, facts[best].cost)
        }
    }

    /// The summary of `lines[index]`, read field by field (the line itself is not copied).
    func summarize(lineAt index: Int, count: Int, cost: CostEstimate?) -> CoverageSummary {
        lines.withUnsafeBufferPointer { summarize($0, at: index, count: count, cost: cost) }
    }

    /// Read in place: through the array, each `lines[index]` copied the whole line (perf).
    private func summarize(_ lines: UnsafeBufferPointer<CoverageLine>, at index: Int, count: Int, cost: CostEstimate?) -> CoverageSummary {
        // Each field is read through `lines[index].entry`: binding the entry first copied it,
        // a retain and a release per field (perf).
        let status: CoverageSummary.Status = switch lines[index].entry.status {
        case .covered, .coveredSupplemental: .covered
        case .notCovered: .notCovered
        case .unknown: .unknown
        }
        var provenance = provenancePrefixes[provenancePrefix[index]]
        if let row = lines[index].entry.sourceLine { provenance += " line \(row)" }
        return CoverageSummary(source: .formulary, status: status, tierCode: lines[index].entry.tierCode, tierCategory: lines[index].tier?.category ?? .unknown,
                               benefit: "pharmacy", rxcui: lines[index].entry.drug.rxcui, drugName: lines[index].drugName ?? lines[index].entry.drug.name,
                               lineCount: count, priorAuthorization: lines[index].entry.priorAuthorization.required,
                               stepTherapy: lines[index].entry.stepTherapy.required,
                               newStartsOnly: lines[index].entry.priorAuthorization.newStartsOnly ?? lines[index].entry.stepTherapy.newStartsOnly,
                               quantityLimit: Self.describe(lines[index].entry.quantityLimit), costShare: cost, codes: [], reason: nil,
                               provenance: provenance)
    }

    func summarize(_ line: CriteriaLine, option: DrugOption, basis: CriteriaBasis, document: CriteriaDocument) -> CoverageSummary {
        let status: CoverageSummary.Status = switch line.status {
        case .covered: .covered
        case .nonFormulary: .nonFormulary
        case .notCovered: .notCovered
        }
        var cost: CostEstimate?
        if line.copay != nil || line.coinsurance != nil {
            let copay = line.copay.map { Decimal($0) }
            let coinsurance = line.coinsurance.map { Decimal($0) }
            cost = CostEstimate(copay: copay, coinsurance: coinsurance, minimum: nil, maximum: nil, qualifier: nil,
                                channel: (line.benefit ?? option.benefit) == .pharmacy ? "retail" : (line.benefit ?? option.benefit).rawValue,
                                daysSupply: (line.benefit ?? option.benefit) == .pharmacy ? 30 : nil, estimatedMonthly: copay, note: line.costNote,
                                rank: line.copay ?? (line.coinsurance.map { 100 + $0 * 1000 } ?? 500))
        }
        let category: TierCategory? = switch line.tier?.uppercased() {
        case "MB"?: .medicalBenefit
        case "T5"?: .specialty
        case nil: nil
        default: .other
        }
        return CoverageSummary(source: .criteria, status: status, tierCode: line.tier, tierCategory: category,
                               benefit: (line.benefit ?? option.benefit).rawValue, rxcui: nil, drugName: option.displayName, lineCount: 1,
                               priorAuthorization: nil, stepTherapy: nil, newStartsOnly: nil, quantityLimit: line.quantityLimit, costShare: cost,
                               codes: line.codes, reason: line.reason,
                               provenance: "\(document.file)\(line.line.map { " line \($0)" } ?? "")" + (basis == .typical ? " (typical criteria, not this plan's)" : ""))
    }

    /// The 30-day retail cost share of a line (preferred, then standard, then any 30-day).
    static func cost(of shares: [CostShare]) -> CostEstimate? {
        let share = CoverageLine.costShare(in: shares, channel: .retailPreferred, daysSupply: 30)
            ?? CoverageLine.costShare(in: shares, channel: .retailStandard, daysSupply: 30)
            ?? shares.first { $0.daysSupply == 30 && $0.offered && $0.scope == .all } ?? shares.first { $0.offered && $0.scope == .all }
        guard let share, share.offered else { return nil }
        let copayValue = share.copay.map { NSDecimalNumber(decimal: $0).doubleValue }
        let coinsuranceValue = share.coinsurance.map { NSDecimalNumber(decimal: $0).doubleValue }
        let rank: Double
        if let coinsuranceValue, coinsuranceValue > 0 {
            rank = 100 + coinsuranceValue * 1000 + (copayValue ?? 0)
        } else {
            rank = copayValue ?? 500
        }
        let estimated: Decimal? = (share.coinsurance ?? 0) > 0 ? nil : share.copay
        return CostEstimate(copay: share.copay, coinsurance: share.coinsurance, minimum: share.minimum, maximum: share.maximum,
                            qualifier: share.qualifier?.rawValue, channel: share.channel.rawValue, daysSupply: share.daysSupply,
                            estimatedMonthly: estimated, note: nil, rank: rank)
    }

    static let unstatedLimit = "quantity limit (amount not stated)"

    static func describe(_ limit: QuantityLimit) -> String? {
        guard limit.required == true else { return nil }
        var parts: [String] = []
        if let amount = limit.amount, let days = limit.days { parts.append("\(amount.clean) per \(days) days") }
        if let daily = limit.maximumDaily { parts.append("≤ \(daily.clean) a day") }
        if let text = limit.description { parts.append(text) }
        return parts.isEmpty ? unstatedLimit : parts.joined(separator: "; ")
    }
}
