import FormularyCriteria

/// Keeps names and identifiers out of what an import writes. The importer reads a person's names
/// (Patient, RelatedPerson) and identifiers (member ids, the Medicare beneficiary identifier,
/// medical record numbers) only to know them; wherever one appears in a file name or a resource
/// id written with a fact or a warning (Synthea names files after the patient), it becomes `[…]`.
struct Redactor {
    static let mark = "[…]"
    let tokens: Set<String>

    /// Replaces every token that stands alone (bounded by non-alphanumerics), ignoring case.
    func apply(_ text: String) -> String {
        guard !tokens.isEmpty, !text.isEmpty else { return text }
        // Identifiers may hold separators (`1234-234-1243`): those are replaced as wholes first.
        var result = text
        for token in tokens where token.contains(where: { !$0.isLetter && !$0.isNumber }) {
            result = Self.replace(token, in: result)
        }
        var out = ""
        var word = ""
        func flush() {
            if !word.isEmpty {
                out += tokens.contains(word.lowercased()) ? Self.mark : word
                word = ""
            }
        }
        for character in result {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out
    }

    /// Replaces `token` (case-insensitive) where it is bounded by non-alphanumerics.
    static func replace(_ token: String, in text: String) -> String {
        let lower = text.lowercased()
        guard lower.contains(token), lower.count == text.count else { return text }
        var result = ""
        var index = text.startIndex
        var lowerIndex = lower.startIndex
        while index < text.endIndex {
            if lower[lowerIndex...].hasPrefix(token) {
                let beforeOK = lowerIndex == lower.startIndex || !(lower[lower.index(before: lowerIndex)].isLetter || lower[lower.index(before: lowerIndex)].isNumber)
                let end = lower.index(lowerIndex, offsetBy: token.count)
                let afterOK = end == lower.endIndex || !(lower[end].isLetter || lower[end].isNumber)
                if beforeOK, afterOK {
                    result += mark
                    index = text.index(index, offsetBy: token.count)
                    lowerIndex = end
                    continue
                }
            }
            result.append(text[index])
            index = text.index(after: index)
            lowerIndex = lower.index(after: lowerIndex)
        }
        return result
    }

    func apply(_ source: FactSource) -> FactSource {
        FactSource(file: apply(source.file), resource: apply(source.resource))
    }

    func apply(_ sources: [FactSource]) -> [FactSource] {
        sources.map(apply)
    }

    func apply(_ warning: RecordWarning) -> RecordWarning {
        RecordWarning(file: apply(warning.file), resource: apply(warning.resource), field: warning.field, message: apply(warning.message))
    }

    func apply(to profile: inout PatientProfile) {
        guard !tokens.isEmpty else { return }
        profile.demographics.sources = apply(profile.demographics.sources)
        for index in profile.claims.indices {
            profile.claims[index].sources = apply(profile.claims[index].sources)
            profile.claims[index].note = profile.claims[index].note.map(apply)
        }
        for index in profile.trials.indices {
            profile.trials[index].sources = apply(profile.trials[index].sources)
            profile.trials[index].note = profile.trials[index].note.map(apply)
        }
        for index in profile.procedures.indices { profile.procedures[index].sources = apply(profile.procedures[index].sources) }
        for index in profile.scores.indices { profile.scores[index].sources = apply(profile.scores[index].sources) }
        for index in profile.diagnoses.indices { profile.diagnoses[index].sources = apply(profile.diagnoses[index].sources) }
        for index in profile.medications.indices { profile.medications[index].sources = apply(profile.medications[index].sources) }
        for index in profile.conditionRecords.indices { profile.conditionRecords[index].sources = apply(profile.conditionRecords[index].sources) }
    }
}
