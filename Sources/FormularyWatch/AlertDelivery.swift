import Foundation
import FormularyModel
import FormularyReports
import FormularyStore

/// Delivers the pending alerts the watch checks recorded: a Markdown and a JSON file in the
/// alerts folder (mode 0600, in a folder created 0700), and, when a notify command is set, the
/// alert's JSON on that command's standard input.
///
/// Each channel delivers an alert at most once: the store remembers which channels have it, so a
/// run after a failed delivery finishes the job without repeating what already succeeded. A
/// failure leaves the alert pending and is reported, never swallowed.
public struct AlertDelivery {
    /// Where alerts go.
    public struct Target: Sendable {
        public var directory: URL
        /// Run with `/bin/sh -c`; receives the alert JSON on stdin. Nil: files only.
        public var notifyCommand: String?
        /// Seconds the notify command may take before it is stopped and counted as failed.
        public var notifyTimeout: Double

        public init(directory: URL, notifyCommand: String? = nil, notifyTimeout: Double = 60) {
            self.directory = directory
            self.notifyCommand = notifyCommand
            self.notifyTimeout = notifyTimeout
        }
    }

    /// One alert delivered in this run.
    public struct Delivered: Sendable {
        public var alertID: Int64
        public var label: String
        public var files: [String]
        public var notified: Bool
    }

    /// One alert whose delivery failed in this run; it stays pending.
    public struct Failed: Sendable {
        public var alertID: Int64
        public var label: String
        public var reason: String
    }

    public struct Result: Sendable {
        public var delivered: [Delivered] = []
        public var failed: [Failed] = []
        /// Alerts still pending after this run (the failed ones).
        public var stillPending: Int { failed.count }
    }

    let store: FormularyStore
    let target: Target

    public init(store: FormularyStore, target: Target) {
        self.store = store
        self.target = target
    }

    /// Delivers every pending alert, oldest first.
    public func deliverPending(now: @autoclosure () -> Date = Date()) throws -> Result {
        var result = Result()
        for alert in try store.pendingAlerts() {
            do {
                var files: [String] = []
                if alert.filesDeliveredAt == nil {
                    files = try writeFiles(alert)
                    try store.markAlertFilesDelivered(id: alert.id, path: target.directory.path, at: now())
                }
                var notified = false
                if let command = target.notifyCommand, alert.notifiedAt == nil {
                    try notify(alert, command: command, files: files)
                    try store.markAlertNotified(id: alert.id, at: now())
                    notified = true
                }
                try store.markAlertDelivered(id: alert.id, at: now())
                result.delivered.append(Delivered(alertID: alert.id, label: alert.label, files: files, notified: notified))
            } catch let error as StoreError {
                throw error
            } catch {
                let reason = (error as? any LocalizedError)?.errorDescription ?? "\(error)"
                try store.recordAlertFailure(id: alert.id, reason: reason, at: now())
                result.failed.append(Failed(alertID: alert.id, label: alert.label, reason: reason))
            }
        }
        return result
    }

    /// The file name stem of an alert: its id (so a retry rewrites the same files), the label
    /// (never a name) and the analysis date.
    public static func stem(for alert: StoredAlert) -> String {
        let safeLabel = String(alert.label.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" })
        return "alert-\(alert.id)-\(safeLabel)-\(alert.asOf)"
    }

    private func writeFiles(_ alert: StoredAlert) throws -> [String] {
        let decoded = try WatchAlert.decode(alert.payload)
        let writer = ReportWriter(directory: target.directory.path)
        let stem = Self.stem(for: alert)
        // JSON first: a reader that waits for the Markdown finds both.
        let json = try writer.write(alert.payload, fileName: stem + ".json")
        let markdown = try writer.write(decoded.markdown, fileName: stem + ".md")
        return [markdown, json]
    }

    /// Runs the notify command with the alert's JSON on stdin. Its output goes to a private
    /// temporary file, so a chatty command cannot block; a failure quotes the start of it.
    private func notify(_ alert: StoredAlert, command: String, files: [String]) throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-alert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: temporary) }
        let input = temporary.appendingPathComponent("alert.json")
        let output = temporary.appendingPathComponent("output.txt")
        guard FileManager.default.createFile(atPath: input.path, contents: Data(alert.payload.utf8), attributes: [.posixPermissions: 0o600]),
              FileManager.default.createFile(atPath: output.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw DeliveryError.notify(command: command, reason: "cannot create a temporary file in \(temporary.path)")
        }
        let stdin = try FileHandle(forReadingFrom: input)
        let stdout = try FileHandle(forWritingTo: output)
        defer {
            try? stdin.close()
            try? stdout.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["FORMULARY_ALERT_ID"] = String(alert.id)
        environment["FORMULARY_ALERT_LABEL"] = alert.label
        if let markdown = files.first { environment["FORMULARY_ALERT_FILE"] = markdown }
        process.environment = environment
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw DeliveryError.notify(command: command, reason: "cannot start /bin/sh: \(error.localizedDescription)")
        }
        if finished.wait(timeout: .now() + target.notifyTimeout) == .timedOut {
            process.terminate()
            finished.wait()
            throw DeliveryError.notify(command: command, reason: "did not finish within \(target.notifyTimeout.formatted()) s and was stopped")
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let said = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            let excerpt = said.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300)
            let how = process.terminationReason == .exit ? "exited with status \(process.terminationStatus)" : "was killed by signal \(process.terminationStatus)"
            throw DeliveryError.notify(command: command, reason: how + (excerpt.isEmpty ? "" : ": \(excerpt)"))
        }
    }
}

/// Why an alert could not be delivered.
public enum DeliveryError: Error, LocalizedError, Sendable {
    case notify(command: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .notify(let command, let reason): "the notify command `\(command)` \(reason)"
        }
    }
}
