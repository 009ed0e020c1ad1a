import Foundation
import FormularyImport
import FormularyModel
import Testing

@Suite("QHP importer")
struct QHPImporterTests {
    static let gold = "12345XX9876543"
    static let silver = "12345XX9876542"
    static let bronze = "12345XX9876541"

    @Test func importsTheCMSExamplePlansAndDrugs() throws {
        let (sink, outcome) = try QHPFixtures.run("cms-example/plans.json", "cms-example/drugs-1.json")

        #expect(sink.files.map(\.name) == ["plans.json", "drugs-1.json"])
        #expect(sink.files.map(\.role) == ["plans.json", "drugs.json"])
        #expect(sink.files[0].sha256 == "859169f865c11e6ff8bc060dbe9ce8bc848daba53757c6d9568449e3a3643191")
        #expect(sink.files[0].byteCount == 4615)
        #expect(sink.files[1].sha256 == "71e2fabd0c266cf594ab7f14199b353f644d4501cdab135a6a8c2800ad7ada28")

        #expect(outcome.contractYear == 2020)
        #expect(outcome.counts["plans"] == 3)
        #expect(outcome.counts["tiers"] == 4)
        #expect(outcome.counts["cost shares"] == 8)
        #expect(outcome.counts["drugs"] == 2)
        #expect(outcome.counts["drug plan entries"] == 5)
        #expect(outcome.rejects.isEmpty)

        let plan = try #require(sink.plans.first { $0.id == PlanID(Self.gold) })
        #expect(plan.name == "Vandelay Insurance Gold Health Plan")
        #expect(plan.market == .marketplace)
        #expect(plan.formulary == FormularyID(Self.gold))
        #expect(plan.year == 2020)
        #expect(plan.states == ["XX"])
        #expect(sink.formularies.contains(Formulary(id: FormularyID(Self.gold), name: "Vandelay Insurance Gold Health Plan", contractYear: 2020)))

        // Gold lists `formulary` as an array of two tiers, Silver as a single object.
        #expect(sink.tier(Self.gold, "GENERIC")?.category == .generic)
        #expect(sink.tier(Self.gold, "PREFERRED")?.category == .preferred)
        #expect(sink.tier(Self.silver, "GENERIC")?.category == .generic)
        #expect(sink.tier(Self.silver, "PREFERRED") == nil)

        let retail = try #require(sink.costShare(Self.gold, "GENERIC", .retailStandard, days: 30))
        #expect(retail.phase == .any)
        #expect(retail.offered)
        #expect(retail.copay == Decimal(20))
        #expect(retail.coinsurance == Decimal(string: "0.1"))
        #expect(retail.coinsuranceRaw == "0.10")
        #expect(retail.qualifier == .afterDeductible)
        #expect(retail.deductibleApplies == true)
        let mail = try #require(sink.costShare(Self.silver, "GENERIC", .mailStandard, days: 30))
        #expect(mail.copay == Decimal(0))
        #expect(mail.coinsurance == Decimal(string: "0.2"))
        #expect(mail.qualifier == nil)
        #expect(outcome.warnings.contains { $0.contains("copay_opt and coinsurance_opt differ") })

        let azithromycin = try #require(sink.entry(Self.gold, rxcui: "248656"))
        #expect(azithromycin.drug.name == "Azithromycin 500 MG Oral Tablet [Zithromax]")
        #expect(azithromycin.tierCode == "GENERIC")
        #expect(azithromycin.status == .covered)
        #expect(azithromycin.quantityLimit.required == true)
        #expect(azithromycin.priorAuthorization.required == false)
        #expect(azithromycin.stepTherapy.required == false)
        #expect(azithromycin.sourceLine == 35)
        #expect(sink.entry(Self.bronze, rxcui: "209459")?.sourceLine == 2)
        #expect(sink.entry(Self.bronze, rxcui: "248656") == nil)
    }

    /// The index lists plans.json, drugs-1.json and drugs-2.json; the two drugs files reuse the same
    /// rxnorm_ids for the same plans, which is a duplicate unless rejects are allowed.
    @Test(arguments: ["cms-example", "cms-example/cms-data-index.json"])
    func readsTheFilesAnIndexLists(input: String) throws {
        let (problems, sink) = try QHPFixtures.problems([QHPFixtures.url(input)])
        let first = try #require(problems.first)
        #expect(first.file == "drugs-2.json" || first.file.hasSuffix("/drugs-2.json"))
        #expect(first.field == "$[0].plans[0].plan_id")
        #expect(first.expected.contains("already lists rxnorm_id 209459"))
        #expect(first.expected.contains("drugs-1.json:2 $[0]"))
        #expect(sink.files.last?.sha256 == nil, "the failing file never finishes")

        let (allowed, outcome) = try QHPFixtures.run([QHPFixtures.url(input)], maxRejects: 5)
        #expect(allowed.files.map(\.role) == ["cms-data-index.json", "plans.json", "drugs.json", "drugs.json"])
        #expect(allowed.files.first?.sha256 == "43a3d93885ea2018da711529bb5a6d91189f6ebbe6687e0ac31ef9bcb253e2ff")
        #expect(outcome.rejects.count == 5)
        #expect(outcome.counts["drug plan entries"] == 5)
        #expect(outcome.counts["drugs"] == 4)
        #expect(outcome.warnings.contains { $0.contains("1 provider file(s); provider directories are not imported") })
    }

    @Test func anIndexWhoseFilesAreNotLocalSaysImportNeverDownloads() throws {
        let scratch = try ScratchFolder()
        let index = try scratch.write(QHPFixtures.data("cms-example/cms-data-index.json"), as: "cms-data-index.json")
        let error = try #require(throws: ImportError.self) { try QHPFixtures.run([index]) }
        let message = error.localizedDescription
        #expect(message.contains("https://cmsgov.github.io/QHP-provider-formulary-APIs/data/plans.json"))
        #expect(message.contains("never downloads"))
        #expect(message.contains("refresh command"))
    }

    @Test func validatorPlansWithoutYearsTakeTheDrugsYears() throws {
        let (sink, outcome) = try QHPFixtures.run("validator/testdata_plans.json", "cms-example/drugs-1.json")
        #expect(sink.plans.count == 1)
        let plan = try #require(sink.plans.first)
        #expect(plan.name == "Sample Gold Health Plan")
        #expect(plan.year == 2020)
        #expect(outcome.counts["drug plan entries"] == 2)
        #expect(outcome.counts["drug plan entries skipped (plan not in plans.json)"] == 3)
        #expect(outcome.warnings.contains { $0.contains("2 plan id(s) that plans.json does not define; their 3 entries were skipped") })
        let mail = try #require(sink.costShare(Self.gold, "GENERIC", .mailStandard, days: 30))
        #expect(mail.qualifier == nil)
        #expect(mail.coinsurance == Decimal(string: "0.2"))
    }

    @Test func staticExamplePlansUseTheLatestListedYear() throws {
        let (sink, outcome) = try QHPFixtures.run("validator/static_example.json", "cms-example/drugs-2.json")
        #expect(sink.plans.first?.year == 2017)
        #expect(outcome.contractYear == 2017)
        // Both amounts are in effect and both options say AFTER-DEDUCTIBLE / NO-CHARGE.
        let retail = try #require(sink.costShare(Self.gold, "GENERIC", .retailStandard, days: 30))
        #expect(retail.qualifier == .afterDeductible)
        let mail = try #require(sink.costShare(Self.gold, "GENERIC", .mailStandard, days: 30))
        #expect(mail.qualifier == .noCharge)
        #expect(mail.deductibleApplies == false)
        // drugs-2 puts 209459 on BRAND, which static_example.json does not define.
        #expect(sink.tier(Self.gold, "BRAND")?.category == .brand)
        #expect(outcome.warnings.contains { $0.contains("\(Self.gold) BRAND") })
        #expect(sink.entry(Self.gold, rxcui: "209459")?.priorAuthorization.required == true)
    }

    @Test func aPlansFileAloneIsNotAnImport() throws {
        let error = try #require(throws: ImportError.self) { try QHPFixtures.run("validator/static_example.json") }
        guard case .missingFile(_, let role, _) = error else {
            Issue.record("expected a missing drugs file, got \(error.localizedDescription)")
            return
        }
        #expect(role == "drugs.json")
    }

    @Test func withoutPlansJsonPlansComeFromTheDrugs() throws {
        let (sink, outcome) = try QHPFixtures.run("cms-example/drugs-1.json")
        #expect(Set(sink.plans.map(\.id.rawValue)) == [Self.gold, Self.silver, Self.bronze])
        #expect(sink.plans.allSatisfy { $0.name == nil && $0.year == 2020 && $0.states == ["XX"] })
        #expect(sink.formularies.count == 3)
        #expect(sink.tiers.count == 3)
        #expect(sink.tiers.allSatisfy { $0.sourceCode == "GENERIC" && $0.category == .generic })
        #expect(sink.costShares.isEmpty)
        #expect(sink.entries.count == 5)
        #expect(outcome.warnings.contains { $0.hasPrefix("no plans.json among the inputs") })
    }

    @Test func quirksSeenInTheWildImport() throws {
        let (sink, outcome) = try QHPFixtures.run("quirks")
        let texas = "33333TX0000001"
        let florida = "44444FL0000002"

        #expect(sink.plans.first { $0.id.rawValue == texas }?.year == 2025)
        #expect(sink.plans.first { $0.id.rawValue == texas }?.states == ["TX"])
        #expect(sink.plans.first { $0.id.rawValue == florida }?.year == 2025, "years from its drug entries")

        #expect(sink.tier(texas, "preferred_brand")?.category == .preferredBrand)
        #expect(sink.tier(florida, "SPECIALTY")?.category == .specialty)
        #expect(sink.tier(florida, "SPECIALTY")?.isSpecialty == true)
        #expect(sink.tier(florida, "BOUTIQUE-TIER")?.category == .unknown)
        #expect(sink.tier(florida, "NON-PREFERRED-GENERIC")?.category == .nonPreferredGeneric)
        #expect(outcome.counts["tiers"] == 4)
        #expect(outcome.warnings.contains { $0.contains("BOUTIQUE-TIER") && $0.contains("mapping table") })

        let retail = try #require(sink.costShare(texas, "preferred_brand", .retailStandard, days: 30))
        #expect(retail.copay == Decimal(string: "15.5"))
        #expect(retail.qualifier == .afterDeductible)
        let mail = try #require(sink.costShare(texas, "preferred_brand", .mailStandard, days: 90))
        #expect(mail.offered == false, "mail_order is false for the tier")
        #expect(mail.qualifier == .beforeDeductible)
        let outOfNetwork = try #require(sink.costShare(texas, "preferred_brand", .retailOutOfNetwork, days: 30))
        #expect(outOfNetwork.coinsurance == Decimal(string: "0.4"))
        #expect(outOfNetwork.coinsuranceRaw == "40")
        #expect(outOfNetwork.qualifier == .afterDeductible)
        let weekly = try #require(sink.costShare(florida, "BOUTIQUE-TIER", .any, days: nil))
        #expect(weekly.copay == Decimal(5))
        #expect(outcome.warnings.contains { $0.contains("WEEKLY-IN-RETAIL") })

        #expect(outcome.counts["drug plan entries"] == 4)
        #expect(outcome.counts["drug plan entries skipped (plan not in plans.json)"] == 1)
        #expect(outcome.counts["drugs without rxnorm_id"] == 2)

        let cafe = try #require(sink.entry(texas, rxcui: "1234567"))
        #expect(cafe.drug.name == "Café \"Max\" 10 MG 😀 Tablet")
        #expect(cafe.priorAuthorization.required == true, "\"yes\"")
        #expect(cafe.stepTherapy.required == false, "\"N\"")
        #expect(cafe.quantityLimit.required == nil, "absent means unknown, never false")
        #expect(cafe.sourceLine == 2)
        let specialty = try #require(sink.entry(florida, rxcui: "1234567"))
        #expect(specialty.quantityLimit.required == true, "\"1\"")
        #expect(specialty.tierCode == "SPECIALTY")

        let compounded = try #require(sink.entries.first { $0.drug.name == "Compounded Thing" })
        #expect(compounded.drug.rxcui == nil)
        #expect(compounded.quantityLimit.required == nil, "null means unknown")
        #expect(compounded.sourceLine == 11)
        let empty = try #require(sink.entries.first { $0.drug.name == "Drug With An Empty rxnorm_id" })
        #expect(empty.drug.rxcui == nil)
        #expect(empty.priorAuthorization.required == true, "\"Y\"")
        #expect(empty.stepTherapy.required == false, "\"0\"")
    }

    @Test func filesAreRecognizedByContentNotName() throws {
        let scratch = try ScratchFolder()
        try scratch.write(QHPFixtures.data("cms-example/plans.json"), as: "issuer/a.json")
        try scratch.write(QHPFixtures.data("cms-example/drugs-1.json"), as: "issuer/b.json")
        try scratch.write(Data("notes".utf8), as: "issuer/README.txt")
        let folder = scratch.url.appendingPathComponent("issuer")
        #expect(QHPImporter.recognizes(folder))
        #expect(QHPImporter.recognizes(folder.appendingPathComponent("a.json")))
        #expect(QHPImporter.recognizes(folder.appendingPathComponent("b.json")))
        #expect(!QHPImporter.recognizes(folder.appendingPathComponent("README.txt")))

        let (sink, outcome) = try QHPFixtures.run([folder])
        #expect(sink.files.map(\.role) == ["plans.json", "drugs.json"])
        #expect(sink.entries.count == 5)
        #expect(outcome.warnings.contains { $0.contains("README.txt: not a .json file") })
    }

    @Test func otherJSONIsNotQHP() throws {
        let scratch = try ScratchFolder()
        let providers = try scratch.write(Data(#"[{"npi": "1234567890", "type": "INDIVIDUAL"}]"#.utf8), as: "providers.json")
        let other = try scratch.write(Data(#"{"resourceType": "Bundle"}"#.utf8), as: "bundle.json")
        #expect(!QHPImporter.recognizes(providers))
        #expect(!QHPImporter.recognizes(other))
        #expect(try !QHPImporter.recognizes(PartDFixtures.release()))
        let error = try #require(throws: ImportError.self) {
            try QHPFixtures.run([other, QHPFixtures.url("cms-example/drugs-1.json")])
        }
        guard case .unrecognizedFormat(let path, let reason) = error else {
            Issue.record("expected an unrecognized format, got \(error.localizedDescription)")
            return
        }
        #expect(path.hasSuffix("bundle.json"))
        #expect(reason.contains("not CMS QHP JSON"))
    }

    @Test func readsFilesInsideAZip() throws {
        let scratch = try ScratchFolder()
        let zip = try scratch.zip([
            (path: "issuer/plans.json", data: QHPFixtures.data("cms-example/plans.json")),
            (path: "issuer/drugs-1.json", data: QHPFixtures.data("cms-example/drugs-1.json")),
        ], as: "qhp.zip")
        #expect(QHPImporter.recognizes(zip))
        let (sink, outcome) = try QHPFixtures.run([zip])
        #expect(sink.files.map(\.name) == ["qhp.zip!/issuer/plans.json", "qhp.zip!/issuer/drugs-1.json"])
        #expect(sink.files[1].sha256 == "71e2fabd0c266cf594ab7f14199b353f644d4501cdab135a6a8c2800ad7ada28")
        #expect(outcome.counts["drug plan entries"] == 5)
    }
}
