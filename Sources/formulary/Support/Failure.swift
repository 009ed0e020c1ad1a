import ArgumentParser
import Foundation
import FormularyAnalysis
import FormularyApp
import FormularyCriteria
import FormularyImport
import FormularyRefresh
import FormularyReports
import FormularyStore
import FormularyWatch

/// Turns any error into a short message on stderr that names the path or input and the cause,
/// and a documented exit code (README, "Exit codes"). No Foundation, GRDB or libxml2 error text
/// reaches a person unexplained, and no Swift type is ever dumped.
enum Failure {
    /// The database the command opened, for messages about SQLite errors.
    static let databasePath = Holder()

    final class Holder: @unchecked Sendable {
        private let lock = NSLock()
        private var value: String?
        func set(_ path: String) { lock.withLock { value = path } }
        func get() -> String? { lock.withLock { value } }
    }

    static func exit(for error: any Error) -> ExitCode {
        let (code, text) = classify(error)
        Terminal.error(text)
        return ExitCode(code)
    }

    /// The exit code and message for an error.
    static func classify(_ error: any Error) -> (Int32, String) {
        switch error {
        case let error as ImportError:
            switch error {
            case .fileNotFound, .listedFileNotFound: return (66, message(for: error))
            case .unreadable: return (74, message(for: error))
            default: return (65, message(for: error))
            }
        case let error as StoreError:
            switch error {
            case .planNotFound, .snapshotNotFound, .sourceNotFound, .snapshotNotInSource, .nothingToCompare, .watchNotFound:
                return (66, message(for: error))
            case .watchExists, .rejectedRow, .noContent, .wouldShrink: return (65, message(for: error))
            case .sourceNeeded: return (64, message(for: error))
            case .cannotOpen, .damaged: return (74, message(for: error))
            }
        case let error as DocumentError:
            switch error {
            case .unreadable: return (66, message(for: error))
            case .invalid: return (65, message(for: error))
            case .unknownVersion, .unknownOption: return (64, message(for: error))
            }
        case let error as AnalysisError:
            switch error {
            case .unknownOption, .noPlan: return (64, message(for: error))
            case .coverageUnavailable: return (74, message(for: error))
            }
        case let error as ReportError:
            switch error {
            case .planNotFound, .optionNotFound, .noPlans: return (66, message(for: error))
            case .unsupportedSchema: return (65, message(for: error))
            case .cannotWrite: return (74, message(for: error))
            case .encodingFailed: return (70, message(for: error))
            }
        case let error as RefreshError:
            switch error {
            case .locked: return (75, message(for: error))
            case .invalidManifest: return (78, message(for: error))
            default: return (69, message(for: error))
            }
        case let error as AppError:
            switch error {
            case .noDatabase, .planNotImported, .unknownDrug, .unknownPlan: return (66, message(for: error))
            case .userCriteriaExist: return (73, message(for: error))
            }
        case let error as DataLocations.BundledDataMissing:
            return (72, message(for: error))
        case let error as DeliveryError:
            return (73, message(for: error))
        case let error as CocoaError:
            return describe(error)
        case let error as POSIXError:
            return (74, "I/O error: \(errorText(error.code.rawValue))")
        default:
            if let path = databasePath.get(), let damaged = FormularyStore.damage(in: error, path: path) {
                return (74, message(for: damaged))
            }
            if let text = FormularyStore.describeDatabaseError(error) {
                return (74, "database \(databasePath.get() ?? "(unknown)"): \(text)")
            }
            if let described = (error as? any LocalizedError)?.errorDescription { return (70, "internal error: \(described)") }
            return (70, "internal error: \(String(describing: type(of: error)))")
        }
    }

    /// `strerror` in the style of the other messages: "no such file or directory".
    static func errorText(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    static func message(for error: any Error) -> String {
        if let described = (error as? any LocalizedError)?.errorDescription { return described }
        return "\(error)"
    }

    /// Foundation file errors in words: the path, what failed and why, with exit 66 for a
    /// missing file and 74 for the rest.
    static func describe(_ error: CocoaError) -> (Int32, String) {
        let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? (error.userInfo[NSURLErrorKey] as? URL)?.path ?? error.filePath
        var cause: String
        if let underlying = error.underlying as? POSIXError {
            cause = errorText(underlying.code.rawValue)
        } else if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            cause = errorText(Int32(underlying.code))
        } else {
            switch error.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: cause = "no such file or folder"
            case .fileReadNoPermission, .fileWriteNoPermission: cause = "permission denied"
            case .fileWriteOutOfSpace: cause = "no space left on the device"
            case .fileWriteVolumeReadOnly: cause = "the volume is read-only"
            case .fileWriteFileExists: cause = "a file is already there"
            case .fileReadCorruptFile: cause = "the file is damaged or not in the expected format"
            case .fileReadInapplicableStringEncoding: cause = "the file is not UTF-8 text"
            default: cause = "error \(error.code.rawValue)"
            }
        }
        let missing = [.fileNoSuchFile, .fileReadNoSuchFile].contains(error.code)
        let verb = error.code.rawValue >= 512 && error.code.rawValue < 1024 ? "write" : "read"
        return (missing ? 66 : 74, "cannot \(verb) \(path ?? "a file"): \(cause)")
    }
}

extension ParsableCommand {
    /// Runs `body`, mapping thrown errors to a message and an exit code. Usage errors found while
    /// running (a bad --as-of) keep ArgumentParser's usage message and exit 64.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            throw Failure.exit(for: error)
        }
    }
}
