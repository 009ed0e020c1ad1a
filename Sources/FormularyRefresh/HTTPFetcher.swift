import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches one URL to a temporary file: a conditional request, timeouts, a size cap, retries
/// with backoff on 5xx and timeouts (never on 4xx), and a body that is verified (length, content
/// type) before anyone imports it.
public struct HTTPFetcher: Sendable {
    /// Limits and retry policy.
    public struct Policy: Sendable {
        /// Seconds to wait for the connection and for each chunk of the response.
        public var readTimeout: Double
        /// Seconds the whole transfer may take.
        public var totalTimeout: Double
        public var maxBytes: Int64
        /// Attempts in all, for 5xx answers and timeouts.
        public var attempts: Int
        /// The first backoff; each retry doubles it.
        public var backoff: Double

        public init(readTimeout: Double = 30, totalTimeout: Double = 1800, maxBytes: Int64 = 4 << 30, attempts: Int = 3, backoff: Double = 1) {
            self.readTimeout = readTimeout
            self.totalTimeout = totalTimeout
            self.maxBytes = maxBytes
            self.attempts = attempts
            self.backoff = backoff
        }
    }

    /// What a fetch produced.
    public enum Outcome: Sendable {
        /// 304: the validators matched; nothing was downloaded.
        case notModified
        /// The body, in a temporary file the caller removes.
        case downloaded(file: URL, etag: String?, lastModified: String?, bytes: Int64)
    }

    public var policy: Policy

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Content types that are never a formulary file: a server's error or login page.
    static let refusedContentTypes = ["text/html", "application/xhtml+xml"]

    /// Fetches `url` into a new file in `directory`, sending `etag`/`lastModified` as validators.
    /// `onRetry` hears about each retry (for logging).
    public func fetch(
        _ url: URL, etag: String?, lastModified: String?, into directory: URL, maxBytes: Int64? = nil,
        onRetry: (_ attempt: Int, _ reason: String, _ delay: Double) -> Void = { _, _, _ in }
    ) throws -> Outcome {
        let limit = min(maxBytes ?? policy.maxBytes, policy.maxBytes)
        var attempt = 1
        while true {
            do {
                return try fetchOnce(url, etag: etag, lastModified: lastModified, into: directory, limit: limit)
            } catch let error as RefreshError {
                let retryable: Bool
                switch error {
                case .httpStatus(_, let status): retryable = status >= 500
                case .timedOut, .truncated, .transport: retryable = true
                default: retryable = false
                }
                guard retryable, attempt < policy.attempts else { throw error }
                let delay = policy.backoff * pow(2, Double(attempt - 1))
                onRetry(attempt, error.localizedDescription, delay)
                Thread.sleep(forTimeInterval: delay)
                attempt += 1
            }
        }
    }

    private func fetchOnce(_ url: URL, etag: String?, lastModified: String?, into directory: URL, limit: Int64) throws -> Outcome {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: policy.readTimeout)
        if let etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let lastModified { request.setValue(lastModified, forHTTPHeaderField: "If-Modified-Since") }
        request.setValue("formulary-refresh", forHTTPHeaderField: "User-Agent")
        let file = directory.appendingPathComponent("download-\(UUID().uuidString)")
        let delegate = try DownloadDelegate(file: file, limit: limit)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.readTimeout
        configuration.timeoutIntervalForResource = policy.totalTimeout
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request).resume()
        let result = delegate.wait()
        do {
            // A connection closed before the announced length is a truncated body, whatever
            // the transport calls it.
            if case .failure = result, let expected = delegate.announcedLength, delegate.received < expected, !delegate.exceededLimit {
                throw RefreshError.truncated(url: url.absoluteString, received: delegate.received, expected: expected)
            }
            switch result {
            case .failure(let error as RefreshError):
                throw error
            case .failure(let error as URLError) where error.code == .timedOut:
                throw RefreshError.timedOut(url: url.absoluteString, seconds: policy.readTimeout)
            case .failure(let error as URLError) where error.code == .cancelled && delegate.exceededLimit:
                throw RefreshError.tooLarge(url: url.absoluteString, limit: limit)
            case .failure(let error):
                throw RefreshError.transport(url: url.absoluteString, reason: error.localizedDescription)
            case .success(let response):
                if response.statusCode == 304 {
                    try? FileManager.default.removeItem(at: file)
                    return .notModified
                }
                guard (200..<300).contains(response.statusCode) else {
                    throw RefreshError.httpStatus(url: url.absoluteString, status: response.statusCode)
                }
                if let type = response.value(forHTTPHeaderField: "Content-Type")?.lowercased(),
                   Self.refusedContentTypes.contains(where: type.hasPrefix) {
                    throw RefreshError.wrongContentType(url: url.absoluteString, contentType: type)
                }
                let received = delegate.received
                if let length = response.value(forHTTPHeaderField: "Content-Length").flatMap(Int64.init), length != received {
                    throw RefreshError.truncated(url: url.absoluteString, received: received, expected: length)
                }
                if delegate.exceededLimit { throw RefreshError.tooLarge(url: url.absoluteString, limit: limit) }
                return .downloaded(
                    file: file, etag: response.value(forHTTPHeaderField: "ETag"),
                    lastModified: response.value(forHTTPHeaderField: "Last-Modified"), bytes: received)
            }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
    }
}

/// Streams a response body to a file as it arrives, stopping past the size limit.
///
/// `@unchecked Sendable`: URLSession calls it on its own delegate queue while the fetching
/// thread waits on `done`; every mutable field is guarded by `lock`.
private final class DownloadDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let handle: FileHandle
    private let limit: Int64
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var response: HTTPURLResponse?
    private var result: Result<HTTPURLResponse, any Error>?
    private var writeError: (any Error)?
    private(set) var received: Int64 = 0
    private(set) var exceededLimit = false
    private(set) var announcedLength: Int64?

    init(file: URL, limit: Int64) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw RefreshError.transport(url: file.path, reason: "cannot create a temporary file")
        }
        handle = try FileHandle(forWritingTo: file)
        self.limit = limit
    }

    func wait() -> Result<HTTPURLResponse, any Error> {
        done.wait()
        return lock.withLock { result ?? .failure(URLError(.unknown)) }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let http = response as? HTTPURLResponse
        let tooLong = http?.value(forHTTPHeaderField: "Content-Length").flatMap(Int64.init).map { $0 > limit } ?? false
        lock.withLock {
            self.response = http
            announcedLength = http?.value(forHTTPHeaderField: "Content-Length").flatMap(Int64.init)
            if tooLong { exceededLimit = true }
        }
        completionHandler(tooLong ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let stop: Bool = lock.withLock {
            received += Int64(data.count)
            if received > limit {
                exceededLimit = true
                return true
            }
            do {
                try handle.write(contentsOf: data)
            } catch {
                writeError = error
                return true
            }
            return false
        }
        if stop { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.withLock {
            try? handle.close()
            if let writeError {
                result = .failure(writeError)
            } else if let error {
                result = .failure(error)
            } else if let response {
                result = .success(response)
            } else {
                result = .failure(URLError(.badServerResponse))
            }
        }
        done.signal()
    }
}
