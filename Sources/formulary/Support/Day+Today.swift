import Foundation
import FormularyCriteria

extension Day {
    /// Today's date in this machine's time zone: what "as of today" means to a cron job.
    static var today: Day {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? Day(ordinal: 0)
    }
}
