import Foundation
@testable import FormularyImport
import FormularyModel
import Testing

/// What `FormatDetector.detect` throws for `url`, as the error and its message.
private func detectionError(_ url: URL) throws -> (error: ImportError, message: String) {
    let error = try #require(throws: ImportError.self) { try FormatDetector.detect([url]) }
    return (error, error.localizedDescription)
}

/// UTF-16 code units of `text`, in the given byte order, after an optional byte order mark.
private func utf16(_ text: String, bigEndian: Bool, mark: Bool) -> Data {
    var bytes: [UInt8] = mark ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
    for unit in text.utf16 {
        bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
    }
    return Data(bytes)
}

@Suite("Format detection says the real reason")
struct CommonFormatDiagnosisTests {
    @Test("XML refused for a DOCTYPE says so, with line and column")
    func doctype() throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(Data("""
            <?xml version="1.0"?>
            <!DOCTYPE Bundle [ <!ENTITY x "y"> ]>
            <Bundle xmlns="http://hl7.org/fhir"><id value="&x;"/></Bundle>
            """.utf8), as: "bundle.xml")
        let (error, message) = try detectionError(url)
        guard case .unrecognizedFormat(let path, let reason) = error else { Issue.record("\(message)"); return }
        #expect(path == url.path)
        #expect(reason == "it is XML refused at line 2, column 1 for a document type declaration (<!DOCTYPE …>); "
            + "DTDs and entities are refused, and FHIR XML never has one")
        #expect(!message.contains("--format"))
    }

    @Test("UTF-16 XML with a byte order mark is named as UTF-16, with how to convert it")
    func utf16XML() throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(
            utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Bundle xmlns=\"http://hl7.org/fhir\"/>", bigEndian: false, mark: true),
            as: "bundle.xml")
        let (error, message) = try detectionError(url)
        guard case .unrecognizedFormat(let path, let reason) = error else { Issue.record("\(message)"); return }
        #expect(path == url.path)
        #expect(reason == "it is UTF-16 (little-endian) XML, by its byte order mark FF FE; formulary reads UTF-8 only: "
            + "convert it first, e.g. iconv -f UTF-16 -t UTF-8 'bundle.xml' > converted, and change its XML declaration's encoding to UTF-8")
    }

    @Test("UTF-16 JSON without a byte order mark is recognised by its zero bytes")
    func utf16JSON() throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(utf16("{\"resourceType\": \"Bundle\"}", bigEndian: true, mark: false), as: "bundle.json")
        let (error, _) = try detectionError(url)
        guard case .unrecognizedFormat(_, let reason) = error else { Issue.record("\(error)"); return }
        #expect(reason == "it is UTF-16 (big-endian) JSON, by its zero bytes between characters; formulary reads UTF-8 only: "
            + "convert it first, e.g. iconv -f UTF-16 -t UTF-8 'bundle.json' > converted")
    }

    @Test("XML in another namespace names its root and namespace")
    func otherNamespace() throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(Data("<?xml version=\"1.0\"?>\n<catalog xmlns=\"urn:example\"><item/></catalog>".utf8), as: "c.xml")
        let (error, _) = try detectionError(url)
        guard case .unrecognizedFormat(_, let reason) = error else { Issue.record("\(error)"); return }
        #expect(reason == "it is XML, but its root element <catalog> (line 2, column 1) is in the namespace urn:example, "
            + "not the FHIR namespace (http://hl7.org/fhir)")
    }

    @Test("A truncated zip is a bad archive, not an unknown format")
    func truncatedZip() throws {
        let scratch = try ScratchFolder()
        let whole = try ArchiveFixtures.zip(
            [.init(path: PartDFixtures.basicName, data: Data(repeating: 0x41, count: 5_000))], at: scratch.url.appendingPathComponent("whole.zip"))
        let data = try Data(contentsOf: whole)
        let cut = try scratch.write(data.prefix(data.count / 2), as: "SPUF_2026.zip")
        let (error, message) = try detectionError(cut)
        guard case .badArchive(let path, let reason) = error else { Issue.record("\(message)"); return }
        #expect(path == cut.path)
        #expect(reason == "no zip end-of-central-directory record (not a zip file, or truncated)")
        #expect(message == "\(cut.path) is not a readable zip archive: no zip end-of-central-directory record (not a zip file, or truncated)")
    }

    @Test("An encrypted zip names the encrypted entry")
    func encryptedZip() throws {
        let scratch = try ScratchFolder()
        let url = try ArchiveFixtures.zip(
            [.init(path: "Formulary.json", data: Data("{\"resourceType\":\"Bundle\"}".utf8))], at: scratch.url.appendingPathComponent("locked.zip"))
        try ArchiveFixtures.markEncrypted(url)
        let (error, message) = try detectionError(url)
        guard case .badArchive(let path, let reason) = error else { Issue.record("\(message)"); return }
        #expect(path == url.path)
        #expect(reason == "entry \"Formulary.json\" is encrypted (password-protected); formulary does not read encrypted archives: "
            + "extract it with its password and import the files")
    }

    @Test("A zip holding XML with a DOCTYPE names the entry and the reason")
    func doctypeInZip() throws {
        let scratch = try ScratchFolder()
        let url = try ArchiveFixtures.zip(
            [.init(path: "fhir/bundle.xml", data: Data("<!DOCTYPE x>\n<x/>".utf8))], at: scratch.url.appendingPathComponent("export.zip"))
        let (error, _) = try detectionError(url)
        guard case .unrecognizedFormat(let path, let reason) = error else { Issue.record("\(error)"); return }
        #expect(path == url.path)
        #expect(reason == "its entry \"fhir/bundle.xml\": it is XML refused at line 1, column 1 for a document type declaration "
            + "(<!DOCTYPE …>); DTDs and entities are refused, and FHIR XML never has one")
    }

    @Test("A folder holding UTF-16 XML names the file")
    func folderWithUTF16() throws {
        let scratch = try ScratchFolder()
        try scratch.write(utf16("<Bundle xmlns=\"http://hl7.org/fhir\"/>", bigEndian: true, mark: true), as: "export/b.xml")
        let folder = scratch.url.appendingPathComponent("export")
        let (error, _) = try detectionError(folder)
        guard case .unrecognizedFormat(let path, let reason) = error else { Issue.record("\(error)"); return }
        #expect(path == folder.appendingPathComponent("b.xml").path)
        #expect(reason.hasPrefix("it is UTF-16 (big-endian) XML, by its byte order mark FE FF;"))
    }

    @Test("Text that is no format at all still gets the list of formats and --format")
    func plainText() throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(Data("hello, world\n".utf8), as: "notes.txt")
        let (error, _) = try detectionError(url)
        guard case .unrecognizedFormat(let path, let reason) = error else { Issue.record("\(error)"); return }
        #expect(path == url.path)
        #expect(reason.hasSuffix("name one with --format"))
    }

    @Test("FHIR XML is still recognised")
    func fhirXMLStillRecognised() throws {
        let scratch = try ScratchFolder()
        let url = try scratch.write(Data("<?xml version=\"1.0\"?>\n<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/></Bundle>".utf8), as: "b.xml")
        #expect(try FormatDetector.detect([url]) == .fhir)
    }
}
