/// Parses an XML file only as far as its root element's start tag, and says what it found there:
/// the root's name and namespace, or why the document stops before it (a DOCTYPE the safety
/// policy refuses, a non-UTF-8 encoding, malformed XML). Format detection uses it to recognise
/// FHIR XML and, for XML that is not, to say why.
///
/// Cheap: it reads at most `byteBudget` bytes (1 MiB by default) through the same
/// `XMLStreamReader` and policy as the import, so it refuses exactly what the import refuses.
enum XMLRootProbe {
    /// What the start of the document shows.
    enum Finding: Equatable {
        /// The root element's start tag.
        case root(name: String, namespace: XMLStartTag.Namespace, line: Int, column: Int)
        /// The document cannot be read up to its root.
        case failed(XMLStreamError)
        /// No root element within the budget, or the bytes could not be read.
        case nothing
    }

    static func probe(_ file: InputFile, byteBudget: Int = 1 << 20) -> Finding {
        final class RootCatcher: XMLEventHandler {
            struct Found: Error {}
            var root: Finding = .nothing
            func startElement(_ tag: XMLStartTag) throws {
                root = .root(name: tag.localName, namespace: tag.namespace, line: tag.line, column: tag.column)
                throw Found()
            }
            func endElement() throws {}
        }
        let source = InputFileByteSource(file: file, chunkSize: 64 << 10, bufferCount: 2)
        defer { source.cancel() }
        var budget = byteBudget
        let catcher = RootCatcher()
        guard let parser = try? XMLStreamReader(read: { buffer in
            guard budget > 0 else { return 0 }
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, budget)]))
            budget -= count
            return count
        }) else { return .nothing }
        do {
            try parser.parse(into: catcher)
        } catch let error as XMLStreamError {
            // A document cut off by the budget is not a finding about the document.
            if case .root = catcher.root { return catcher.root }
            return budget > 0 ? .failed(error) : .nothing
        } catch {
            return catcher.root
        }
        return catcher.root
    }

    /// Why a finding is not FHIR XML, in words for "cannot tell the format of …: it is …";
    /// nil for a FHIR root.
    static func notFHIRReason(_ finding: Finding) -> String? {
        switch finding {
        case .root(let name, let namespace, let line, let column):
            guard namespace != .fhir else { return nil }
            return "it is XML, but its root element <\(name)> (line \(line), column \(column)) is in \(namespace.displayName), "
                + "not the FHIR namespace (\(XMLStartTag.Namespace.fhirURI))"
        case .failed(.refused(let what, let line, let column)):
            return "it is XML refused at line \(line), column \(column) for \(what)"
        case .failed(.limitExceeded(let limit, let line, let column)):
            return "it is XML refused at line \(line), column \(column): \(limit)"
        case .failed(.malformed(let message, _, let line, let column)):
            return "it looks like XML but is not well-formed at line \(line), column \(column) (libxml2: \(message))"
        case .failed(.unexpected(let expected, let found, let line, let column)):
            return "it is XML, but at line \(line), column \(column) it has \(found) where \(expected) was expected"
        case .nothing:
            return nil
        }
    }
}
