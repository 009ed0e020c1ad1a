/// Which part of an analysis a report is about.
public struct ReportScope: Hashable, Codable, Sendable {
    public var plans: [String]
    public var option: String?

    public init(plans: [String], option: String? = nil) {
        self.plans = plans
        self.option = option
    }
}
