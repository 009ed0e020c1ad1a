import FormularyCriteria

/// Concrete times for spacing an oral drug from fiber or a bile-acid binder (S16, S17), from the
/// times of day the profile gives for the binder (`medications: [{drug: psyllium, timeOfDay:
/// ["07:00", "19:00"]}]`): the windows of the day that are far enough after one dose and before
/// the next.
enum SpacingTimes {
    /// "; with psyllium at 07:00 and 19:00, take it between 09:00 and 18:00", or "" when the
    /// profile gives no times (or no window is left).
    static func describe(binders: [TherapyItem], profile: PatientProfile, hoursBefore: Double, hoursAfter: Double) -> String {
        let names = Set(binders.map(\.ref))
        let medications = profile.medications.filter { names.contains($0.ref) && !$0.timeOfDay.isEmpty }
        guard !medications.isEmpty else { return "" }
        let times = Array(Set(medications.flatMap(\.timeOfDay).map(\.minutes))).sorted()
        let windows = self.windows(doses: times, before: Int(hoursBefore * 60), after: Int(hoursAfter * 60))
        let given = times.map(clock).joined(separator: " and ")
        let drug = Array(Set(medications.map(\.drug))).sorted().joined(separator: ", ")
        guard !windows.isEmpty else { return "; with \(drug) at \(given) no time of day is far enough from it: space the doses differently" }
        return "; with \(drug) at \(given), take it " + windows.map { "between \(clock($0.from)) and \(clock($0.to))" }.joined(separator: " or ")
    }

    /// The windows (minutes of the day) at least `after` minutes after a dose and `before`
    /// minutes before the next one, the day wrapping at midnight.
    static func windows(doses: [Int], before: Int, after: Int) -> [(from: Int, to: Int)] {
        guard !doses.isEmpty else { return [] }
        var out: [(Int, Int)] = []
        for (index, dose) in doses.enumerated() {
            let next = index + 1 < doses.count ? doses[index + 1] : doses[0] + 24 * 60
            let from = dose + after
            let to = next - before
            if from <= to { out.append((from % (24 * 60), to % (24 * 60))) }
        }
        return out
    }

    static func clock(_ minutes: Int) -> String {
        let value = ((minutes % 1440) + 1440) % 1440
        let hour = value / 60, minute = value % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
