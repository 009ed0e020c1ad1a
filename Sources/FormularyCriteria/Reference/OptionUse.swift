/// How an option is meant to be used: instead of the current antidepressant, or on top of the
/// current regimen. The analysis judges safety and paths differently for each (adding a
/// serotonergic drug to an MAOI can kill; switching to it needs a washout).
public enum OptionUse: String, Hashable, Codable, Sendable, CaseIterable {
    case addOn = "add-on"
    case `switch`
}
