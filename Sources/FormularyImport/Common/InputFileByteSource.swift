import Foundation

/// An `InputFile` (a disk file or a zip entry) as a pull `JSONByteSource`, hashed on the way.
///
/// `InputFile.stream` pushes chunks, because that is how ZIPFoundation decompresses; a pull parser
/// needs the reverse. A helper thread runs `stream` and hands its chunks over through a small pool
/// of recycled buffers (`bufferCount` × chunk size in flight, 4 MiB by default), so memory stays
/// flat, the digest and CRC checks are Common's own, and reading, inflating and SHA-256 overlap
/// with parsing. Call `digest()` after `read` has returned 0; `cancel()` (or releasing the
/// source) stops the helper early, for a reader that only sniffs the first bytes.
final class InputFileByteSource: JSONByteSource {
    private let pipe: ChunkPipe
    private var current: ChunkPipe.Chunk?
    private var offset = 0

    init(file: InputFile, chunkSize: Int = InputFile.defaultChunkSize, bufferCount: Int = 4) {
        let pipe = ChunkPipe(chunkSize: chunkSize, bufferCount: bufferCount)
        self.pipe = pipe
        let thread = Thread {
            do {
                let digest = try file.stream(chunkSize: chunkSize) { chunk in try pipe.put(chunk) }
                pipe.close(digest: digest, error: nil)
            } catch {
                pipe.close(digest: nil, error: error)
            }
        }
        thread.name = "formulary.read"
        thread.start()
    }

    deinit {
        pipe.cancel()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let chunk = current, offset == chunk.count {
            pipe.recycle(chunk.buffer)
            current = nil
        }
        if current == nil {
            guard let next = try pipe.take() else { return 0 }
            current = next
            offset = 0
        }
        guard let chunk = current, let destination = buffer.baseAddress, let source = chunk.buffer.baseAddress else {
            return 0
        }
        let count = min(buffer.count, chunk.count - offset)
        destination.copyMemory(from: source + offset, byteCount: count)
        offset += count
        return count
    }

    /// The file's SHA-256 and size, once `read` has returned 0.
    func digest() throws -> ContentDigest {
        guard let digest = try pipe.finishedDigest() else {
            preconditionFailure("InputFileByteSource.digest() called before the input was read to its end")
        }
        return digest
    }

    /// Stops the helper thread and waits for it, so the file is closed when this returns.
    func cancel() {
        pipe.cancel()
    }
}

/// The bounded hand-over between the reading thread and the parsing thread.
///
/// `@unchecked Sendable` is safe here because every mutable property is read and written only
/// while holding `condition`'s lock; the buffers themselves are owned by exactly one side at a
/// time (free list → producer → full queue → consumer → free list).
private final class ChunkPipe: @unchecked Sendable {
    struct Chunk {
        var buffer: UnsafeMutableRawBufferPointer
        var count: Int
    }

    private let condition = NSCondition()
    private let buffers: [UnsafeMutableRawBufferPointer]
    private var free: [UnsafeMutableRawBufferPointer]
    private var full: [Chunk] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private var digest: ContentDigest?

    init(chunkSize: Int, bufferCount: Int) {
        buffers = (0..<max(2, bufferCount)).map { _ in
            UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, chunkSize), alignment: 64)
        }
        free = buffers
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    // Producer side.

    func put(_ chunk: UnsafeRawBufferPointer) throws {
        var copied = 0
        while copied < chunk.count {
            condition.lock()
            while free.isEmpty && !cancelled { condition.wait() }
            guard !cancelled, let buffer = free.popLast() else {
                condition.unlock()
                throw CancellationError()
            }
            condition.unlock()
            let count = min(buffer.count, chunk.count - copied)
            if let destination = buffer.baseAddress, let source = chunk.baseAddress {
                destination.copyMemory(from: source + copied, byteCount: count)
            }
            copied += count
            condition.lock()
            full.append(Chunk(buffer: buffer, count: count))
            condition.broadcast()
            condition.unlock()
        }
    }

    func close(digest: ContentDigest?, error: (any Error)?) {
        condition.lock()
        self.digest = digest
        failure = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    // Consumer side.

    /// The next chunk in file order; nil at the end; the producer's error once its chunks are used up.
    func take() throws -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty && !finished { condition.wait() }
        if !full.isEmpty { return full.removeFirst() }
        if let failure { throw failure }
        return nil
    }

    func recycle(_ buffer: UnsafeMutableRawBufferPointer) {
        condition.lock()
        free.append(buffer)
        condition.broadcast()
        condition.unlock()
    }

    func finishedDigest() throws -> ContentDigest? {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        return finished ? digest : nil
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
