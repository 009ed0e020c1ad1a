import Foundation
import Testing
import FormularyCriteria

/// `DiagnosisCriterion` parses its code patterns once; matching, equality and JSON must be those
/// of the codes as written.
@Suite("diagnosis code patterns")
struct DiagnosisPatternTests {
    @Test("prefixes, ranges within the category length, exact codes and categories; case-insensitive", arguments: [
        ("F33.*", "F33.1", true), ("F33.*", "f33.41", true), ("F33.*", "F32.9", false),
        ("F32.0-F32.3", "F32.1", true), ("F32.0-F32.3", "F32.19", true), ("F32.0-F32.3", "F32.4", false), ("f32.0-f32.3", "F32.2", true),
        ("F53.0", "F53.0", true), ("F53.0", "F53.01", true), ("F53.0", "F53.1", false),
        ("F33", "F33.1", true), ("F33", "F33", true), ("F33", "F330", false),
    ])
    func matching(pattern: String, code: String, expected: Bool) {
        #expect(DiagnosisCriterion(codes: [pattern]).matches(code) == expected, "\(pattern) vs \(code)")
    }

    @Test("changing the codes changes what matches; equality, hashing and JSON follow the codes")
    func valueSemantics() throws {
        var criterion = DiagnosisCriterion(codes: ["F33.*"], notInRemission: true)
        #expect(criterion.matches("F33.2") && !criterion.matches("F32.2"))
        criterion.codes = ["F32.*"]
        #expect(criterion.matches("F32.2") && !criterion.matches("F33.2"))
        #expect(criterion == DiagnosisCriterion(codes: ["F32.*"], notInRemission: true))
        #expect(criterion.hashValue == DiagnosisCriterion(codes: ["F32.*"], notInRemission: true).hashValue)
        let data = try JSONEncoder().encode(criterion)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["codes", "notInRemission"])
        let decoded = try JSONDecoder().decode(DiagnosisCriterion.self, from: data)
        #expect(decoded == criterion && decoded.matches("F32.9"))
    }
}
