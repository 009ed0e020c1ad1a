import Foundation
import Testing
@testable import FormularyCriteria
@testable import FormularyAnalysis

/// The profile reader's own trimming matches Foundation's `trimmingCharacters(in:)` (which it
/// replaced on the API's hot path) for spaces, tabs, line breaks and Unicode spaces.
@Suite("trimming without NSString")
struct TrimmingTests {
    static let samples = [
        "", " ", "\t\n", "  a  ", "\tF33.2\r\n", "sertraline", " 2025-03-20 ", "\u{00A0}x\u{2003}", "x\u{2028}", "\u{85}y\u{85}",
        "é ", " 日本 ", "a b", "\n\n150\n", "\u{200B}zero-width\u{200B}", "👩🏽‍⚕️ ", " \u{301}combining",
    ]

    @Test("same result as CharacterSet.whitespaces and .whitespacesAndNewlines", arguments: samples)
    func matchesFoundation(text: String) {
        #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("generated strings of spaces, breaks and letters agree with Foundation")
    func generated() {
        let alphabet: [Character] = [" ", "\t", "\n", "\r", "\u{A0}", "\u{3000}", "a", "é", "1", "-"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(text.unicodeScalars))")
        }
    }
}

/// The safety messages' template filling.
@Suite("safety message templates")
struct SafetyTemplateTests {
    @Test("{option} and {others} are filled; other braces and unknown names stay as written")
    func fill() {
        #expect(SafetyEngine.fill("adding {option} to {others}", ["option": "Rexulti", "others": "fluoxetine, paroxetine"])
            == "adding Rexulti to fluoxetine, paroxetine")
        #expect(SafetyEngine.fill("{option}{option}", ["option": "a"]) == "aa")
        #expect(SafetyEngine.fill("keep {unknown} and { and }", ["option": "a"]) == "keep {unknown} and { and }")
        #expect(SafetyEngine.fill("trailing {", [:]) == "trailing {")
        #expect(SafetyEngine.fill("", ["option": "a"]) == "")
    }
}
