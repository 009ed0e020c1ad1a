import ArgumentParser
import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyImport
import FormularyRefresh
import FormularyReports
import FormularyStore

/// Turns any error into a one-line (or short) message on stderr and a documented exit code.
/// The CLI never prints a Swift type dump.
enum Failure {
    static func exit(for error: any Error) -> ExitCode {
        let code: Int32
        switch error {
        case let error as ImportError:
            switch error {
            case .fileNotFound: code = 66
            case .unreadable: code = 74
            default: code = 65
            }
        case let error as StoreError:
            switch error {
            case .planNotFound, .snapshotNotFound, .sourceNotFound, .snapshotNotInSource, .nothingToCompare, .watchNotFound: code = 66
            case .watchExists: code = 65
            case .rejectedRow: code = 65
            case .cannotOpen: code = 74
            }
        case let error as DocumentError:
            switch error {
            case .unreadable: code = 66
            case .invalid: code = 65
            case .unknownVersion, .unknownOption: code = 64
            }
        case let error as AnalysisError:
            switch error {
            case .unknownOption, .noPlan: code = 64
            case .coverageUnavailable: code = 74
            }
        case let error as ReportError:
            switch error {
            case .planNotFound, .optionNotFound, .noPlans: code = 66
            case .unsupportedSchema: code = 65
            case .cannotWrite: code = 74
            case .encodingFailed: code = 70
            }
        case let error as RefreshError:
            switch error {
            case .locked: code = 75
            case .invalidManifest: code = 78
            default: code = 69
            }
        default:
            code = 70
        }
        Terminal.error(message(for: error))
        return ExitCode(code)
    }

    static func message(for error: any Error) -> String {
        if let described = (error as? any LocalizedError)?.errorDescription { return described }
        return "\(error)"
    }
}

extension ParsableCommand {
    /// Runs `body`, mapping thrown errors to a message and an exit code.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw Failure.exit(for: error)
        }
    }
}
