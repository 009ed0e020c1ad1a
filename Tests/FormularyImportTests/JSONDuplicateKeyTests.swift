import Foundation
import FormularyImport
import Testing

/// A key named twice in one object is an error at the second key, whichever way the object is read.
@Suite("JSON reader: duplicate keys")
struct JSONDuplicateKeyTests {
    @Test func aRepeatedKeyReadAsStringsFailsAtItsSecondCopy() throws {
        let text = #"{"resourceType":"Basic","resourceType":"Patient"}"#
        let reader = JSONReader(text)
        let error = try shapeError { try reader.readObject { _ in } }
        #expect(error.path == "$.resourceType")
        #expect(error.expected == "an object that names each key once")
        #expect(error.found == #"the key "resourceType" a second time, which leaves its value ambiguous"#)
        #expect(error.at == JSONPosition(offset: 24, line: 1, column: 25))
    }

    @Test func materializingAValueFindsItToo() throws {
        let text = "[\n  {\"a\": 1,\n   \"b\": {\"c\": 1, \"c\": 2}}\n]"
        let reader = JSONReader(text)
        let error = try shapeError { _ = try reader.readValue() }
        #expect(error.path == "$[0].b.c")
        #expect(error.at == JSONPosition(offset: 30, line: 3, column: 18))
    }

    @Test func aRepeatedKeyOfAKeySetCostsOneBitAndFails() throws {
        let keys = JSONKeySet(["plan_id", "drug_tier"])
        let reader = JSONReader(#"{"plan_id": "12345XX9876543", "drug_tier": "GENERIC", "plan_id": "99999XX9999999"}"#)
        var read: [String] = []
        let error = try shapeError {
            try reader.readObject(keys: keys) { _ in read.append(try reader.readString()) }
        }
        #expect(read == ["12345XX9876543", "GENERIC"], "the second plan_id is never handed out")
        #expect(error.path == "$.plan_id")
        #expect(error.found == #"the key "plan_id" a second time, which leaves its value ambiguous"#)
        #expect(error.at.offset == 54)
    }

    @Test func keysOutsideTheKeySetAreCheckedAsWell() throws {
        let keys = JSONKeySet(["plan_id"])
        let reader = JSONReader(#"{"plan_id_type": "HIOS-PLAN-ID", "plan_id": "x", "plan_id_type": "OTHER"}"#)
        let error = try shapeError { try reader.readObject(keys: keys) { _ in _ = try reader.readString() } }
        #expect(error.path == "$.plan_id_type")
        #expect(error.at.offset == 49)
    }

    @Test func theSameKeysInSiblingAndNestedObjectsAreFine() throws {
        let keys = JSONKeySet(["id", "plans"])
        let text = #"[{"id": "a", "x": 1, "plans": [{"id": "p", "x": 2, "plans": null}]}, {"id": "b", "x": 3, "plans": []}]"#
        let reader = JSONReader(text)
        var ids: [String] = []
        try reader.readArray {
            try reader.readObject(keys: keys) { index in
                if index == 0 { ids.append(try reader.readString()); return }
                try reader.readArray {
                    try reader.readObject(keys: keys) { index in if index == 0 { ids.append(try reader.readString()) } }
                }
            }
        }
        try reader.finish()
        #expect(ids == ["a", "p", "b"])
    }

    @Test func objectsInsideSkippedValuesAreNotLookedAt() throws {
        let reader = JSONReader(#"{"text": {"div": 1, "div": 2}, "id": "a"}"#)
        var id: String?
        try reader.readObject { key in if key == "id" { id = try reader.readString() } }
        try reader.finish()
        #expect(id == "a")
    }

    /// Past the linear scan's limit the object's keys move to a hash set: a repeat is still found,
    /// and a wide object without one still reads.
    @Test(arguments: [5, 16, 17, 40])
    func wideObjectsAreCheckedAtEveryWidth(_ width: Int) throws {
        let members = (0..<width).map { #""k\#($0)": \#($0)"# }
        let clean = JSONReader("{" + members.joined(separator: ", ") + "}")
        var count = 0
        try clean.readObject { _ in count += 1 }
        #expect(count == width)

        let repeated = JSONReader("{" + (members + [#""k0": -1"#]).joined(separator: ", ") + "}")
        let error = try shapeError { try repeated.readObject { _ in } }
        #expect(error.path == "$.k0")
        #expect(error.found.hasPrefix(#"the key "k0" a second time"#))
    }

    @Test func aWideObjectLeavesNoTraceForTheNextOne() throws {
        let wide = "{" + (0..<30).map { #""k\#($0)": 0"# }.joined(separator: ", ") + "}"
        let reader = JSONReader("[" + wide + ", " + wide + #", {"k1": 0, "k1": 1}]"#)
        var objects = 0
        let error = try shapeError {
            try reader.readArray {
                objects += 1
                try reader.readObject { _ in }
            }
        }
        #expect(objects == 3)
        #expect(error.path == "$[2].k1")
    }

    @Test func recoveryAfterARepeatedKeyReadsTheNextElement() throws {
        let keys = JSONKeySet(["id"])
        let reader = JSONReader(#"[{"id": "a", "id": "b", "x": {"y": 1}}, {"id": "c"}]"#)
        var ids: [String] = []
        var failures: [String] = []
        try reader.beginArray()
        while try reader.nextElement() {
            do {
                try reader.readObject(keys: keys) { _ in ids.append(try reader.readString()) }
            } catch let error as JSONError {
                failures.append(error.localizedDescription)
                try reader.recover(toDepth: 1)
            }
        }
        try reader.finish()
        #expect(ids == ["a", "c"])
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix("$[0].id: expected an object that names each key once") == true)
    }

    @Test func keysThatDifferOnlyByEscapesAreTheSameKey() throws {
        let reader = JSONReader(#"{"plan_id": 1, "plan\u005fid": 2}"#)
        let error = try shapeError { try reader.readObject { _ in } }
        #expect(error.path == "$.plan_id")
    }
}
