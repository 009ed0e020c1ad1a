// Fuzz target for the XML stream reader (libxml2 SAX2 behind the prolog guard) and the FHIR XML
// resource reader on top of it. See Tests/Fuzz/run.sh.
//
// Built with `-D FUZZING` and libFuzzer (`--sanitize=fuzzer`), libFuzzer's `main` drives
// `LLVMFuzzerTestOneInput`. In an ordinary build it is a replay tool instead:
// `FuzzXML FILE|FOLDER…` runs each input through the same checks, to reproduce a crash file.
// (libxml2 itself is a system library and not instrumented: coverage guides the fuzzer through
// the Swift side, the prolog guard and the callbacks.)
//
// Checks per input, beyond "no crash": the events are the same whether the source hands over the
// input whole or in small pieces; start and end events balance (fully, for a document that parsed);
// element positions are 1-based and never go back; the one- and three-attribute lookups agree;
// and every failure, of the stream reader or the FHIR reader, is an `XMLStreamError` with a position.
import Foundation
import FormularyImport

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Harness.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
@main
enum Replay {
    static func main() {
        let inputs = CommandLine.arguments.dropFirst().flatMap(Harness.files(at:))
        guard !inputs.isEmpty else {
            print("usage: FuzzXML FILE|FOLDER… (replays inputs through the fuzz checks)")
            exit(2)
        }
        for input in inputs {
            Harness.check(Array(FileManager.default.contents(atPath: input) ?? Data()))
        }
        print("FuzzXML: \(inputs.count) input(s), no failure")
    }
}
#endif

enum Harness {
    /// The files at `path`: the file itself, or the regular files in a folder.
    static func files(at path: String) -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard isDirectory(path) else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }.filter { !isDirectory($0) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// FNV-1a: the reading parameters are derived from the input, so a crash file replays exactly.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static func fail(_ what: String, _ bytes: [UInt8]) -> Never {
        fatalError("FuzzXML: \(what) (input of \(bytes.count) bytes)")
    }

    static func check(_ bytes: [UInt8]) {
        let h = hash(bytes)
        let whole = _FuzzEntryPoints.parseXML(bytes, chunkSize: .max)
        let pieces = _FuzzEntryPoints.parseXML(bytes, chunkSize: 1 + Int(h % 97))
        if whole.events != pieces.events || whole.stop != pieces.stop {
            fail("the events differ with the read size: \(whole.events.count) events, \(String(describing: whole.stop)) vs \(pieces.events.count) events, \(String(describing: pieces.stop))", bytes)
        }
        checkLocated(whole.stop, bytes, "stream reader")

        var depth = 0
        var starts = 0
        var lastLine = 1
        for event in whole.events {
            switch event {
            case .start(let name, _, let line, let column, let value, let attributes):
                depth += 1
                starts += 1
                if name.isEmpty { fail("an element without a name", bytes) }
                if line < 1 || column < 1 { fail("<\(name)> at line \(line), column \(column)", bytes) }
                if line < lastLine { fail("<\(name)> at line \(line), after an element at line \(lastLine)", bytes) }
                lastLine = line
                if value != attributes.first ?? nil { fail("<\(name)>: attribute(\"value\") is \(String(describing: value)), attributes(…) has \(String(describing: attributes.first))", bytes) }
            case .end:
                depth -= 1
                if depth < 0 { fail("an end without a start", bytes) }
            }
        }
        if whole.stop == nil && (starts == 0 || depth != 0) {
            fail("parsed without error, but \(starts) elements and \(depth) left open", bytes)
        }

        let fhir = _FuzzEntryPoints.readFHIRXML(bytes, chunkSize: 1 + Int((h >> 8) % 4099))
        checkLocated(fhir.stop, bytes, "FHIR reader")
        if whole.stop != nil && fhir.stop == nil { fail("the FHIR reader accepted what the stream reader refused", bytes) }
    }

    static func checkLocated(_ stop: _FuzzEntryPoints.Stop?, _ bytes: [UInt8], _ who: String) {
        guard let stop else { return }
        if stop.line < 0 || stop.column < 0 || stop.message.isEmpty {
            fail("\(who) failed without a position: \(stop)", bytes)
        }
    }
}
