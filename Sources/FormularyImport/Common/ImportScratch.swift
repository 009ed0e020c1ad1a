import Dispatch
import Foundation

/// The one registry of every temporary file and folder an import creates: copies of nested
/// archives (`InputCatalog`), the FHIR items waiting for their drugs (`FHIRPendingEntrySpool`).
///
/// Everything lives in one private folder per process, `$TMPDIR/formulary-import-<pid>-<random>`
/// (mode 0700, files 0600), so that:
/// - an interrupted import leaves nothing behind: `installInterruptCleanup()` makes SIGINT and
///   SIGTERM call `removeAll()` and exit 130 or 143;
/// - what a killed process (SIGKILL, a power cut) left behind is recognised by the next run:
///   `removeStale()` removes the folders of processes that no longer exist.
///
/// Normal work removes its own items as it finishes with them (`remove(_:)`), and the folder goes
/// with the last of them, so a finished import leaves nothing in `$TMPDIR`.
public enum ImportScratch {
    /// Every per-process folder's name starts with this, followed by `<pid>-<12 hex digits>`.
    public static let folderPrefix = "formulary-import-"

    /// The registry of this process, under `$TMPDIR`.
    static let shared = ScratchRegistry(parent: FileManager.default.temporaryDirectory)

    /// Creates an empty temporary file (mode 0600) named `<name>-<n><suffix>` in this process's
    /// folder, registered so an interruption or the next run removes it. For other modules with
    /// large temporary files (a download being fetched); remove it with `remove(_:)` when done.
    public static func makeFile(named name: String, suffix: String = "") throws -> URL {
        try shared.makeFile(named: name, suffix: suffix)
    }

    /// Creates an empty temporary folder (mode 0700) named `<name>-<n>` in this process's folder,
    /// registered like `makeFile`. Files put in it are removed with it.
    public static func makeFolder(named name: String) throws -> URL {
        try shared.makeFolder(named: name)
    }

    /// Removes a file or folder made by `makeFile` or `makeFolder` (a folder with everything in
    /// it) and forgets it; anything else is left alone.
    public static func remove(_ url: URL) {
        shared.remove(url)
    }

    /// Removes every temporary file and folder this process has registered, and its folder.
    ///
    /// Made for the interruption path: it uses only `unlink` and `rmdir` on paths prepared as C
    /// strings when they were registered, allocates nothing and calls no Foundation API. It takes
    /// the registry's lock, so call it from an ordinary thread (a `DispatchSourceSignal` handler,
    /// as `installInterruptCleanup()` does), not from inside a raw `sigaction` handler.
    public static func removeAll() {
        shared.removeAll()
    }

    /// Makes SIGINT and SIGTERM remove this process's temporary files, then exit with 128 + the
    /// signal number (130, 143). Call once, early, from the program (the command line does, for
    /// commands that import); later calls do nothing.
    ///
    /// The signals' default action is ignored (`signal(_, SIG_IGN)`) and a `DispatchSourceSignal`
    /// on a private queue receives them instead, so the cleanup runs on an ordinary thread, not in
    /// async-signal context. The process then ends with `_exit`, without running `atexit`
    /// handlers while other threads are still working; SQLite rolls back the unfinished
    /// transaction when the database is next opened, so nothing half-imported is ever seen.
    public static func installInterruptCleanup() {
        InterruptCleanup.install()
    }

    /// Removes the folders that processes which no longer exist left under `$TMPDIR` (a run that
    /// was killed, or crashed), and returns their paths. Cheap enough for every import start: one
    /// listing of `$TMPDIR` and, per matching name, a `kill(pid, 0)`. A folder is removed only
    /// when its name is exactly `formulary-import-<pid>-<12 hex digits>`, it is a folder (not a
    /// link) owned by this user, and `kill(pid, 0)` fails with `ESRCH`.
    @discardableResult
    public static func removeStale() -> [String] {
        ScratchRegistry.removeStale(in: FileManager.default.temporaryDirectory)
    }
}

/// The registry behind `ImportScratch`: one per process in practice (`ImportScratch.shared`);
/// tests make their own under a folder of their own.
///
/// `@unchecked Sendable` is safe because every mutable property is read and written only while
/// holding `mutex`.
final class ScratchRegistry: @unchecked Sendable {
    /// A registered file or folder, its path kept as a C string for `removeAll`.
    private struct Item {
        var path: String
        var cPath: UnsafeMutablePointer<CChar>
        var isFolder: Bool
    }

    /// Where the per-process folder is made.
    let parent: URL
    /// The per-process folder, made on first use.
    let folder: URL
    private let folderCPath: UnsafeMutablePointer<CChar>
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var items: [Item] = []
    private var folderExists = false
    private var counter = 0

    init(parent: URL) {
        self.parent = parent
        let random = String(UInt64.random(in: 0...0xFFFF_FFFF_FFFF), radix: 16)
        let suffix = String(repeating: "0", count: 12 - random.count) + random
        folder = parent.appendingPathComponent("\(ImportScratch.folderPrefix)\(getpid())-\(suffix)", isDirectory: true)
        folderCPath = strdup(folder.path)
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        items.reserveCapacity(64)
    }

    deinit {
        for item in items { free(item.cPath) }
        free(folderCPath)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The paths registered now, for tests and diagnostics.
    var registeredPaths: [String] {
        locked { items.map(\.path) }
    }

    /// Creates an empty file (0600) named `<name>-<n><suffix>` in `folder` (the process folder
    /// when nil), registered before it exists.
    func makeFile(named name: String, suffix: String = "", in folder: URL? = nil) throws -> URL {
        try locked {
            try ensureFolder()
            counter += 1
            let url = (folder ?? self.folder).appendingPathComponent("\(name)-\(counter)\(suffix)")
            register(url.path, isFolder: false)
            let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                unregister(url.path)
                throw ImportError.unreadable(path: url.path, reason: "cannot create a temporary file: \(reason)")
            }
            close(descriptor)
            return url
        }
    }

    /// Creates an empty folder (0700) named `<name>-<n>` in the process folder, registered before it exists.
    func makeFolder(named name: String) throws -> URL {
        try locked {
            try ensureFolder()
            counter += 1
            let url = folder.appendingPathComponent("\(name)-\(counter)", isDirectory: true)
            register(url.path, isFolder: true)
            guard mkdir(url.path, 0o700) == 0 else {
                let reason = String(cString: strerror(errno))
                unregister(url.path)
                throw ImportError.unreadable(path: url.path, reason: "cannot create a temporary folder: \(reason)")
            }
            return url
        }
    }

    /// Removes a registered file, or a registered folder with everything in it, and forgets it
    /// (and the items inside it). Unknown paths are left alone.
    func remove(_ url: URL) {
        locked {
            let path = url.path
            guard let item = items.first(where: { $0.path == path }) else { return }
            if item.isFolder {
                try? FileManager.default.removeItem(atPath: path)
            } else {
                unlink(item.cPath)
            }
            let inside = path + "/"
            for index in items.indices.reversed() where items[index].path == path || items[index].path.hasPrefix(inside) {
                free(items[index].cPath)
                items.remove(at: index)
            }
            // Nothing left: the folder goes too, so a finished import leaves no trace.
            if items.isEmpty, folderExists {
                rmdir(folderCPath)
                folderExists = false
            }
        }
    }

    /// Unlinks every registered file and removes every registered folder (newest first, so files
    /// go before the folders holding them), then the process folder. Only `unlink` and `rmdir` on
    /// prepared C strings; nothing is allocated or freed. The items stay registered (a later
    /// `remove` of one is harmless) and the folder is made again if something needs it.
    func removeAll() {
        pthread_mutex_lock(mutex)
        var index = items.count
        while index > 0 {
            index -= 1
            if items[index].isFolder {
                rmdir(items[index].cPath)
            } else {
                unlink(items[index].cPath)
            }
        }
        rmdir(folderCPath)
        folderExists = false
        pthread_mutex_unlock(mutex)
    }

    /// Removes the per-process folders of processes that no longer exist under `parent`.
    static func removeStale(in parent: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return [] }
        var removed: [String] = []
        for name in names {
            guard let pid = stalePID(name), pid != getpid() else { continue }
            let path = parent.appendingPathComponent(name).path
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, status.st_uid == getuid() else { continue }
            guard kill(pid, 0) == -1, errno == ESRCH else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// The process id in a per-process folder's name, when the name is exactly
    /// `formulary-import-<pid>-<12 hex digits>`.
    static func stalePID(_ name: String) -> pid_t? {
        guard name.hasPrefix(ImportScratch.folderPrefix) else { return nil }
        let parts = name.dropFirst(ImportScratch.folderPrefix.count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0,
              parts[0].allSatisfy({ $0 >= "0" && $0 <= "9" }),
              parts[1].count == 12, parts[1].allSatisfy(\.isHexDigit) else { return nil }
        return pid
    }

    // MARK: - Under the lock

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    private func ensureFolder() throws {
        guard !folderExists else { return }
        if mkdir(folderCPath, 0o700) != 0, errno != EEXIST {
            throw ImportError.unreadable(
                path: folder.path, reason: "cannot create the temporary folder for this import: \(String(cString: strerror(errno)))")
        }
        folderExists = true
    }

    private func register(_ path: String, isFolder: Bool) {
        items.append(Item(path: path, cPath: strdup(path), isFolder: isFolder))
    }

    private func unregister(_ path: String) {
        guard let index = items.lastIndex(where: { $0.path == path }) else { return }
        free(items[index].cPath)
        items.remove(at: index)
    }
}

/// The signal sources `ImportScratch.installInterruptCleanup()` installs, kept alive for the
/// process's life.
private enum InterruptCleanup {
    /// Holds the sources; `@unchecked Sendable` because `sources` is only touched under `lock`.
    private final class Installed: @unchecked Sendable {
        let lock = NSLock()
        var sources: [any DispatchSourceSignal] = []
    }

    private static let installed = Installed()

    static func install() {
        installed.lock.lock()
        defer { installed.lock.unlock() }
        guard installed.sources.isEmpty else { return }
        let queue = DispatchQueue(label: "formulary.import.interrupt")
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler {
                ImportScratch.removeAll()
                _exit(128 + signalNumber)
            }
            source.resume()
            installed.sources.append(source)
        }
    }
}
