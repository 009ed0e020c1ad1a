import Foundation

/// A small HTTP/1.1 server on 127.0.0.1 for the refresh tests: each route scripts an answer
/// (status, headers, body, a delay, a body cut short), and the server records the requests it
/// saw. It serves one connection at a time on its own thread and stops when the test ends.
final class LoopbackServer: @unchecked Sendable {
    /// One scripted answer.
    struct Answer {
        var status: Int = 200
        var headers: [String: String] = [:]
        var body = Data()
        /// Seconds to wait before answering.
        var delay: Double = 0
        /// Announce the full length but close after this many body bytes.
        var cutAfter: Int?
    }

    /// A request as the server saw it.
    struct Request {
        var path: String
        var headers: [String: String]
    }

    let port: UInt16
    private let socket: Int32
    private let lock = NSLock()
    private var routes: [String: (Request, Int) -> Answer] = [:]
    private var seen: [Request] = []
    private var stopped = false

    init() throws {
        let fd = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socket = fd
        port = UInt16(bigEndian: actual.sin_port)
        let thread = Thread { [weak self] in self?.serve() }
        thread.start()
    }

    deinit { stop() }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Scripts `path`: the closure gets the request and how many times the path was asked before.
    func route(_ path: String, _ answer: @escaping (Request, Int) -> Answer) {
        lock.withLock { routes[path] = answer }
    }

    var requests: [Request] { lock.withLock { seen } }

    func stop() {
        let first: Bool = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        if first {
            shutdown(socket, Int32(SHUT_RDWR))
            close(socket)
        }
    }

    private func serve() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var received = Data()
        while received.range(of: Data("\r\n\r\n".utf8)) == nil {
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { return }
            received.append(buffer, count: count)
        }
        let head = String(decoding: received, as: UTF8.self).components(separatedBy: "\r\n")
        let path = head.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(path: path, headers: headers)
        let (script, count): (((Request, Int) -> Answer)?, Int) = lock.withLock {
            let count = seen.filter { $0.path == path }.count
            seen.append(request)
            return (routes[path], count)
        }
        let answer = script?(request, count) ?? Answer(status: 404, body: Data("not found".utf8))
        if answer.delay > 0 { Thread.sleep(forTimeInterval: answer.delay) }
        var response = "HTTP/1.1 \(answer.status) \(answer.status == 200 ? "OK" : "Status")\r\n"
        var allHeaders = answer.headers
        allHeaders["Content-Length"] = allHeaders["Content-Length"] ?? String(answer.body.count)
        allHeaders["Connection"] = "close"
        for (key, value) in allHeaders { response += "\(key): \(value)\r\n" }
        response += "\r\n"
        var bytes = Data(response.utf8)
        bytes.append(answer.cutAfter.map { answer.body.prefix($0) } ?? answer.body)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(client, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
