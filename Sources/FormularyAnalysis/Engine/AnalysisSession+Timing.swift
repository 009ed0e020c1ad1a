import FormularyCriteria

extension AnalysisSession {
    /// When an option can start: its path's date (the as-of date when nothing remains), pushed
    /// back to the end of every washout its safety findings require. It is reachable now only
    /// when its verdict is and no washout is still running.
    func startTiming(_ assessment: Assessment, remaining: RemainingPath?) -> (reachableNow: Bool, earliestStart: Day?) {
        guard assessment.verdict != .contraindicated && assessment.verdict != .notCovered else { return (false, nil) }
        let pathDay: Day?
        if assessment.verdict.isReachableNow {
            pathDay = facts.asOf
        } else if let remaining, remaining.reachable {
            pathDay = remaining.reachableOn ?? facts.asOf
        } else {
            pathDay = nil
        }
        guard let pathDay else { return (false, nil) }
        // Read in place: filtering the findings copied each one (perf).
        var start = pathDay
        assessment.safety.withUnsafeBufferPointer { findings in
            for index in findings.indices where findings[index].verdict == .washout {
                if let end = findings[index].earliestStart, end > start { start = end }
            }
        }
        return (assessment.verdict.isReachableNow && start <= facts.asOf, start)
    }
}
