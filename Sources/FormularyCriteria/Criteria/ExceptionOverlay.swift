/// A legal route around a step or PA: a state step-therapy exception law (Arizona ARS
/// 20-3651..3654) for fully insured plans, or Medicare Part D's coverage determination. The
/// analyzer turns it into exception grounds with decision clocks.
public struct ExceptionOverlay: Hashable, Codable, Sendable {
    public enum Kind: String, Hashable, Codable, Sendable {
        case stateStepTherapyException = "state-step-therapy-exception"
        case medicareCoverageDetermination = "medicare-coverage-determination"
        case formularyException = "formulary-exception"
    }

    /// Grounds the overlay recognizes.
    public enum Ground: String, Hashable, Codable, Sendable, CaseIterable {
        /// The required step drug is contraindicated or likely harmful.
        case stepContraindicated = "step-contraindicated"
        /// Tried under the current or a previous plan (documented, not in claims).
        case triedUnderCurrentOrPreviousPlan = "tried-under-current-or-previous-plan"
        case expectedIneffective = "expected-ineffective"
        case stableOnCurrentDrug = "stable-on-current-drug"
        case notInBestInterest = "not-in-best-interest"
        case nonFormularyMedicalNecessity = "non-formulary-medical-necessity"
    }

    public var id: String
    public var kind: Kind
    public var title: String?
    /// Two-letter state the law applies in (state overlays).
    public var state: String?
    /// `fully-insured` (state laws do not reach self-funded ERISA plans).
    public var funding: String?
    public var grounds: [Ground]
    public var decisionHours: Int
    public var exigentHours: Int?
    public var deemedApprovedIfLate: Bool
    public var appealDays: Int?
    public var citation: String
    public var line: Int?

    public init(id: String, kind: Kind, title: String? = nil, state: String? = nil, funding: String? = nil, grounds: [Ground],
                decisionHours: Int, exigentHours: Int? = nil, deemedApprovedIfLate: Bool = false, appealDays: Int? = nil,
                citation: String, line: Int? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.state = state
        self.funding = funding
        self.grounds = grounds
        self.decisionHours = decisionHours
        self.exigentHours = exigentHours
        self.deemedApprovedIfLate = deemedApprovedIfLate
        self.appealDays = appealDays
        self.citation = citation
        self.line = line
    }
}
