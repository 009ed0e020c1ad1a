/// Turns a FHIR JSON document, read through the shared `JSONReader`, into `FHIRElement` resources,
/// one at a time: a lone resource, or each `entry[].resource` of a Bundle, so a Bundle of any size
/// costs the memory of its largest resource.
///
/// A Bundle streams when `resourceType` is its first key, as FHIR servers write it. When it comes
/// later, the reader cannot know it is reading a Bundle before the entries have gone by, so it
/// builds the whole document first: correct, but with memory proportional to the document.
struct FHIRJSONResourceReader {
    /// The record number the first resource gets (NDJSON numbers records by line).
    var firstRecordNumber = 1
    /// Added to every line the reader reports (NDJSON reads each line as a document of its own).
    var lineOffset = 0
    /// Keeps a resource's `contained` resources as `contained` children (each with its
    /// `resourceType` as a child element), for readers that resolve `#id` references (patient
    /// records: US Core's contained Medication). The formulary importer leaves it off.
    var keepContained = false
    private(set) var bundleType: String?
    private(set) var resourceCount = 0

    /// Reads one top-level JSON value and delivers its resources.
    mutating func read(_ reader: JSONReader, deliver: (FHIRResourceRecord) throws -> Void) throws {
        guard try reader.peek() == .beginObject else {
            throw reader.unexpectedValue(expected: "a FHIR resource (a JSON object with resourceType)")
        }
        let line = try reader.valuePosition().line + lineOffset
        try reader.beginObject()
        guard let firstKey = try reader.nextKey() else {
            throw reader.shapeError(expected: "a FHIR resource with resourceType", found: "an empty object")
        }
        if firstKey == "resourceType" {
            let type = try reader.readString()
            if type == "Bundle" {
                try readBundleMembers(reader, deliver: deliver)
                return
            }
            var root = FHIRElement(name: type, line: line)
            var nestedType: String?
            while let key = try reader.nextKey() {
                try addMember(key, of: &root, isResourceRoot: true, reader, resourceType: &nestedType)
            }
            try deliverResource(root, fullURL: nil, basePath: "$", deliver: deliver)
            return
        }
        // resourceType is not first: build the whole document, then look.
        var root = FHIRElement(name: "", line: line)
        var type: String?
        try addMember(firstKey, of: &root, isResourceRoot: true, reader, resourceType: &type)
        while let key = try reader.nextKey() {
            try addMember(key, of: &root, isResourceRoot: true, reader, resourceType: &type)
        }
        guard let type else {
            throw JSONError.shape(
                path: "$", expected: "a FHIR resource with resourceType", found: "an object without it",
                at: JSONPosition(offset: 0, line: line, column: 1))
        }
        root.name = type
        guard type == "Bundle" else {
            try deliverResource(root, fullURL: nil, basePath: "$", deliver: deliver)
            return
        }
        bundleType = root.string("type")
        for (index, entry) in root.all("entry").enumerated() {
            guard var resource = entry.first("resource"), let nested = resource.string("resourceType") else { continue }
            resource.name = nested
            resource.children.removeAll { $0.name == "resourceType" }
            try deliverResource(resource, fullURL: entry.string("fullUrl"), basePath: "$.entry[\(index)].resource", deliver: deliver)
        }
    }

    /// The rest of a Bundle whose `resourceType` came first: entries stream one by one.
    private mutating func readBundleMembers(_ reader: JSONReader, deliver: (FHIRResourceRecord) throws -> Void) throws {
        while let key = try reader.nextKey() {
            switch key {
            case "type":
                bundleType = try reader.readStringOrNull()
            case "entry":
                try reader.beginArray()
                var index = -1
                while try reader.nextElement() {
                    index += 1
                    try readEntry(reader, index: index, deliver: deliver)
                }
            default:
                continue  // skipped by the reader
            }
        }
    }

    private mutating func readEntry(_ reader: JSONReader, index: Int, deliver: (FHIRResourceRecord) throws -> Void) throws {
        var fullURL: String?
        var resource: FHIRElement?
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "fullUrl":
                fullURL = try reader.readStringOrNull()
            case "resource":
                guard try reader.peek() == .beginObject else {
                    throw reader.unexpectedValue(expected: "a FHIR resource (a JSON object with resourceType)")
                }
                let line = try reader.valuePosition().line + lineOffset
                var element = FHIRElement(name: "", line: line)
                var type: String?
                try reader.beginObject()
                while let member = try reader.nextKey() {
                    try addMember(member, of: &element, isResourceRoot: true, reader, resourceType: &type)
                }
                guard let type else {
                    throw JSONError.shape(
                        path: "$.entry[\(index)].resource", expected: "a FHIR resource with resourceType",
                        found: "an object without it", at: JSONPosition(offset: 0, line: line, column: 1))
                }
                element.name = type
                resource = element
            default:
                continue
            }
        }
        // The resource is delivered after the whole entry, so a fullUrl written after it still counts.
        if let resource {
            try deliverResource(resource, fullURL: fullURL, basePath: "$.entry[\(index)].resource", deliver: deliver)
        }
    }

    private mutating func deliverResource(
        _ element: FHIRElement, fullURL: String?, basePath: String, deliver: (FHIRResourceRecord) throws -> Void
    ) throws {
        let number = firstRecordNumber + resourceCount
        resourceCount += 1
        try deliver(FHIRResourceRecord(element: element, recordNumber: number, fullURL: fullURL, serialization: .json, basePath: basePath))
    }

    /// Adds the member `key` (its value is next in `reader`) to `parent`, as XML would have it.
    private func addMember(
        _ key: String, of parent: inout FHIRElement, isResourceRoot: Bool, _ reader: JSONReader, resourceType: inout String?
    ) throws {
        if key.hasPrefix("_") { return }  // primitive extensions: not used, and XML drops them too
        if isResourceRoot {
            if key == "text" || (key == "contained" && !keepContained) { return }
            if key == "resourceType" {
                resourceType = try reader.readStringOrNull()
                return
            }
        }
        if try reader.peek() == .beginArray {
            try reader.beginArray()
            while try reader.nextElement() {
                if let element = try value(named: key, reader) { parent.children.append(element) }
            }
        } else if let element = try value(named: key, reader) {
            parent.children.append(element)
        }
    }

    /// The next value as an element named `name`; nil for `null`.
    private func value(named name: String, _ reader: JSONReader) throws -> FHIRElement? {
        let line = try reader.valuePosition().line + lineOffset
        switch try reader.peek() {
        case .null:
            _ = try reader.readNull()
            return nil
        case .string:
            return FHIRElement(name: name, value: try reader.readString(), line: line)
        case .number:
            return FHIRElement(name: name, value: try reader.readNumberText(), line: line)
        case .true, .false:
            return FHIRElement(name: name, value: try reader.readBool() ? "true" : "false", line: line)
        case .beginObject:
            var element = FHIRElement(name: name, line: line)
            var ignored: String?
            try reader.beginObject()
            while let key = try reader.nextKey() {
                try addMember(key, of: &element, isResourceRoot: false, reader, resourceType: &ignored)
            }
            return element
        case .beginArray:
            throw reader.unexpectedValue(expected: "an object or a primitive (FHIR JSON has no arrays of arrays)")
        case .endArray, .endObject, .key, .endOfDocument:
            throw reader.unexpectedValue(expected: "a value")
        }
    }
}
