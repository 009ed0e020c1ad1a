import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 server on 127.0.0.1 (SwiftNIO) for the refresh tests: each route scripts an
/// answer (status, headers, body, a delay, a body cut short), and the server records the
/// requests it saw. Started by each test on an ephemeral port and shut down when it ends.
final class LoopbackServer: Sendable {
    /// One scripted answer.
    struct Answer: Sendable {
        var status: Int = 200
        var headers: [String: String] = [:]
        var body = Data()
        /// Seconds to wait before answering.
        var delay: Double = 0
        /// Announce the full length but close after this many body bytes.
        var cutAfter: Int?
    }

    /// A request as the server saw it.
    struct Request: Sendable {
        var path: String
        var headers: [String: String]
    }

    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let script: Script

    init() throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let script = Script()
        self.script = script
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress?.port ?? 0
    }

    deinit { stop() }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Scripts `path`: the closure gets the request and how many times the path was asked before.
    func route(_ path: String, _ answer: @escaping @Sendable (Request, Int) -> Answer) {
        script.route(path, answer)
    }

    var requests: [Request] { script.requests }

    func stop() {
        guard script.stop() else { return }
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }
}

/// The routes and the requests seen, shared by the test thread and the event loop.
///
/// `@unchecked Sendable`: every field is read and written under `lock`.
private final class Script: @unchecked Sendable {
    private let lock = NSLock()
    private var routes: [String: @Sendable (LoopbackServer.Request, Int) -> LoopbackServer.Answer] = [:]
    private var seen: [LoopbackServer.Request] = []
    private var stopped = false

    func route(_ path: String, _ answer: @escaping @Sendable (LoopbackServer.Request, Int) -> LoopbackServer.Answer) {
        lock.withLock { routes[path] = answer }
    }

    var requests: [LoopbackServer.Request] { lock.withLock { seen } }

    /// Marks the server stopped; true the first time.
    func stop() -> Bool {
        lock.withLock {
            defer { stopped = true }
            return !stopped
        }
    }

    func answer(_ request: LoopbackServer.Request) -> LoopbackServer.Answer {
        let (script, count) = lock.withLock {
            let count = seen.filter { $0.path == request.path }.count
            seen.append(request)
            return (routes[request.path], count)
        }
        return script?(request, count) ?? LoopbackServer.Answer(status: 404, body: Data("not found".utf8))
    }
}

/// Answers each request on a connection as the script says, then closes the connection.
private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let script: Script
    private var head: HTTPRequestHead?

    init(script: Script) {
        self.script = script
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let answer = script.answer(LoopbackServer.Request(path: head.uri, headers: headers))
            if answer.delay > 0 {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(answer.delay * 1000))) {
                    self.respond(answer, context: context)
                }
            } else {
                respond(answer, context: context)
            }
        }
    }

    private func respond(_ answer: LoopbackServer.Answer, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        if !headers.contains(name: "Content-Length") { headers.add(name: "Content-Length", value: String(answer.body.count)) }
        headers.add(name: "Connection", value: "close")
        let status = HTTPResponseStatus(statusCode: answer.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        let body = answer.cutAfter.map { answer.body.prefix($0) } ?? answer.body
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        if answer.cutAfter != nil {
            // Announce the full length, send less, and hang up: a truncated body.
            context.flush()
            context.close(promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
