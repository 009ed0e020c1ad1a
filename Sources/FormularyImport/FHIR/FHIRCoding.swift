/// A FHIR `Coding`: which code system, which code, and what the source calls it.
struct FHIRCoding: Hashable, Sendable {
    var system: String?
    var code: String
    var display: String?

    /// Reads `element` as a Coding; nil when it has no code.
    init?(_ element: FHIRElement) {
        guard let code = element.string("code"), !code.isEmpty else { return nil }
        self.system = element.string("system")
        self.code = code
        self.display = element.string("display")
    }

    init(system: String?, code: String, display: String?) {
        self.system = system
        self.code = code
        self.display = display
    }
}
