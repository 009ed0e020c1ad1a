import FormularyAnalysis

/// One piece of evidence as a line people can check against the record: what, when, how much,
/// why it counts (or not), and where it is in the patient file.
enum EvidenceText {
    static func inlines(_ evidence: Evidence, showRef: Bool) -> [Inline] {
        var out: [Inline] = []
        let head = evidence.drug ?? evidenceKind(evidence.kind)
        out.append(.strong(head))
        var facts: [String] = []
        if let value = evidence.value, value != evidence.drug { facts.append(value) }
        // A score, flag or event happened on a day; a trial or claim runs from it.
        let pointInTime: Set<Evidence.Kind> = [.score, .event, .flag, .demographics, .safety]
        let range = pointInTime.contains(evidence.kind) && evidence.through == nil
            ? evidence.from.map { "on \(TextFormat.day($0))" } ?? ""
            : TextFormat.range(evidence.from, evidence.through)
        if !range.isEmpty { facts.append(range) }
        if !facts.isEmpty { out.append(.text(" (" + facts.joined(separator: ", ") + ")")) }
        out.append(.text(": " + evidence.detail))
        if !evidence.counts { out.append(.emphasis(" (not counted)")) }
        if showRef, let ref = evidence.ref {
            out.append(.text(" "))
            out.append(.code(ref))
        }
        return out
    }

    static func evidenceKind(_ kind: Evidence.Kind) -> String {
        switch kind {
        case .claim: "pharmacy claim"
        case .trial: "treatment trial"
        case .plannedTrial: "planned trial"
        case .score: "rating score"
        case .flag: "record"
        case .diagnosis: "diagnosis"
        case .procedure: "procedure"
        case .demographics: "age"
        case .event: "event"
        case .safety: "safety"
        case .medication: "medication"
        }
    }
}
