import Foundation
import FormularyImport
import Testing

/// The shape error `body` must raise.
func shapeError(_ body: () throws -> Void) throws -> (path: String, expected: String, found: String, at: JSONPosition) {
    let error = try #require(throws: JSONError.self) { try body() }
    guard case .shape(let path, let expected, let found, let at) = error else {
        Issue.record("expected a shape error, got \(error)")
        throw error
    }
    return (path, expected, found, at)
}

@Suite("JSON reader")
struct JSONReaderTests {
    static let sample = #"""
        [
          {"id": "a", "plans": [{"tier": "GENERIC", "pa": true}, {"tier": 7}]},
          {"id": "b", "plans": []}
        ]
        """#

    @Test func shapeErrorsNameTheJSONPath() throws {
        let reader = JSONReader(Self.sample)
        let error = try shapeError {
            try reader.readArray {
                try reader.readObject { key in
                    guard key == "plans" else { return }
                    try reader.readArray {
                        try reader.readObject { key in
                            if key == "tier" { _ = try reader.readString() }
                        }
                    }
                }
            }
        }
        #expect(error.path == "$[0].plans[1].tier")
        #expect(error.expected == "a string")
        #expect(error.found == "the number 7")
        #expect(error.at.line == 2)
        #expect(error.at.column == 67)
        let message = JSONError.shape(path: error.path, expected: error.expected, found: error.found, at: error.at).localizedDescription
        #expect(message.hasPrefix("$[0].plans[1].tier: expected a string, found the number 7 (line 2"))
    }

    @Test func unreadValuesAreSkippedWhateverTheirSize() throws {
        let reader = JSONReader(Self.sample)
        var ids: [String] = []
        try reader.readArray {
            try reader.readObject { key in
                if key == "id" { ids.append(try reader.readString()) }
            }
        }
        try reader.finish()
        #expect(ids == ["a", "b"])
    }

    @Test func pullCallsWalkTheSameDocument() throws {
        let reader = JSONReader(Self.sample)
        try reader.beginArray()
        var elements = 0
        while try reader.nextElement() {
            elements += 1
            try reader.beginObject()
            #expect(try reader.nextKey() == "id")
            #expect(reader.path == "$[\(elements - 1)].id")
            // Leave "id" and "plans" unread: nextKey and nextElement skip them.
            #expect(try reader.nextKey() == "plans")
            #expect(try reader.nextKey() == nil)
        }
        try reader.finish()
        #expect(elements == 2)
    }

    @Test func keySetsMatchByBytesAndSkipOthers() throws {
        let keys = JSONKeySet(["tier", "pa"])
        let reader = JSONReader(#"{"x": [1, {"y": 2}], "pa": false, "tier": "BRAND", "z": null}"#)
        var seen: [Int: String] = [:]
        try reader.readObject(keys: keys) { index in
            seen[index] = index == 0 ? try reader.readString() : String(try reader.readBool())
        }
        #expect(seen == [0: "BRAND", 1: "false"])
    }

    @Test func materializesOneValue() throws {
        let reader = JSONReader(#"[{"a": [1, "x", null, true], "b": {"c": 0.10}}]"#)
        try reader.beginArray()
        #expect(try reader.nextElement())
        let value = try reader.readValue()
        #expect(value == .object([
            .init(key: "a", value: .array([.number("1"), .string("x"), .null, .bool(true)])),
            .init(key: "b", value: .object([.init(key: "c", value: .number("0.10"))])),
        ]))
        #expect(value["b"]?["c"]?.doubleValue == 0.1)
        #expect(value["a"]?[1]?.stringValue == "x")
        #expect(try reader.nextElement() == false)
    }

    @Test(arguments: [
        ("0.10", "0.1"), ("20.0", "20"), ("1e-2", "0.01"), ("-3.5E+2", "-350"), ("0", "0"), ("-0.0", "0"),
        ("1234567890123456789012345", "1234567890123456789012345"), ("0.000001", "0.000001"),
    ])
    func decimalsAreExact(text: String, expected: String) throws {
        let reader = JSONReader(text)
        #expect(try reader.readDecimal() == Decimal(string: expected))
    }

    @Test func integersMustBeWrittenAsIntegers() throws {
        #expect(try JSONReader("2025").readInt() == 2025)
        #expect(try JSONReader("-7").readInt() == -7)
        let fraction = try shapeError { _ = try JSONReader("2025.0").readInt() }
        #expect(fraction.expected == "an integer")
        let huge = try shapeError { _ = try JSONReader("99999999999999999999").readInt() }
        #expect(huge.expected.contains("range of Int"))
    }

    @Test func doublesAndRawNumberText() throws {
        #expect(try JSONReader("2.5e-1").readDouble() == 0.25)
        #expect(try JSONReader("0.10").readNumberText() == "0.10")
        _ = try shapeError { _ = try JSONReader("1e999").readDouble() }
    }

    @Test func awkwardKeysAreQuotedInPaths() throws {
        let reader = JSONReader(#"{"drug tier": {"a\"b": [true]}}"#)
        let error = try shapeError {
            try reader.readObject { _ in
                try reader.readObject { _ in
                    try reader.readArray { _ = try reader.readString() }
                }
            }
        }
        #expect(error.path == #"$["drug tier"]["a\"b"][0]"#)
        #expect(error.found == "true")
    }

    @Test func recoveringSkipsTheRestOfABadElement() throws {
        let reader = JSONReader(#"[{"n": 1}, {"n": "two", "deep": [[[1]]]}, "three", {"n": 4}]"#)
        var numbers: [Int] = []
        var failures: [String] = []
        try reader.beginArray()
        while try reader.nextElement() {
            do {
                try reader.readObject { key in
                    if key == "n" { numbers.append(try reader.readInt()) }
                }
            } catch let error as JSONError {
                failures.append(error.localizedDescription)
                try reader.recover(toDepth: 1)
            }
        }
        try reader.finish()
        #expect(numbers == [1, 4])
        #expect(failures.count == 2)
        #expect(failures[0].hasPrefix("$[1].n: expected an integer"))
        #expect(failures[1].hasPrefix("$[2]: expected an object"))
    }

    @Test func deepValuesFailAtTheLimitInsteadOfOverflowingTheStack() throws {
        let reader = JSONReader(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))
        let error = try #require(throws: JSONError.self) { _ = try reader.readValue() }
        guard case .limitExceeded(let what, 512, _) = error else {
            Issue.record("expected the depth limit, got \(error)")
            return
        }
        #expect(what == "nesting depth")
        let skipper = JSONReader(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))
        #expect(throws: JSONError.self) { try skipper.skipValue() }
    }

    @Test func finishRejectsTrailingData() throws {
        let reader = JSONReader("[1] [2]")
        try reader.skipValue()
        #expect(throws: JSONError.self) { try reader.finish() }
    }

    @Test func errorsBecomeRowProblems() throws {
        let shape = JSONError.shape(path: "$[3].plan_id", expected: "a string", found: "the number 5", at: JSONPosition(offset: 90, line: 7, column: 12))
        #expect(shape.rowProblem(file: "drugs.json").description == "drugs.json:7: $[3].plan_id: expected a string, found the number 5")
        let syntax = JSONError.syntax(expected: "',' or ']'", found: "'}'", at: JSONPosition(offset: 40, line: 3, column: 5), excerpt: "1 }")
        #expect(syntax.rowProblem(file: "drugs.json").description.hasPrefix(#"drugs.json:3: column 5 (byte 40) = "1 }": expected ',' or ']'"#))
    }
}
