/// Facts a PA form asks that no claim shows. Tri-state: `nil` means nobody said, which a
/// criterion reports as "unknown" (never as "no").
public struct PatientFlags: Hashable, Codable, Sendable {
    /// `psychiatry`, `primary care`, … (`prescriberPsychiatrist: true` sets `psychiatry`).
    public var prescriberSpecialty: String?
    public var remsSite: Bool?
    public var pdmpAttested: Bool?
    public var medWatchFiled: Bool?
    public var highSuicideRisk: Bool?
    public var catatonia: Bool?
    public var inanition: Bool?
    public var priorECTResponse: Bool?
    /// Receipts or chart notes are on file for cash or previous-plan trials.
    public var documentationAttached: Bool?

    public init(prescriberSpecialty: String? = nil, remsSite: Bool? = nil, pdmpAttested: Bool? = nil, medWatchFiled: Bool? = nil,
                highSuicideRisk: Bool? = nil, catatonia: Bool? = nil, inanition: Bool? = nil, priorECTResponse: Bool? = nil,
                documentationAttached: Bool? = nil) {
        self.prescriberSpecialty = prescriberSpecialty
        self.remsSite = remsSite
        self.pdmpAttested = pdmpAttested
        self.medWatchFiled = medWatchFiled
        self.highSuicideRisk = highSuicideRisk
        self.catatonia = catatonia
        self.inanition = inanition
        self.priorECTResponse = priorECTResponse
        self.documentationAttached = documentationAttached
    }

    /// The yes/no flags by the names criteria files use.
    public enum Name: String, Hashable, Codable, Sendable, CaseIterable {
        case remsSite, pdmpAttested, medWatchFiled, highSuicideRisk, catatonia, inanition, priorECTResponse, documentationAttached
    }

    public func value(_ name: Name) -> Bool? {
        switch name {
        case .remsSite: remsSite
        case .pdmpAttested: pdmpAttested
        case .medWatchFiled: medWatchFiled
        case .highSuicideRisk: highSuicideRisk
        case .catatonia: catatonia
        case .inanition: inanition
        case .priorECTResponse: priorECTResponse
        case .documentationAttached: documentationAttached
        }
    }

    public mutating func set(_ name: Name, _ value: Bool?) {
        switch name {
        case .remsSite: remsSite = value
        case .pdmpAttested: pdmpAttested = value
        case .medWatchFiled: medWatchFiled = value
        case .highSuicideRisk: highSuicideRisk = value
        case .catatonia: catatonia = value
        case .inanition: inanition = value
        case .priorECTResponse: priorECTResponse = value
        case .documentationAttached: documentationAttached = value
        }
    }
}
