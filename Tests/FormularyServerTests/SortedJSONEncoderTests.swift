import Foundation
import Testing
import FormularyAnalysis
import FormularyApp
import FormularyStore
@testable import FormularyServer

/// The API's JSON encoder writes exactly the bytes Foundation's `JSONEncoder` writes with the
/// API's options: on every analysis and pre-check of the bundled patients, the data endpoints'
/// values, and edge cases (escapes, numbers, dates, keys, nesting, fallbacks).
@Suite("formulary serve: sorted JSON encoder")
struct SortedJSONEncoderTests {
    static func expectSame<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fast = try SortedJSONEncoder.encode(value)
        let foundation = Array(try SortedJSONEncoder.foundation().encode(value))
        #expect(fast == foundation, "\(String(decoding: fast, as: UTF8.self))\n!=\n\(String(decoding: foundation, as: UTF8.self))",
                sourceLocation: sourceLocation)
    }

    enum Shape: Codable { case circle(radius: Double), square(Int), empty }
    struct Empty: Codable {}
    struct Edge: Encodable {
        var text = "a/b \"q\" back\\slash \u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f} é ü 😀 \u{2028} </script>"
        var doubles: [Double] = [300, 0.2, -0.0, 0, 1, -1, 1e20, 1e21, 1e16, 1.5e300, 5e-324, 1e-7, 123.456, 0.1 + 0.2,
                                 12_345_678_901_234_567_000, 2.5e-5, 1e23, .greatestFiniteMagnitude, -.leastNormalMagnitude]
        var floats: [Float] = [0.1, 3, 1e-10, .greatestFiniteMagnitude]
        var integers: [Int] = [0, -1, .min, .max]
        var unsigned: [UInt64] = [0, .max]
        var small: (Int8, UInt8, Int16, UInt32) = (-128, 255, -32768, 4_000_000_000)
        var decimals: [Decimal] = [Decimal(string: "0.20")!, Decimal(string: "1234.5678")!, 0, Decimal(string: "-3")!]
        var dates = [Date(timeIntervalSince1970: 1_700_000_000.75), Date(timeIntervalSince1970: 0)]
        var url = URL(string: "https://example.org/a/b?c=d&e=f")!
        var data = Data([0, 1, 2, 250, 255])
        var missing: String? = nil
        var present: String? = "here"
        var byString = ["b": 1, "a": 2, "B": 3, "ä": 4, "aa": 5, "10": 6, "2": 7, "": 8]
        var byInt = [10: "ten", 2: "two", -1: "minus one"]
        var byBool = [true: "yes"]
        var nested = [[["x": [1, 2]], [:]], []]
        var shapes: [Shape] = [.circle(radius: 1.5), .square(2), .empty]
        var empty = Empty()
        var bools = [true, false]
        var optionals: [Int?] = [1, nil, 3]

        enum CodingKeys: String, CodingKey {
            case text, doubles, floats, integers, unsigned, small, decimals, dates, url, data, missing, present, byString, byInt, byBool,
                 nested, shapes, empty, bools, optionals, explicitNil, Zebra, apple
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(doubles, forKey: .doubles)
            try container.encode(floats, forKey: .floats)
            try container.encode(integers, forKey: .integers)
            try container.encode(unsigned, forKey: .unsigned)
            var tuple = container.nestedUnkeyedContainer(forKey: .small)
            try tuple.encode(small.0)
            try tuple.encode(small.1)
            try tuple.encode(small.2)
            try tuple.encode(small.3)
            try container.encode(decimals, forKey: .decimals)
            try container.encode(dates, forKey: .dates)
            try container.encode(url, forKey: .url)
            try container.encode(data, forKey: .data)
            try container.encodeIfPresent(missing, forKey: .missing)
            try container.encode(present, forKey: .present)
            try container.encode(byString, forKey: .byString)
            try container.encode(byInt, forKey: .byInt)
            try container.encode(byBool, forKey: .byBool)
            try container.encode(nested, forKey: .nested)
            try container.encode(shapes, forKey: .shapes)
            try container.encode(empty, forKey: .empty)
            try container.encode(bools, forKey: .bools)
            try container.encode(optionals, forKey: .optionals)
            try container.encodeNil(forKey: .explicitNil)
            var inner = container.nestedContainer(keyedBy: CodingKeys.self, forKey: .Zebra)
            try inner.encode(1, forKey: .apple)
            try container.encode(Optional<Date>.some(dates[0]), forKey: .apple)
        }
    }

    /// Encodes the same key twice: Foundation keeps one value; the encoder hands this to it.
    struct Repeated: Encodable {
        enum Keys: String, CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .a)
            try container.encode("two", forKey: .a)
        }
    }

    class Base: Encodable {
        var base = 1
    }

    final class Derived: Base {
        var derived = "d"
        enum Keys: String, CodingKey { case derived }
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(derived, forKey: .derived)
            try super.encode(to: container.superEncoder())
        }
    }

    @Test("edge cases: escapes, numbers, dates, URLs, data, decimals, keys sorted by bytes, nesting, enums, empty values")
    func edgeCases() throws {
        try Self.expectSame(Edge())
        try Self.expectSame([Edge(), Edge()])
        try Self.expectSame(Empty())
        try Self.expectSame([String]())
        try Self.expectSame(["only": "one"])
        try Self.expectSame(Repeated())
        try Self.expectSame(Derived())
    }

    @Test("what Foundation refuses, the encoder refuses with Foundation's error")
    func nonFinite() throws {
        #expect(throws: EncodingError.self) { try SortedJSONEncoder.encode(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try SortedJSONEncoder.encode([Double.infinity]) }
    }

    @Test("every analysis and pre-check of the bundled patients, and the data endpoints' values, encode to Foundation's bytes")
    func analyses() throws {
        let server = try ServerRouteTests.server()
        let plans = try server.store.plans()
        #expect(!plans.isEmpty)
        try Self.expectSame(plans)
        try Self.expectSame(try server.store.snapshots())
        let folder = ServerRouteTests.repo("Formularies/patients")
        let patients = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(patients.count >= 5)
        var checked = 0
        for name in patients {
            let profile = try server.service.loadPatient(path: "\(folder)/\(name)")
            for plan in plans.map(\.plan.id.rawValue) {
                guard let analysis = try? server.service.analyze(profile, plans: [plan]) else { continue }
                try Self.expectSame(analysis)
                for option in analysis.plans.flatMap(\.options) {
                    let one = try server.service.analyze(profile, plans: [plan], options: [option.optionID])
                    for precheck in PrecheckJSON.from(one) { try Self.expectSame(precheck) }
                    checked += 1
                }
            }
        }
        #expect(checked > 50)
    }
}
