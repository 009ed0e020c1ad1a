import Foundation
import FormularyImport

/// Draws one self-overwriting progress line on stderr while an import streams, only when stderr
/// is a terminal and at most five times a second. Cron and pipes see nothing.
final class ProgressLine: ImportProgressReporting {
    private var lastDraw = Date.distantPast
    private var drewSomething = false

    static func forTerminal() -> ProgressLine? {
        Terminal.stderrIsTerminal ? ProgressLine() : nil
    }

    func importProgress(file: String, bytesRead: Int64, totalBytes: Int64?, rows: Int) {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.2 || (totalBytes.map { bytesRead >= $0 } ?? false) else { return }
        lastDraw = now
        var text = "importing \((file as NSString).lastPathComponent)"
        if let totalBytes, totalBytes > 0 {
            text += String(format: " %3.0f%%", Double(bytesRead) / Double(totalBytes) * 100)
        }
        text += "  \(rows.formatted()) rows"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        drewSomething = true
    }

    /// Clears the line before the summary prints.
    func finish() {
        if drewSomething { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drewSomething = false
    }
}
