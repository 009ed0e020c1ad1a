/// Warnings about one import, folded so a million repeats of the same oddity become one line
/// with a count and the first place it occurred, instead of a million lines.
struct ImportNotes {
    private var order: [String] = []
    private var entries: [String: (count: Int, first: String)] = [:]

    /// Records one occurrence of `message` at `place` (`plans.json:12 $[0]`).
    mutating func note(_ message: String, at place: String) {
        if let entry = entries[message] {
            entries[message] = (entry.count + 1, entry.first)
        } else {
            order.append(message)
            entries[message] = (1, place)
        }
    }

    /// One line per distinct message, in the order they first occurred.
    var messages: [String] {
        order.compactMap { message in
            guard let entry = entries[message] else { return nil }
            let times = entry.count == 1 ? "at" : "\(entry.count) times, first at"
            return "\(message) (\(times) \(entry.first))"
        }
    }
}
