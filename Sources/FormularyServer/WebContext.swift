import Hummingbird
import Logging

/// The request context of every route: Hummingbird's core storage, with the upload limit raised
/// to the server's (5 MB by default).
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by the server before it starts (one value per process).
    nonisolated(unsafe) static var uploadLimit = 5 << 20

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { Self.uploadLimit }
}
