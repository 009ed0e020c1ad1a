/// An option the prescriber asks about (`Rexulti 2 mg as an add-on`): which option, whether it
/// would be added to the current regimen or replace the current antidepressant, and the dose.
/// The analysis judges safety and steps differently for an add-on and a switch.
public struct OptionRequest: Hashable, Codable, Sendable {
    /// The drug reference's option id (`brexpiprazole`, `wellbutrin-xl`, `tms`). A profile read
    /// without a drug reference keeps the name as written.
    public var option: String
    /// The name as the profile writes it (`Rexulti`), for messages.
    public var text: String
    /// Add-on or switch; `nil` when the profile does not say.
    public var use: OptionUse?
    /// The requested dose in milligrams per day.
    public var mgPerDay: Double?
    /// Where it sits in the source file (`requests[0]`), for evidence.
    public var ref: String

    public init(option: String, text: String? = nil, use: OptionUse? = nil, mgPerDay: Double? = nil, ref: String = "") {
        self.option = option
        self.text = text ?? option
        self.use = use
        self.mgPerDay = mgPerDay
        self.ref = ref
    }
}
