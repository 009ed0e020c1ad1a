import Foundation
import FormularyModel

/// Imports CMS QHP (ACA marketplace) machine-readable formulary JSON: `plans.json` and
/// `drugs.json`, given directly, in a folder or zip, or through an issuer's `cms-data-index.json`.
///
/// Everything streams through `JSONReader`, one plan or one drug at a time, so a 500 MB drugs.json
/// costs the same memory as a 5 KB one, and every file's SHA-256 is computed on the way through.
///
/// What it emits, per the mapping in FORMATS.md §8:
/// - one `Formulary` and one `Plan` per HIOS plan id (QHP has one formulary per plan, so both use
///   the plan id); the plan's year is the latest of its `years` (plans.json, else its drug
///   entries'), its state the two letters at positions 6–7 of the id;
/// - a `TierDefinition` per plan and tier name, with the category from `TierNameMapping`
///   (unknown names get `.unknown` and a warning), plus one for any tier drugs.json uses that
///   plans.json does not define for the plan;
/// - a `CostShare` per tier and `cost_sharing` entry (see `QHPPlansReader` for the choices);
/// - a `FormularyEntry` per drug-plan entry, UM flags tri-state (absent means unknown).
///
/// When plans.json is among the inputs, drug entries for plans it does not define are skipped
/// and counted, with a warning. Without plans.json the import still runs: plans and formularies
/// are created from the plan ids drugs.json uses, without names or cost sharing.
public struct QHPImporter: FormularyImporter {
    public var options: ImportOptions

    public var format: SourceFormat { .qhp }

    public init(options: ImportOptions = ImportOptions()) {
        self.options = options
    }

    public func importFiles(
        _ inputs: [URL], into sink: any ImportSink, progress: (any ImportProgressReporting)?
    ) throws -> ImportOutcome {
        let catalog = try InputCatalog(inputs: inputs, limits: options.archiveLimits)
        let selection = try QHPInputSelection(catalog: catalog, inputs: inputs)
        guard !selection.drugs.isEmpty else {
            throw ImportError.missingFile(
                format: SourceFormat.qhp.displayName, role: "drugs.json", looked: inputs.map(\.path))
        }

        var outcome = ImportOutcome(warnings: selection.warnings)
        var ledger = ProblemLedger(maxRejects: options.maxRejects)
        var notes = ImportNotes()
        var registry = QHPPlanRegistry()
        var duplicates = QHPDuplicateGuard()

        for index in selection.indexes {
            try sink.beginFile(name: index.file.displayName, role: QHPFileKind.index.role)
            try sink.finishFile(sha256: index.digest.sha256, byteCount: index.digest.byteCount)
        }

        var planCount = 0
        var tierCount = 0
        var costShareCount = 0
        for file in selection.plans {
            try read(file, role: .plans, into: sink, ledger: &ledger) { reader, ledger in
                var plans = QHPPlansReader(fileName: file.displayName, sink: sink)
                try plans.read(reader, registry: &registry, ledger: &ledger, notes: &notes)
                planCount += plans.planCount
                tierCount += plans.tierCount
                costShareCount += plans.costShareCount
            }
        }

        let onlyDefinedPlans = !selection.plans.isEmpty
        var drugCount = 0
        var entryCount = 0
        var skippedCount = 0
        var withoutRxNorm = 0
        for file in selection.drugs {
            try read(file, role: .drugs, into: sink, ledger: &ledger) { reader, ledger in
                var drugs = QHPDrugsReader(fileName: file.displayName, sink: sink, onlyDefinedPlans: onlyDefinedPlans)
                try drugs.read(
                    reader, registry: &registry, duplicates: &duplicates, ledger: &ledger,
                    progress: progress, totalBytes: file.byteCount)
                drugCount += drugs.drugCount
                entryCount += drugs.entryCount
                skippedCount += drugs.skippedEntryCount
                withoutRxNorm += drugs.drugsWithoutRxNorm
            }
        }
        outcome.rejects = try ledger.settle()

        let finished = try emitPlans(registry, onlyDefinedPlans: onlyDefinedPlans, into: sink, warnings: &outcome.warnings)
        outcome.contractYear = finished.contractYear
        outcome.counts["plans"] = finished.plans
        outcome.counts["formularies"] = finished.plans
        outcome.counts["tiers"] = tierCount + finished.derivedTiers
        outcome.counts["cost shares"] = costShareCount
        outcome.counts["drugs"] = drugCount
        outcome.counts["drug plan entries"] = entryCount
        if skippedCount > 0 { outcome.counts["drug plan entries skipped (plan not in plans.json)"] = skippedCount }
        if withoutRxNorm > 0 { outcome.counts["drugs without rxnorm_id"] = withoutRxNorm }
        if !onlyDefinedPlans {
            outcome.warnings.append(
                "no plans.json among the inputs: \(finished.plans) plans and formularies were created from the plan ids in drugs.json, without names or cost sharing")
        }
        if planCount == 0 && onlyDefinedPlans {
            outcome.warnings.append("plans.json defined no plans that could be imported")
        }
        outcome.warnings += notes.messages
        return outcome
    }

    /// Streams one file through `body` between `beginFile` and `finishFile`. JSON that cannot be
    /// read (a syntax error, a broken limit, a document of the wrong shape) fails the import.
    private func read(
        _ file: InputFile, role: QHPFileKind, into sink: any ImportSink, ledger: inout ProblemLedger,
        _ body: (JSONReader, inout ProblemLedger) throws -> Void
    ) throws {
        try sink.beginFile(name: file.displayName, role: role.role)
        let source = InputFileByteSource(file: file)
        defer { source.cancel() }
        do {
            try body(JSONReader(source: source), &ledger)
        } catch let error as JSONError {
            ledger.fileProblem(error.rowProblem(file: file.displayName))
        }
        // Stop at the first file the allowance cannot cover; later files would only add noise.
        guard !ledger.hasFailed else { throw ImportError.invalidRows(problems: ledger.problems, total: ledger.total) }
        let digest = try source.digest()
        try sink.finishFile(sha256: digest.sha256, byteCount: digest.byteCount)
    }

    private struct Finished {
        var plans = 0
        var derivedTiers = 0
        var contractYear: Int?
    }

    /// Emits the plans and formularies, now that drugs.json has supplied missing years, and the
    /// tiers drugs.json uses that plans.json did not define; warns about skipped plans.
    private func emitPlans(
        _ registry: QHPPlanRegistry, onlyDefinedPlans: Bool, into sink: any ImportSink, warnings: inout [String]
    ) throws -> Finished {
        var finished = Finished()
        var years = Set<Int>()
        var undefinedTiers: [String] = []
        var skippedPlans: [String] = []
        for plan in registry.plans {
            guard plan.definition != nil || !onlyDefinedPlans else {
                if plan.skippedEntries > 0 { skippedPlans.append("\(plan.id) (\(plan.skippedEntries))") }
                continue
            }
            let year = plan.planYear ?? plan.drugYear
            if let year { years.insert(year) }
            let formulary = FormularyID(plan.id)
            try sink.add(Formulary(id: formulary, name: plan.name, contractYear: year))
            try sink.add(Plan(
                id: PlanID(plan.id), name: plan.name, market: .marketplace, formulary: formulary, year: year,
                states: [HIOSPlanID.state(of: plan.id)]))
            finished.plans += 1
            for tier in registry.tierCodes.indices
            where plan.usedTiers.contains(tier) && !plan.definedTiers.contains(tier) {
                let code = registry.tierCodes[tier]
                let category = TierNameMapping.category(for: code)
                try sink.add(TierDefinition(
                    formulary: formulary, sourceCode: code, category: category ?? .unknown,
                    isSpecialty: category == .specialty ? true : nil))
                finished.derivedTiers += 1
                if onlyDefinedPlans { undefinedTiers.append("\(plan.id) \(code)") }
            }
        }
        if !skippedPlans.isEmpty {
            let total = registry.plans.reduce(0) { $0 + ($1.definition == nil ? $1.skippedEntries : 0) }
            warnings.append(
                "drugs.json lists \(skippedPlans.count) plan id(s) that plans.json does not define; their \(total) entries were skipped: "
                    + Self.listed(skippedPlans))
        }
        if !undefinedTiers.isEmpty {
            warnings.append(
                "drugs.json uses \(undefinedTiers.count) plan tier(s) that plans.json does not define, so they have no cost sharing: "
                    + Self.listed(undefinedTiers))
        }
        let unmapped = Set(registry.tierCodes.filter { TierNameMapping.category(for: $0) == nil })
        if !unmapped.isEmpty {
            warnings.append("tier names not in the tier mapping table (category unknown): " + Self.listed(unmapped.sorted()))
        }
        finished.contractYear = years.max()
        if years.count > 1 {
            warnings.append("the plans cover several years (\(years.sorted().map(String.init).joined(separator: ", "))); the contract year is the latest")
        }
        return finished
    }

    /// The first ten items, and how many more.
    private static func listed(_ items: [String]) -> String {
        let shown = items.prefix(10).joined(separator: ", ")
        return items.count > 10 ? shown + ", … and \(items.count - 10) more" : shown
    }
}
