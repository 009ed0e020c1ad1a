import Foundation
import Testing

/// Hundreds of bad inputs, generated here from the bundled files, through the binary: each must
/// fail without a crash, with a non-zero exit and a message that names where it is wrong, and
/// leave every source's previous snapshot current and unchanged. Interruption leaves no files.
@Suite("hostile input", .serialized)
struct HostileInputTests {
    /// One generated bad input.
    struct Case {
        var label: String
        /// The file or folder given to `formulary import`.
        var path: URL
        /// The source it would replace.
        var source: String
        var format: String
        /// Text the message must contain to count as locating the problem (a file name, an
        /// entry, a line, a path).
        var locator: String
    }

    static let partDName = "basic drugs formulary file  PPUF_2026Q1.txt"

    /// Replaces field `index` of data line `line` (1-based, the header is line 1) of a pipe-delimited text.
    static func replacingField(_ text: String, line: Int, index: Int, with value: String) -> String {
        var lines = text.components(separatedBy: "\r\n")
        var fields = lines[line - 1].components(separatedBy: "|")
        fields[index] = value
        lines[line - 1] = fields.joined(separator: "|")
        return lines.joined(separator: "\r\n")
    }

    /// Writes `data` as `name` in a fresh folder of its own and returns the file.
    static func write(_ data: Data, name: String, in root: URL, label: String) throws -> URL {
        let folder = root.appendingPathComponent(label.filter { $0.isLetter || $0.isNumber || $0 == "-" })
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try data.write(to: file)
        return file
    }

    /// A deterministic generator, so a failure names a case that can be made again.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Offsets of the bytes of `text` that are JSON or XML structure, where any replacement breaks the syntax.
    static func structuralOffsets(_ bytes: [UInt8], in set: Set<UInt8>) -> [Int] {
        var offsets: [Int] = []
        var inString = false
        var escaped = false
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if byte == UInt8(ascii: "\"") { inString = true; continue }
            if set.contains(byte) { offsets.append(offset) }
        }
        return offsets
    }

    // MARK: Generators

    static func partDCases(_ root: URL) throws -> [Case] {
        let base = try String(contentsOfFile: CLIHarness.repo("Formularies/partd/2026Q1/\(partDName)"), encoding: .utf8)
        var cases: [Case] = []
        // The whole release with one table replaced, so that only the bad table can be at fault.
        func release(_ data: Data, label: String) throws -> URL {
            let file = try write(data, name: partDName, in: root, label: "partd-" + label)
            let folder = file.deletingLastPathComponent()
            for name in try FileManager.default.contentsOfDirectory(atPath: CLIHarness.repo("Formularies/partd/2026Q1")) where name != partDName {
                try FileManager.default.copyItem(atPath: CLIHarness.repo("Formularies/partd/2026Q1/\(name)"), toPath: folder.appendingPathComponent(name).path)
            }
            return folder
        }
        func add(_ label: String, _ text: String, locator: String = ":") throws {
            cases.append(Case(label: "partd " + label, path: try release(Data(text.utf8), label: label), source: "base-partd", format: "partd", locator: locator))
        }
        // Each field, at three lines, gets a value it cannot hold.
        let bad: [(Int, String, String)] = [
            (0, "", "FORMULARY_ID"), (2, "20x6", "CONTRACT_YEAR"), (3, "abc", "RXCUI"), (5, "one", "TIER_LEVEL_VALUE"), (5, "-2", "TIER_LEVEL_VALUE"),
            (6, "X", "QUANTITY_LIMIT_YN"), (7, "-30", "QUANTITY_LIMIT_AMOUNT"), (8, "abc", "QUANTITY_LIMIT_DAYS"),
            (9, "maybe", "PRIOR_AUTHORIZATION_YN"), (10, "?", "STEP_THERAPY_YN"), (11, "Q", "SELECTED_DRUG_YN"),
            (7, "1e999", "QUANTITY_LIMIT_AMOUNT"),
        ]
        for line in [2, 40, 120, 200] {
            for (index, value, field) in bad {
                var text = replacingField(base, line: line, index: index, with: value)
                if field == "QUANTITY_LIMIT_AMOUNT" || field == "QUANTITY_LIMIT_DAYS" { text = replacingField(text, line: line, index: 6, with: "Y") }
                try add("\(field)-\(value)-line\(line)", text, locator: "PPUF_2026Q1.txt:\(line)")
            }
        }
        var lines = base.components(separatedBy: "\r\n")
        try add("header-only", lines[0] + "\r\n", locator: partDName)
        try add("empty", "", locator: partDName)
        try add("no-header", lines.dropFirst().joined(separator: "\r\n"), locator: partDName)
        try add("header-missing-tier", lines[0].replacingOccurrences(of: "TIER_LEVEL_VALUE|", with: "") + "\r\n" + lines[1], locator: partDName)
        lines[12] += "|extra|fields"
        try add("too-many-fields", lines.joined(separator: "\r\n"), locator: "PPUF_2026Q1.txt:13")
        var short = base.components(separatedBy: "\r\n")
        short[20] = "00026901|17|2026"
        try add("too-few-fields", short.joined(separator: "\r\n"), locator: "PPUF_2026Q1.txt:21")
        var nul = Array(base.utf8)
        let offset = Array(base.utf8).firstIndex(of: UInt8(ascii: "\n")).map { $0 + 30 } ?? 0
        nul[offset] = 0
        cases.append(Case(label: "partd NUL byte", path: try release(Data(nul), label: "nul"),
                          source: "base-partd", format: "partd", locator: "byte offset \(offset)"))
        var generator = Seeded(state: 7)
        cases.append(Case(label: "partd random bytes",
                          path: try release(Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }), label: "random"),
                          source: "base-partd", format: "partd", locator: partDName))
        return cases
    }

    static func qhpCases(_ root: URL) throws -> [Case] {
        let drugs = try Data(contentsOf: URL(fileURLWithPath: CLIHarness.repo("Formularies/qhp/reference-a/drugs.json")))
        let plans = try Data(contentsOf: URL(fileURLWithPath: CLIHarness.repo("Formularies/qhp/reference-a/plans.json")))
        var cases: [Case] = []
        func add(_ label: String, drugs: Data, plans: Data, locator: String) throws {
            let drugsFile = try write(drugs, name: "drugs.json", in: root, label: "qhp-" + label)
            try plans.write(to: drugsFile.deletingLastPathComponent().appendingPathComponent("plans.json"))
            cases.append(Case(label: "qhp " + label, path: drugsFile.deletingLastPathComponent(), source: "base-qhp", format: "qhp", locator: locator))
        }
        func replacing(_ data: Data, _ old: String, _ new: String, count: Int = 1) -> Data {
            var text = String(decoding: data, as: UTF8.self)
            guard let range = text.range(of: old) else { return data }
            text.replaceSubrange(range, with: new)
            _ = count
            return Data(text.utf8)
        }
        // Cost values no plan charges, and names with control characters (plans.json).
        for (label, old, new) in [
            ("negative-copay", "\"copay_amount\": 10.0", "\"copay_amount\": -25.0"),
            ("huge-copay", "\"copay_amount\": 10.0", "\"copay_amount\": 12345678901234567890123456789012345678"),
            ("coinsurance-150", "\"coinsurance_rate\": 0.0", "\"coinsurance_rate\": 150"),
            ("coinsurance-negative", "\"coinsurance_rate\": 0.0", "\"coinsurance_rate\": -0.2"),
            ("nul-in-plan-name", "\"marketing_name\": \"Reference", "\"marketing_name\": \"Ref\\u0000erence"),
            ("escape-in-plan-name", "\"marketing_name\": \"Reference", "\"marketing_name\": \"Ref\\u001b[31merence"),
            ("duplicate-plan-id", "\"plan_id\": \"99990AZ0010001\",", "\"plan_id\": \"99990AZ0010001\", \"plan_id\": \"99990AZ0010002\","),
            ("formulary-not-array", "\"formulary\": [", "\"formulary\": 7, \"x\": ["),
            ("copay-text", "\"copay_amount\": 10.0", "\"copay_amount\": \"ten\""),
        ] {
            try add(label, drugs: drugs, plans: replacing(plans, old, new), locator: "plans.json")
        }
        // drugs.json: names, flags, types, duplicate keys.
        for (label, old, new) in [
            ("nul-in-drug-name", "\"drug_name\": \"sertraline 25", "\"drug_name\": \"sertra\\u0000line 25"),
            ("tab-in-drug-name", "\"drug_name\": \"sertraline 25", "\"drug_name\": \"sertra\\tline 25"),
            ("duplicate-rxnorm-id", "\"rxnorm_id\": \"312940\",", "\"rxnorm_id\": \"312940\", \"rxnorm_id\": \"312941\","),
            ("pa-maybe", "\"prior_authorization\": false", "\"prior_authorization\": \"maybe\""),
            ("plans-object", "\"plans\": [", "\"plans\": {\"a\": ["),
            ("years-text", "\"years\": [", "\"years\": [\"twenty\", "),
            ("missing-rxnorm-id", "\"rxnorm_id\": \"312940\",", ""),
            ("number-overflow", "\"rxnorm_id\": \"312940\",", "\"rxnorm_id\": 1e999,"),
        ] {
            try add(label, drugs: replacing(drugs, old, new), plans: plans, locator: "drugs.json")
        }
        var raw = Array(drugs)
        if let index = raw.firstIndex(of: UInt8(ascii: "5")) { raw[index] = 0xC3 }
        try add("lone-utf8-lead-byte", drugs: Data(raw), plans: plans, locator: "drugs.json")
        try add("deep-nesting", drugs: Data(String(repeating: "[", count: 100_000).utf8), plans: plans, locator: "drugs.json")
        try add("empty-files", drugs: Data("[]".utf8), plans: Data("[]".utf8), locator: "plans.json:1")
        // Truncations and broken structure at generated places.
        var generator = Seeded(state: 11)
        for cut in (0..<12).map({ _ in Int.random(in: 1..<(drugs.count - 2), using: &generator) }).sorted() {
            try add("drugs-cut-\(cut)", drugs: drugs.prefix(cut), plans: plans, locator: "drugs.json")
        }
        for cut in (0..<6).map({ _ in Int.random(in: 1..<(plans.count - 2), using: &generator) }).sorted() {
            try add("plans-cut-\(cut)", drugs: drugs, plans: plans.prefix(cut), locator: "plans.json")
        }
        let structure = Set("{}[]:,".utf8)
        let drugBytes = Array(drugs)
        let offsets = structuralOffsets(drugBytes, in: structure)
        for offset in (0..<14).map({ _ in offsets.randomElement(using: &generator) ?? 0 }).sorted() {
            var broken = drugBytes
            broken[offset] = UInt8(ascii: "#")
            try add("drugs-broken-\(offset)", drugs: Data(broken), plans: plans, locator: "drugs.json")
        }
        return cases
    }

    static func fhirCases(_ root: URL) throws -> [Case] {
        let bundle = try Data(contentsOf: URL(fileURLWithPath: CLIHarness.repo("Formularies/fhir/davinci-d1002/Bundle-collection-FormularyD1002-constructed.xml")))
        let xml = String(decoding: bundle, as: UTF8.self)
        var cases: [Case] = []
        func add(_ label: String, _ data: Data, name: String, locator: String? = nil) throws {
            cases.append(Case(label: "fhir " + label, path: try write(data, name: name, in: root, label: "fhir-" + label),
                              source: "base-fhir", format: "fhir", locator: locator ?? name))
        }
        let prologEnd = xml.range(of: "?>").map { xml.index($0.upperBound, offsetBy: 0) } ?? xml.startIndex
        let prolog = String(xml[..<prologEnd])
        let body = String(xml[prologEnd...])
        try add("doctype", Data((prolog + "\n<!DOCTYPE Bundle>" + body).utf8), name: "doctype.xml")
        try add("internal-entity", Data((prolog + "\n<!DOCTYPE Bundle [<!ENTITY x \"boom\">]>" + body).utf8), name: "entity.xml")
        try add("external-entity", Data((prolog + "\n<!DOCTYPE Bundle [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + body.replacingOccurrences(of: "<id value=", with: "<id x=\"&x;\" value=")).utf8), name: "xxe.xml")
        try add("billion-laughs", Data((prolog + "\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>").utf8), name: "laughs.xml")
        try add("utf16", xml.replacingOccurrences(of: "UTF-8", with: "UTF-16").data(using: .utf16) ?? Data(), name: "utf16.xml")
        try add("wrong-namespace", Data(xml.replacingOccurrences(of: "xmlns=\"http://hl7.org/fhir\"", with: "xmlns=\"urn:other\"").utf8), name: "namespace.xml")
        try add("deep-nesting", Data(("<Bundle xmlns=\"http://hl7.org/fhir\">" + String(repeating: "<extension>", count: 400)).utf8), name: "deep.xml")
        try add("raw-ampersand", Data(xml.replacingOccurrences(of: "<id value=\"", with: "<id value=\"a&b").utf8), name: "ampersand.xml")
        try add("unclosed-tag", Data(xml.replacingOccurrences(of: "</entry>", with: "", options: [], range: xml.range(of: "</entry>")).utf8), name: "unclosed.xml")
        var invalid = Array(bundle)
        if let index = invalid.firstIndex(of: UInt8(ascii: "D")) { invalid[index] = 0xFF }
        try add("invalid-utf8", Data(invalid), name: "bytes.xml")
        var generator = Seeded(state: 13)
        for cut in (0..<12).map({ _ in Int.random(in: 60..<(bundle.count - 20), using: &generator) }).sorted() {
            try add("xml-cut-\(cut)", bundle.prefix(cut), name: "cut.xml")
        }
        let tags = structuralOffsets(Array(bundle), in: Set("<>".utf8))
        for offset in (0..<10).map({ _ in tags.randomElement(using: &generator) ?? 0 }).sorted() where offset > 40 {
            var broken = Array(bundle)
            broken[offset] = UInt8(ascii: "#") == broken[offset] ? UInt8(ascii: "@") : UInt8(ascii: "\u{1}")
            try add("xml-broken-\(offset)", Data(broken), name: "broken.xml")
        }
        // JSON resources.
        let item = try String(contentsOfFile: "/work/shared/samples/fhir/stu2.0.1/json/Basic-FormularyItem-D1002-1000091.json", encoding: .utf8)
        let plan = try String(contentsOfFile: "/work/shared/samples/fhir/stu2.0.1/json/InsurancePlan-PayerInsurancePlanA1002.json", encoding: .utf8)
        for (label, text) in [
            ("location", #"{"resourceType":"Location","id":"l1","name":"Hartford"}"#),
            ("patient", #"{"resourceType":"Patient","id":"p1"}"#),
            ("practitioner", #"{"resourceType":"Practitioner","id":"d1"}"#),
            ("empty-bundle", #"{"resourceType":"Bundle","type":"collection"}"#),
            ("bundle-of-locations", #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Location","id":"a"}},{"resource":{"resourceType":"Location","id":"b"}}]}"#),
            ("orphan-item", item),
            ("duplicate-resource-type", #"{"resourceType":"Basic","resourceType":"Patient","id":"x"}"#),
            ("not-an-object", "[1, 2, 3]"),
            ("no-resource-type", #"{"id":"x"}"#),
            ("number-id", item.replacingOccurrences(of: #""id":"FormularyItem-D1002-1000091""#, with: #""id":12"#)),
        ] {
            try add("json-" + label, Data(text.utf8), name: "\(label).json")
        }
        let planBytes = Array(plan.utf8)
        for cut in (0..<8).map({ _ in Int.random(in: 1..<(planBytes.count - 2), using: &generator) }).sorted() {
            try add("json-cut-\(cut)", Data(planBytes.prefix(cut)), name: "plan-cut.json")
        }
        try add("ndjson-bad-line", Data((item.replacingOccurrences(of: "\n", with: "") + "\n{not json}\n").utf8), name: "export.ndjson", locator: "export.ndjson:2")
        try add("ndjson-patients", Data((#"{"resourceType":"Patient","id":"a"}"# + "\n" + #"{"resourceType":"Patient","id":"b"}"# + "\n").utf8), name: "patients.ndjson")
        return cases
    }

    /// Zip archives made with Python's zipfile, which every CI machine here has.
    static func zipCases(_ cli: borrowing CLIHarness, _ root: URL) throws -> [Case] {
        let script = #"""
            import io, os, stat, sys, zipfile
            root, basic = sys.argv[1], sys.argv[2]
            data = open(basic, 'rb').read()
            def write(name, entries):
                path = os.path.join(root, name)
                with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
                    for entry, content, link in entries:
                        info = zipfile.ZipInfo(entry)
                        if link:
                            info.create_system = 3
                            info.external_attr = (stat.S_IFLNK | 0o777) << 16
                        info.compress_type = zipfile.ZIP_DEFLATED
                        z.writestr(info, content)
                return path
            good = write('release.zip', [('basic drugs formulary file  PPUF_2026Q1.txt', data, False)])
            blob = open(good, 'rb').read()
            open(os.path.join(root, 'truncated.zip'), 'wb').write(blob[: len(blob) // 2])
            open(os.path.join(root, 'garbage.zip'), 'wb').write(b'PK\x03\x04' + os.urandom(2048))
            write('escape.zip', [('../../evil.txt', data, False)])
            write('absolute.zip', [('/tmp/evil.txt', data, False)])
            write('symlink.zip', [('basic drugs formulary file  PPUF_2026Q1.txt', '/etc/passwd', True)])
            write('empty.zip', [])
            write('location.zip', [('Location.json', b'{"resourceType":"Location","id":"l"}', False)])
            # A zip bomb: 200 MB of zeros, nested twice.
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('basic drugs formulary file  PPUF_2026Q1.txt', b'0' * 200_000_000)
            write('bomb.zip', [('inner.zip', inner.getvalue(), False)])
            deep = data
            for level in range(6):
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, 'w') as z:
                    z.writestr('level%d.zip' % level if level else 'basic drugs formulary file  PPUF_2026Q1.txt', deep)
                deep = buffer.getvalue()
            open(os.path.join(root, 'deep.zip'), 'wb').write(deep)
            os.remove(good)
            """#
        let result = try cli.shell("python3 -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))' '\(root.path)' '\(CLIHarness.repo("Formularies/partd/2026Q1/\(partDName)"))'",
                                   environment: cli.environment(), directory: root)
        #expect(result.status == 0, "the zip generator failed: \(result.stderr)")
        return [
            ("truncated.zip", "truncated.zip"), ("garbage.zip", "garbage.zip"), ("escape.zip", "../../evil.txt"), ("absolute.zip", "/tmp/evil.txt"),
            ("symlink.zip", "symlink.zip"), ("empty.zip", "empty.zip"), ("location.zip", "location.zip"), ("bomb.zip", "bomb.zip"), ("deep.zip", "deep.zip"),
        ].map { name, locator in
            Case(label: "zip " + name, path: root.appendingPathComponent(name), source: "base-partd", format: "auto", locator: locator)
        }
    }

    /// What must not change: every snapshot, which is current, and what it holds.
    static func state(_ cli: borrowing CLIHarness) throws -> String {
        // Re-serialized with sorted keys: a dictionary's description has no fixed order.
        let json = try CLIHarness.json(cli.succeed(["snapshots", "--json"]))
        return String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
    }

    static func answers(_ cli: borrowing CLIHarness) throws -> [String] {
        try [
            cli.succeed(["lookup", "--plan", "H9990-001-000", "--drug", "1790892", "--json"]),
            cli.succeed(["lookup", "--plan", "99990AZ0010001", "--drug", "312941", "--json"]),
            cli.succeed(["lookup", "--plan", "A1002", "--drug", "1000091", "--json"]),
        ]
    }

    @Test("at least 150 generated bad inputs: no crash, a non-zero exit, a located message, and the previous snapshots unchanged")
    func hostileInputs() throws {
        let cli = try CLIHarness()
        let root = cli.directory.appendingPathComponent("hostile")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        _ = try cli.succeed(["import", "Formularies/partd/2026Q1", "--source", "base-partd"])
        _ = try cli.succeed(["import", "Formularies/qhp/reference-a", "--source", "base-qhp"])
        _ = try cli.succeed(["import", "Formularies/fhir/davinci-d1002", "--source", "base-fhir"])
        let before = try Self.state(cli)
        let answers = try Self.answers(cli)

        let cases = try Self.partDCases(root) + Self.qhpCases(root) + Self.fhirCases(root) + Self.zipCases(cli, root)
        #expect(cases.count >= 150, "only \(cases.count) cases")
        var scratch = cli.directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        scratch.standardize()
        for (index, hostile) in cases.enumerated() {
            let result = try cli.run(["import", hostile.path.path, "--source", hostile.source] + (hostile.format == "auto" ? [] : ["--format", hostile.format]),
                                     environment: ["TMPDIR": scratch.path])
            #expect(result.status != 0, "\(hostile.label): exit 0\n\(result.stdout)")
            #expect(result.status < 128 && result.status != 70, "\(hostile.label): crashed or internal error (\(result.status)): \(result.stderr)")
            #expect(result.stderr.hasPrefix("formulary: "), "\(hostile.label): \(result.stderr)")
            #expect(result.stderr.contains(hostile.locator), "\(hostile.label): the message does not name \(hostile.locator): \(result.stderr)")
            #expect(!result.stderr.contains("XML_PARSE_HUGE") && !result.stderr.contains("Error Domain") && !result.stderr.contains("NSCocoa"),
                    "\(hostile.label): \(result.stderr)")
            if index % 10 == 0 || index == cases.count - 1 {
                #expect(try Self.state(cli) == before, "after \(hostile.label) the snapshots changed")
            }
        }
        #expect(try Self.state(cli) == before)
        #expect(try Self.answers(cli) == answers)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "temporary files were left behind")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.txt") && !FileManager.default.fileExists(atPath: cli.directory.appendingPathComponent("evil.txt").path))
    }

    @Test("SIGTERM and SIGINT during an import remove its temporary files and leave the database as it was; a SIGKILL's leftovers go with the next run")
    func interruption() throws {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", "Formularies/partd/2026Q1", "--source", "base-partd"])
        let before = try Self.state(cli)
        let scratch = cli.directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        // A large release, zipped inside a zip, so the import extracts to a temporary file first.
        let release = cli.directory.appendingPathComponent("release")
        try RefreshReliabilityTests.writeRelease(in: release, formularies: 400, drugs: 2_500, tier: 2)
        let zipped = try cli.shell("""
            cd '\(release.path)' && python3 -c "
            import zipfile, io
            # The CMS layout: each table in its own zip, inside the release zip.
            with zipfile.ZipFile('../SPUF_2026_20260101.zip', 'w') as outer:
                for table in ['basic drugs formulary file  PPUF_2026Q1', 'plan information  PPUF_2026Q1']:
                    inner = io.BytesIO()
                    with zipfile.ZipFile(inner, 'w', zipfile.ZIP_DEFLATED) as z:
                        z.write(table + '.txt')
                    outer.writestr(table + '.zip', inner.getvalue())
            "
            """, environment: cli.environment(), directory: cli.directory)
        #expect(zipped.status == 0, "\(zipped.stderr)")
        let archive = cli.directory.appendingPathComponent("SPUF_2026_20260101.zip").path
        for (signal, status) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let process = try cli.process(["import", archive, "--source", "base-partd"])
            var environment = process.environment ?? [:]
            environment["TMPDIR"] = scratch.path
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until the import has made its temporary folder, then interrupt it.
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, (try FileManager.default.contentsOfDirectory(atPath: scratch.path)).isEmpty { usleep(5_000) }
            #expect(try !FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "the import made no temporary file")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(process.terminationStatus == status, "signal \(signal): exit \(process.terminationStatus)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "signal \(signal) left temporary files")
            #expect(try Self.state(cli) == before)
        }
        // SIGKILL cannot be caught: the next import removes what the killed one left.
        let killed = try cli.process(["import", archive, "--source", "base-partd"])
        killed.environment?["TMPDIR"] = scratch.path
        killed.standardOutput = FileHandle.nullDevice
        killed.standardError = FileHandle.nullDevice
        try killed.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, (try FileManager.default.contentsOfDirectory(atPath: scratch.path)).isEmpty { usleep(5_000) }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(try !FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "SIGKILL should leave the folder")
        let next = try cli.run(["import", "Formularies/partd/2026Q1", "--source", "base-partd"], environment: ["TMPDIR": scratch.path])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "the next run did not remove the killed run's files")
    }
}
