/// The short glossary at the end of patient reports: the words a plan letter uses, in plain
/// language. Fixed text.
enum Glossary {
    static let terms: [(term: String, definition: String)] = [
        ("Formulary", "The plan's list of covered drugs, with each drug's tier and rules."),
        ("Tier", "The cost level a plan puts a drug in. Lower tiers (usually generics) cost you less; higher tiers (brands, specialty drugs) cost more."),
        ("Copay / coinsurance", "A copay is a fixed dollar amount per fill or visit. Coinsurance is a percentage of the price, so the dollar amount depends on the price the plan pays."),
        ("Prior authorization (PA)", "The plan must approve the drug or treatment before it pays. The prescriber sends a request showing the plan's criteria are met."),
        ("Step therapy (ST)", "The plan pays for a drug only after other drugs (the \"steps\") were tried first and did not work or could not be taken."),
        ("Quantity limit (QL)", "A cap on how much the plan pays for in a period, for example one tablet a day or a number of sessions a month."),
        ("Lookback", "How far back the plan looks for earlier trials. A trial older than the lookback stops counting unless records are sent."),
        ("Pharmacy benefit", "The part of the plan that pays for prescriptions filled at a pharmacy."),
        ("Medical benefit", "The part of the plan that pays for care given in a clinic, such as Spravato sessions or TMS. It has its own costs and approval process."),
        ("REMS", "A safety program the FDA requires for some drugs. Spravato can only be given at a REMS-certified clinic, which watches you after each dose."),
        ("Washout", "A waiting period between stopping one drug and starting another, so the two never overlap in the body."),
        ("Contraindicated", "Ruled out for safety reasons for this person."),
        ("Exception", "A request that the plan cover a drug or waive a rule (a step, a limit, a tier) for medical reasons. The prescriber supports it with a statement."),
        ("Appeal", "A request that the plan reconsider a denial. Letters from the plan say how and by when to appeal."),
        ("Coverage determination", "Medicare Part D's name for the plan's decision on a drug, including an exception request."),
        ("Redetermination", "The first level of appeal in Medicare Part D, after a coverage determination says no."),
        ("Labeler / manufacturer switch", "Generic drugs come from different makers (labelers). A pharmacy may switch makers without a new prescription; the drug name stays the same."),
        ("MedWatch", "The FDA's form (3500) for reporting a problem with a drug, including a generic that seems to work differently."),
    ]
}
