import Foundation

/// An exclusive, non-blocking lock on a file next to the database, so overlapping cron runs never
/// collide: the second run fails at once. The kernel releases it if the process dies.
public final class RefreshLock {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or throws `RefreshError.locked`.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw RefreshError.transport(url: path, reason: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw RefreshError.locked(path: path)
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
