/// Finds a drug listed twice for one plan across every drugs file of an import.
///
/// Each drug identity (its `rxnorm_id`, or its name when the id is null) gets a dense number and a
/// bit set over plan numbers, so checking 1.5 M entries costs a few bytes per drug rather than a
/// hash set of (plan, drug) strings.
struct QHPDuplicateGuard {
    private var drugIndex: [String: Int] = [:]
    private var plansByDrug: [DenseBitSet] = []
    /// Where each drug identity first appeared, for messages.
    private var firstPlace: [String] = []

    /// The dense number of a drug identity, remembering `place` when it is new.
    mutating func drug(_ identity: String, place: @autoclosure () -> String) -> Int {
        if let index = drugIndex[identity] { return index }
        drugIndex[identity] = plansByDrug.count
        plansByDrug.append(DenseBitSet())
        firstPlace.append(place())
        return plansByDrug.count - 1
    }

    /// Records (drug, plan); false when it was recorded before.
    mutating func insert(drug: Int, plan: Int) -> Bool {
        plansByDrug[drug].insert(plan)
    }

    /// Where the drug identity first appeared.
    func firstPlace(ofDrug drug: Int) -> String { firstPlace[drug] }
}
