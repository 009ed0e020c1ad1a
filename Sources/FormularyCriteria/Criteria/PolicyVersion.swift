/// A named version of a plan's policy (`A-2025-01`): the rules in force on its `from` date.
/// Pinning a version evaluates those rules whatever the as-of date is.
public struct PolicyVersion: Hashable, Codable, Sendable {
    public var id: String
    public var window: DayWindow
    public var note: String?

    public init(id: String, window: DayWindow, note: String? = nil) {
        self.id = id
        self.window = window
        self.note = note
    }
}
