import Foundation
import FormularyModel

/// Imports a CMS Medicare Part D formulary release (the SPUF: "Prescription Drug Plan Formulary,
/// Pharmacy Network, and Pricing Information Files") into normalized rows.
///
/// Inputs may be the release zip as CMS ships it (an outer zip of one inner zip per table), a
/// folder of unpacked tables, or single table files. The basic drugs formulary is required; plan
/// information, beneficiary cost, insulin beneficiary cost, excluded drugs and indication-based
/// coverage are read when present. Geographic locator, pricing, pharmacy networks and the PDF
/// documentation are skipped with a warning, as is any file the importer does not know.
///
/// Everything streams: memory stays flat whatever the size of the basic formulary, and every
/// file's SHA-256 is computed on the way through. Bad rows fail the import with a list of
/// problems (file, line, column, value, what was expected) unless `ImportOptions.maxRejects`
/// allows skipping them.
///
/// `ImportOutcome.counts` keys: `formulary rows`, `formularies`, `tiers`, and for the tables
/// present `plan information rows`, `plans`, `suppressed plans skipped`, `cost share rows` (rows
/// of the beneficiary cost table; each yields four `CostShare`s, one per pharmacy channel),
/// `insulin cost rows` (likewise four each), `excluded drug rows`, `indication rows`, and
/// `cost rows of suppressed plans skipped` when there are any. Tier definitions are emitted last,
/// after every file, because their specialty flag joins three tables.
public struct PartDImporter: FormularyImporter, Sendable {
    public var options: ImportOptions

    public var format: SourceFormat { .partD }

    public init(options: ImportOptions = ImportOptions()) {
        self.options = options
    }

    public func importFiles(
        _ inputs: [URL], into sink: any ImportSink, progress: (any ImportProgressReporting)?
    ) throws -> ImportOutcome {
        let catalog = try InputCatalog(inputs: inputs, limits: options.archiveLimits) { archive in
            PartDFileKind.shouldOpenArchive(named: archive.fileName)
        }
        var outcome = ImportOutcome()
        let tables = try Self.assignTables(in: catalog, warnings: &outcome.warnings)
        guard let basicFile = tables[.basicFormulary] else {
            throw ImportError.missingFile(
                format: SourceFormat.partD.displayName, role: PartDTable.basicFormulary.role, looked: inputs.map(\.path)
            )
        }
        for table in PartDTable.readingOrder where tables[table] == nil {
            outcome.warnings.append("no \(table.role) table among the inputs: \(Self.consequence(ofMissing: table))")
        }

        var ledger = ProblemLedger(maxRejects: options.maxRejects)
        /// Reads one table; returns the rows it accepted.
        func read<Consumer: DelimitedRowConsumer>(_ table: PartDTable, _ file: InputFile, into consumer: inout Consumer) throws -> Int {
            let reader = DelimitedTableReader(
                file: file, role: table.role, encoding: table.encoding, requiresRows: table == .basicFormulary
            )
            return try reader.read(into: &consumer, sink: sink, ledger: &ledger, progress: progress).rows
        }

        var basic = BasicFormularyReader(sink: sink)
        outcome.counts["formulary rows"] = try read(.basicFormulary, basicFile, into: &basic)
        outcome.contractYear = basic.contractYear
        outcome.counts["formularies"] = basic.tallies.count

        var plans = PlanInformationReader(sink: sink, contractYear: basic.contractYear)
        if let file = tables[.planInformation] {
            outcome.counts["plan information rows"] = try read(.planInformation, file, into: &plans)
            outcome.counts["plans"] = plans.planCount
            outcome.counts["suppressed plans skipped"] = plans.suppressedCount
        }

        var costs = BeneficiaryCostReader(sink: sink, suppressedPlans: plans.suppressedPlans)
        if let file = tables[.beneficiaryCost] {
            outcome.counts["cost share rows"] = try read(.beneficiaryCost, file, into: &costs) - costs.suppressedRowCount
        }

        var insulin = InsulinCostReader(sink: sink, suppressedPlans: plans.suppressedPlans)
        if let file = tables[.insulinCost] {
            outcome.counts["insulin cost rows"] = try read(.insulinCost, file, into: &insulin) - insulin.suppressedRowCount
        }
        let suppressedCostRows = costs.suppressedRowCount + insulin.suppressedRowCount
        if suppressedCostRows > 0 {
            outcome.counts["cost rows of suppressed plans skipped"] = suppressedCostRows
        }

        if let file = tables[.excludedDrugs] {
            var excluded = ExcludedDrugsReader(sink: sink)
            outcome.counts["excluded drug rows"] = try read(.excludedDrugs, file, into: &excluded)
        }

        if let file = tables[.indicationCoverage] {
            var indications = IndicationCoverageReader(sink: sink)
            outcome.counts["indication rows"] = try read(.indicationCoverage, file, into: &indications)
        }

        outcome.rejects = try ledger.settle()
        let tiers = TierDefinitionBuilder(
            formularies: basic.tallies, formularyByPlan: plans.formularyByPlan, specialtyFlags: costs.specialtyFlags
        ).definitions()
        for tier in tiers { try sink.add(tier) }
        outcome.counts["tiers"] = tiers.count
        return outcome
    }

    /// Sorts the discovered files into tables, warning about the rest. Two files for one table
    /// mean two releases were mixed, which would double every row: that is an error.
    private static func assignTables(in catalog: InputCatalog, warnings: inout [String]) throws -> [PartDTable: InputFile] {
        var tables: [PartDTable: InputFile] = [:]
        for archive in catalog.unopenedArchives {
            warnings.append("skipped \(archive.displayName): \(describeSkip(PartDFileKind.classify(archive.fileName)))")
        }
        for file in catalog.files {
            let kind = PartDFileKind.classify(file.fileName)
            guard case .table(let table) = kind else {
                warnings.append("skipped \(file.displayName): \(describeSkip(kind))")
                continue
            }
            if let first = tables[table] {
                throw ImportError.unrecognizedFormat(
                    path: file.displayName,
                    reason: "it is a second \(table.role) table (the first is \(first.displayName)); import one Part D release at a time"
                )
            }
            tables[table] = file
        }
        return tables
    }

    private static func describeSkip(_ kind: PartDFileKind) -> String {
        switch kind {
        case .ignoredTable(let name): "the importer does not read the \(name) table"
        case .documentation: "documentation"
        case .table, .unknown: "not a Part D table this importer reads"
        }
    }

    private static func consequence(ofMissing table: PartDTable) -> String {
        switch table {
        case .basicFormulary: "nothing can be imported"
        case .planInformation: "no plans (so no premiums, deductibles or plan-to-formulary links), and no tier specialty flags"
        case .beneficiaryCost: "no tier cost sharing, and no tier specialty flags"
        case .insulinCost: "no insulin cost caps"
        case .excludedDrugs: "no supplemental coverage of excluded drugs"
        case .indicationCoverage: "no indication-based coverage limits"
        }
    }
}
