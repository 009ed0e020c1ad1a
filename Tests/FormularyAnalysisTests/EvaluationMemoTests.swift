import Testing
@testable import FormularyCriteria
@testable import FormularyAnalysis

/// `EvaluationMemo.copy()`: the second core's memo. Answers are kept apart, numbers are shared:
/// an assessment made through one memo carries its rules' numbers into the other session.
@Suite("evaluation memo copies")
struct EvaluationMemoTests {
    @Test("a memo and its copy give every rule one number, whichever numbers it first")
    func sharedNumbering() throws {
        let document = try #require(Fixtures.shared.criteria.documents.first { $0.rules.count >= 3 })
        let rules = document.rules
        let memo = EvaluationMemo()
        let first = try #require(memo.serial(of: rules[0], in: document))
        let copy = memo.copy()
        // Each numbers a rule the other has not seen: the numbers must differ, and each memo must
        // then know the other's.
        let second = try #require(copy.serial(of: rules[1], in: document))
        let third = try #require(memo.serial(of: rules[2], in: document))
        #expect(Set([first, second, third]).count == 3)
        #expect(memo.serial(of: rules[1], in: document) == second)
        #expect(copy.serial(of: rules[2], in: document) == third)
        #expect(copy.serial(of: rules[0], in: document) == first)
    }

    @Test("a copy's answers stay its own")
    func separateAnswers() {
        let memo = EvaluationMemo()
        let copy = memo.copy()
        let key = EvaluationMemo.SafetyKey(option: "sertraline", day: Fixtures.day("2025-08-01"))
        _ = copy.safety(key) { [] }
        var computed = false
        _ = memo.safety(key) { computed = true; return [] }
        #expect(computed, "the original memo answered from its copy's table")
    }
}
