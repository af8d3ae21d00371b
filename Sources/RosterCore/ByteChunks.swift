#if canImport(Glibc)
import Glibc
#endif

/// The store's bytes, in chunks of a megabyte that are allocated once and never move. One
/// growing array copies itself whenever it doubles, and for that moment holds the old bytes
/// and the new: loading a million contacts briefly took 200 MB above what stays. Chunks only
/// ever add a megabyte.
///
/// Each append is one run inside one chunk (a run longer than a chunk gets a chunk of its
/// own), so a run is read through one pointer. A value type: copies share their chunks, and
/// the one that appends next copies the chunk it appends to first if another copy still
/// holds it. Full chunks are never written again, so sharing them costs nothing.
struct ByteChunks: Sendable {
    static let chunkSize = 1 << 20

    private var chunks: [Chunk] = []

    /// Where a run starts: its chunk, and its offset there.
    struct Location: Equatable {
        var chunk: Int
        var offset: Int
    }

    /// Every byte held, for figures.
    var count: Int { chunks.reduce(0) { $0 + $1.count } }

    /// Appends `bytes` as one run and says where it starts.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Location {
        if chunks.isEmpty || chunks[chunks.count - 1].capacity - chunks[chunks.count - 1].count < bytes.count {
            chunks.append(Chunk(capacity: max(Self.chunkSize, bytes.count)))
        }
        let last = chunks.count - 1
        if !isKnownUniquelyReferenced(&chunks[last]) { chunks[last] = chunks[last].copy() }
        let chunk = chunks[last]
        let offset = chunk.count
        if let source = bytes.baseAddress { (chunk.base + offset).update(from: source, count: bytes.count) }
        chunk.count += bytes.count
        return Location(chunk: last, offset: offset)
    }

    /// The bytes at a location (valid while this value lives).
    func pointer(_ location: Location) -> UnsafePointer<UInt8> {
        UnsafePointer(chunks[location.chunk].base + location.offset)
    }

    /// The chunks' start addresses, for a scan that reads many runs.
    func withBases<Result>(_ body: ([UnsafePointer<UInt8>]) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(chunks) { try body(chunks.map { UnsafePointer($0.base) }) }
    }

    /// One chunk's bytes. Written only while one `ByteChunks` holds it (see `append`).
    final class Chunk: @unchecked Sendable {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        func copy() -> Chunk {
            let copy = Chunk(capacity: capacity)
            copy.base.update(from: base, count: count)
            copy.count = count
            return copy
        }

        deinit { base.deallocate() }
    }
}

extension ByteChunks: Equatable {
    static func == (lhs: ByteChunks, rhs: ByteChunks) -> Bool {
        guard lhs.chunks.count == rhs.chunks.count else { return false }
        return zip(lhs.chunks, rhs.chunks).allSatisfy { a, b in
            a === b || (a.count == b.count && memcmp(a.base, b.base, a.count) == 0)
        }
    }
}
