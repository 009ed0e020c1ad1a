import Foundation

/// Where the program finds the data it ships with and keeps each user's state, wherever it runs.
///
/// Bundled data (the drug reference, the default criteria, the sample formularies and patients)
/// travels with the program: installed under `PREFIX/share/formulary` next to `PREFIX/bin`, or,
/// for a build inside a checkout, the checkout's `Formularies/`. The criteria and the reference
/// are resolved in this order, and the answer says which step chose them:
///
/// 1. the command line (`--criteria`, `--reference`);
/// 2. the environment (`$FORMULARY_CRITERIA`, `$FORMULARY_REFERENCE`);
/// 3. the user's own folders, `$XDG_CONFIG_HOME/formulary/criteria` and `…/reference`
///    (default `~/.config/formulary/`), when they exist;
/// 4. the bundled copies.
///
/// Per-user state follows the XDG base directories: the database under `$XDG_DATA_HOME`
/// (see `FormularyStore.defaultPath`), alerts and logs under `$XDG_STATE_HOME/formulary`.
public struct DataLocations: Sendable {
    /// How a location was chosen.
    public enum Origin: String, Sendable, Codable {
        case commandLine = "command line"
        case environment
        case userConfiguration = "user configuration"
        case bundled
        case manifest
        case defaultState = "default"

        public var phrase: String {
            switch self {
            case .commandLine: "from the command line"
            case .environment: "from the environment"
            case .userConfiguration: "the user's own copy"
            case .bundled: "bundled with the program"
            case .manifest: "from the sources manifest"
            case .defaultState: "the per-user default"
            }
        }
    }

    /// A resolved folder or file and why it was chosen.
    public struct Resolved: Sendable, Codable, Hashable {
        public var path: String
        public var origin: Origin
        /// For the environment: the variable's name.
        public var variable: String?

        public var description: String {
            "\(path) (\(origin.phrase)\(variable.map { ", $\($0)" } ?? ""))"
        }
    }

    /// The bundled data could not be found: what was looked for, and where.
    public struct BundledDataMissing: Error, Sendable, LocalizedError {
        public var what: String
        public var searched: [String]

        public var errorDescription: String? {
            "cannot find the \(what) bundled with formulary; looked in:\n"
                + searched.map { "  \($0)" }.joined(separator: "\n")
                + "\nInstall formulary with its data (`bash .ci/install`, see the README), run it from a build inside its "
                + "repository, or name the folder with --criteria/--reference or $FORMULARY_CRITERIA/$FORMULARY_REFERENCE."
        }
    }

    public static let criteriaVariable = "FORMULARY_CRITERIA"
    public static let referenceVariable = "FORMULARY_REFERENCE"
    /// The file whose presence marks a folder as the bundled data.
    static let marker = "reference/trd_drugs.yaml"

    public let environment: [String: String]
    /// The running program, symlinks resolved; the bundled data is found relative to it.
    public let executable: URL?
    let fileExists: @Sendable (String) -> Bool

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = DataLocations.runningExecutable(),
        fileExists: @escaping @Sendable (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) {
        self.environment = environment
        self.executable = executable
        self.fileExists = fileExists
    }

    /// The path of the running program with symlinks resolved (`/proc/self/exe` on Linux).
    public static func runningExecutable() -> URL? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        #endif
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }

    // MARK: Bundled data

    /// The folders the bundled data may be in, in the order they are tried: `../share/formulary`
    /// from the program's folder (an install), then `Formularies/` in the program's folder and
    /// each folder above it (a build inside a checkout).
    public var bundledCandidates: [String] {
        guard let executable else { return [] }
        let folder = executable.deletingLastPathComponent().standardizedFileURL
        var candidates = [folder.deletingLastPathComponent().appendingPathComponent("share/formulary").path]
        var current = folder
        while true {
            candidates.append(current.appendingPathComponent("Formularies").path)
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        return candidates
    }

    /// The bundled data folder, or nil when no candidate holds it.
    public var bundledRoot: String? {
        bundledCandidates.first { fileExists(($0 as NSString).appendingPathComponent(Self.marker)) }
    }

    /// The bundled data folder, or an error naming every place looked in.
    public func requireBundledRoot(for what: String = "data") throws -> String {
        guard let root = bundledRoot else {
            throw BundledDataMissing(what: what, searched: bundledCandidates)
        }
        return root
    }

    // MARK: Criteria and reference

    /// The user's configuration folder: `$XDG_CONFIG_HOME/formulary`, else `~/.config/formulary`.
    public var configDirectory: String {
        Self.xdg("XDG_CONFIG_HOME", fallback: ".config", environment: environment)
    }

    /// The user's state folder: `$XDG_STATE_HOME/formulary`, else `~/.local/state/formulary`.
    public var stateDirectory: String {
        Self.xdg("XDG_STATE_HOME", fallback: ".local/state", environment: environment)
    }

    /// Where `formulary criteria init` puts the user's editable copy of the criteria.
    public var userCriteria: String { (configDirectory as NSString).appendingPathComponent("criteria") }
    /// Where a user's own drug reference goes.
    public var userReference: String { (configDirectory as NSString).appendingPathComponent("reference") }

    /// The criteria folder (or file) in force.
    public func criteria(commandLine: String?) throws -> Resolved {
        try resolve(commandLine: commandLine, variable: Self.criteriaVariable, user: userCriteria, bundled: "criteria", what: "criteria")
    }

    /// The drug reference folder in force.
    public func reference(commandLine: String?) throws -> Resolved {
        try resolve(commandLine: commandLine, variable: Self.referenceVariable, user: userReference, bundled: "reference", what: "drug reference")
    }

    /// Each step of the resolution order for one document, for `criteria show` and `--verbose`:
    /// the step, the path it would use (if any) and whether it is the one in force.
    public func steps(commandLine: String?, variable: String, user: String, bundled: String) -> [(step: String, path: String?, exists: Bool)] {
        [
            ("--\(bundled == "criteria" ? "criteria" : "reference")", commandLine, commandLine.map(fileExists) ?? false),
            ("$\(variable)", nonEmpty(environment[variable]), nonEmpty(environment[variable]).map(fileExists) ?? false),
            ("user folder", user, fileExists(user)),
            ("bundled", bundledRoot.map { ($0 as NSString).appendingPathComponent(bundled) },
             bundledRoot.map { fileExists(($0 as NSString).appendingPathComponent(bundled)) } ?? false),
        ]
    }

    private func resolve(commandLine: String?, variable: String, user: String, bundled: String, what: String) throws -> Resolved {
        if let commandLine, !commandLine.isEmpty {
            return Resolved(path: commandLine, origin: .commandLine)
        }
        if let value = nonEmpty(environment[variable]) {
            return Resolved(path: value, origin: .environment, variable: variable)
        }
        if fileExists(user) {
            return Resolved(path: user, origin: .userConfiguration)
        }
        let root = try requireBundledRoot(for: what)
        return Resolved(path: (root as NSString).appendingPathComponent(bundled), origin: .bundled)
    }

    // MARK: State

    /// Where watchlist alerts are delivered: `--alerts`, else the manifest's `alerts:`, else
    /// `$XDG_STATE_HOME/formulary/alerts`.
    public func alerts(commandLine: String?, manifest: String? = nil) -> Resolved {
        if let commandLine, !commandLine.isEmpty { return Resolved(path: commandLine, origin: .commandLine) }
        if let manifest, !manifest.isEmpty { return Resolved(path: manifest, origin: .manifest) }
        return Resolved(path: (stateDirectory as NSString).appendingPathComponent("alerts"), origin: .defaultState)
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    static func xdg(_ variable: String, fallback: String, environment: [String: String]) -> String {
        let base: String
        if let value = environment[variable], value.hasPrefix("/") {
            base = value
        } else {
            // The XDG specification ignores relative values.
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            base = (home as NSString).appendingPathComponent(fallback)
        }
        return (base as NSString).appendingPathComponent("formulary")
    }
}
