import FormularyModel

/// Builds one `TierDefinition` per formulary and tier code once every table has been read.
///
/// Part D tiers are bare numbers: the SPUF has no labels, and tier 5 means different things in
/// different formularies, so the category is never derived from the number. The one signal is
/// the beneficiary cost table's `TIER_SPECIALTY_YN`, given per plan: a tier is specialty when
/// any plan using the formulary marks it Y, not specialty when plans mark it only N, and unknown
/// (`nil`) when no cost rows mention it.
struct TierDefinitionBuilder {
    var formularies: [BasicFormularyReader.Tally]
    var formularyByPlan: [PlanID: FormularyID]
    var specialtyFlags: [BeneficiaryCostReader.PlanTier: Bool]

    func definitions() -> [TierDefinition] {
        var plansByFormulary: [FormularyID: [PlanID]] = [:]
        for (plan, formulary) in formularyByPlan {
            plansByFormulary[formulary, default: []].append(plan)
        }
        var definitions: [TierDefinition] = []
        for tally in formularies {
            let id = tally.formulary.id
            let plans = plansByFormulary[id] ?? []
            for code in tally.tierCodes {
                let flags = plans.compactMap { specialtyFlags[BeneficiaryCostReader.PlanTier(plan: $0, tier: code)] }
                let isSpecialty: Bool? = flags.isEmpty ? nil : flags.contains(true)
                definitions.append(TierDefinition(
                    formulary: id, sourceCode: code, category: isSpecialty == true ? .specialty : .unknown,
                    isSpecialty: isSpecialty
                ))
            }
        }
        return definitions
    }
}
