import FormularyImport
import FormularyModel
import Testing

@Suite("QHP mapping tables")
struct QHPMappingTests {
    @Test(arguments: [
        ("GENERIC", TierCategory.generic),
        ("PREFERRED-GENERIC", .preferredGeneric),
        ("NON-PREFERRED-GENERIC", .nonPreferredGeneric),
        ("BRAND", .brand),
        ("PREFERRED-BRAND", .preferredBrand),
        ("NON-PREFERRED-BRAND", .nonPreferredBrand),
        ("SPECIALTY", .specialty),
        ("NON-PREFERRED-BRAND-SPECIALTY", .specialty),
        ("ZERO-COST-SHARE-PREVENTIVE", .zeroCostPreventive),
        ("zero-cost-share-preventative", .zeroCostPreventive),
        ("MEDICAL-SERVICE", .medicalBenefit),
        ("MEDICAL-BENEFIT", .medicalBenefit),
        ("medical-service", .medicalBenefit),
        ("PREFERRED", .preferred),
        ("NON-PREFERRED", .nonPreferred),
        ("non_preferred_brand", .nonPreferredBrand),
        ("Preferred Generic", .preferredGeneric),
        ("NONPREFERRED-BRAND", .nonPreferredBrand),
        (" generic ", .generic),
    ])
    func tierNamesMapToCategories(name: String, category: TierCategory) {
        #expect(TierNameMapping.category(for: name) == category)
    }

    @Test(arguments: ["TIER-1", "BOUTIQUE", "", "GENERIC-ISH"])
    func unknownTierNamesMapToNothing(name: String) {
        #expect(TierNameMapping.category(for: name) == nil)
    }

    @Test(arguments: [
        ("1-MONTH-IN-RETAIL", 30, PharmacyChannel.retailStandard),
        ("3-MONTH-IN-RETAIL", 90, .retailStandard),
        ("1-MONTH-IN-MAIL", 30, .mailStandard),
        ("3-MONTH-IN-MAIL", 90, .mailStandard),
        ("1-MONTH-OUT-RETAIL", 30, .retailOutOfNetwork),
        ("3-MONTH-OUT-RETAIL", 90, .retailOutOfNetwork),
        ("1-MONTH-OUT-MAIL", 30, .mailOutOfNetwork),
        ("3-month-out-mail", 90, .mailOutOfNetwork),
        ("2_MONTH_IN_RETAIL", 60, .retailStandard),
    ])
    func pharmacyTypesGiveDaysAndChannel(code: String, days: Int, channel: PharmacyChannel) throws {
        let benefit = try #require(PharmacyTypeMapping.benefit(for: code))
        #expect(benefit.daysSupply == days)
        #expect(benefit.channel == channel)
    }

    @Test(arguments: ["WEEKLY-IN-RETAIL", "1-MONTH-IN-STORE", "12-MONTH-IN-MAIL", "RETAIL", ""])
    func unknownPharmacyTypesGiveNothing(code: String) {
        #expect(PharmacyTypeMapping.benefit(for: code) == nil)
    }

    @Test(arguments: [
        ("AFTER-DEDUCTIBLE", CostShareQualifier.afterDeductible, true as Bool?),
        ("BEFORE-DEDUCTIBLE", .beforeDeductible, false),
        ("NO-CHARGE", .noCharge, false),
        ("NO-CHARGE-AFTER-DEDUCTIBLE", .noChargeAfterDeductible, true),
        ("charge", .charge, nil),
        ("deductible-waived", .deductibleWaived, false),
        ("coinsurance-not-applicable", .notApplicable, nil),
        ("no_charge", .noCharge, false),
    ])
    func costShareOptionsGiveQualifiers(code: String, qualifier: CostShareQualifier, deductible: Bool?) {
        #expect(CostShareOptionMapping.qualifier(for: code) == qualifier)
        #expect(CostShareOptionMapping.deductibleApplies(qualifier) == deductible)
    }
}
