#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes rendered reports to files that only their owner can read (mode 0600 from the moment
/// they exist: created with that mode, never widened and narrowed afterwards), atomically (a
/// temporary file renamed over the target), into a folder it creates with mode 0700 when
/// missing. Returns the paths; it logs nothing, since a report is about a person.
public struct ReportWriter: Sendable {
    public var directory: String

    /// `Reports` in the current folder unless told otherwise (the CLI's `--out`).
    public init(directory: String = "Reports") {
        self.directory = directory
    }

    /// Renders `report` in each format and writes it; returns the paths in `formats` order.
    @discardableResult
    public func write(_ report: any RenderableReport, formats: [ReportFormat], name: ReportFileName) throws -> [String] {
        var rendered: [(String, String)] = []
        for format in formats {
            rendered.append((name.fileName(format), try report.render(format)))
        }
        try ensureDirectory()
        return try rendered.map { fileName, contents in try write(contents, fileName: fileName) }
    }

    /// Writes one file in the directory with mode 0600 and returns its path.
    @discardableResult
    public func write(_ contents: String, fileName: String) throws -> String {
        guard !fileName.isEmpty, !fileName.contains("/"), fileName != ".", fileName != ".." else {
            throw ReportError.cannotWrite(path: fileName, reason: "not a plain file name")
        }
        try ensureDirectory()
        let path = (directory as NSString).appendingPathComponent(fileName)
        let temporary = (directory as NSString).appendingPathComponent(".\(fileName).\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ReportError.cannotWrite(path: path, reason: Self.lastError()) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do {
            // The umask can only remove bits from 0600; make the mode exactly 0600 before any byte lands.
            guard fchmod(descriptor, 0o600) == 0 else { throw ReportError.cannotWrite(path: path, reason: Self.lastError()) }
            let bytes = Array(contents.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { buffer in posixWrite(descriptor, buffer.baseAddress, buffer.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ReportError.cannotWrite(path: path, reason: Self.lastError())
                }
                offset += written
            }
            guard fsync(descriptor) == 0 else { throw ReportError.cannotWrite(path: path, reason: Self.lastError()) }
            closed = true
            guard close(descriptor) == 0 else { throw ReportError.cannotWrite(path: path, reason: Self.lastError()) }
            guard rename(temporary, path) == 0 else { throw ReportError.cannotWrite(path: path, reason: Self.lastError()) }
        } catch {
            unlink(temporary)
            throw error
        }
        return path
    }

    /// Creates the directory and any missing parents with mode 0700. An existing directory is
    /// left as it is.
    func ensureDirectory() throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ReportError.cannotWrite(path: directory, reason: "exists and is not a folder") }
            return
        }
        var current = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") where !component.isEmpty {
            current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw ReportError.cannotWrite(path: current, reason: Self.lastError())
            }
        }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}

/// `write(2)`, named apart from `ReportWriter.write`.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
    #else
    Darwin.write(descriptor, buffer, count)
    #endif
}
