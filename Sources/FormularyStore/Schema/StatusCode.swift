import FormularyModel

/// How `entry.status` and `plan_entry.status` store a `CoverageStatus`: small integers keep the
/// 1.5M-row table narrow. This is the only place that knows the numbers.
enum StatusCode {
    static func code(for status: CoverageStatus) -> Int64 {
        switch status {
        case .covered: 1
        case .coveredSupplemental: 2
        case .notCovered: 3
        case .unknown: 0
        }
    }

    static func status(for code: Int64) -> CoverageStatus {
        switch code {
        case 1: .covered
        case 2: .coveredSupplemental
        case 3: .notCovered
        default: .unknown
        }
    }
}
