/// A pharmacological fact the safety rules (DOMAIN.md §3) key on. Kept as data in
/// `trd_drugs.yaml` so a new interaction agent needs no code change.
public enum DrugProperty: String, Hashable, Codable, Sendable, CaseIterable {
    /// §5.0 rule 11 and S4: serotonin-syndrome risk when combined.
    case serotonergic
    /// S1/S2/S3: monoamine oxidase inhibition (including linezolid, methylene blue).
    case maoi
    /// Counts as serotonergic for MAOI washouts only (bupropion, §5.0 rule 11).
    case maoiWashoutAgent = "maoi-washout-agent"
    /// S7/S8: fluoxetine, paroxetine, bupropion, quinidine.
    case strongCYP2D6Inhibitor = "strong-cyp2d6-inhibitor"
    case moderateCYP2D6Inhibitor = "moderate-cyp2d6-inhibitor"
    /// S7/S8/S10: clarithromycin, ketoconazole, itraconazole, ritonavir.
    case strongCYP3A4Inhibitor = "strong-cyp3a4-inhibitor"
    case moderateCYP3A4Inhibitor = "moderate-cyp3a4-inhibitor"
    /// S9: cimetidine, omeprazole (CYP2C19 inhibitors that cap citalopram).
    case cyp2c19Inhibitor = "cyp2c19-inhibitor"
    /// S6: antipsychotics, TCAs, theophylline, systemic steroids, tramadol.
    case lowersSeizureThreshold = "lowers-seizure-threshold"
    /// S5: contains bupropion.
    case bupropionContaining = "bupropion-containing"
    /// S15: NSAIDs, ACE inhibitors, ARBs, thiazides raise lithium levels.
    case raisesLithiumLevels = "raises-lithium-levels"
    case lithium
    /// S16: psyllium and other fiber.
    case fiber
    /// S17: cholestyramine, colestipol, colesevelam.
    case bileAcidSequestrant = "bile-acid-sequestrant"
    /// S12/S18: benzodiazepines, opioids, alcohol, sedating drugs.
    case cnsDepressant = "cns-depressant"
    /// S12: amphetamines, methylphenidate.
    case psychostimulant
    /// S19: amitriptyline and other strongly anticholinergic TCAs.
    case stronglyAnticholinergic = "strongly-anticholinergic"
    /// S9/S10: other QT-prolonging drugs.
    case qtProlonging = "qt-prolonging"
    /// Sold over the counter (not covered by most drug benefits).
    case otc
    /// An antiepileptic (its abrupt withdrawal is an S5 trigger).
    case antiepileptic
    /// S20: NSAIDs, aspirin, anticoagulants and antiplatelets (bleeding risk with SSRIs/SNRIs).
    case bleedingRisk = "bleeding-risk"
}

extension DrugProperty {
    /// The cases in declaration order (at most 64: a test holds that).
    static let ordered = allCases

    /// One bit per case, in declaration order.
    var bit: UInt64 { 1 << UInt64(Self.ordered.firstIndex(of: self) ?? 63) }
}
