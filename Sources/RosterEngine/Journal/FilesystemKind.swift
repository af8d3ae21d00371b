import CFilesystem

/// The kind of filesystem a folder is on, as `statfs` tells it. SQLite's write-ahead log needs
/// memory shared between the processes that open the database, which a network filesystem
/// cannot give (NFS home folders are common on jump hosts): there the journal uses SQLite's
/// rollback journal instead, which is safe wherever file locks work.
public struct FilesystemKind: Sendable, Equatable {
    /// `statfs`'s `f_type`.
    public var magic: UInt64

    public init(magic: UInt64) {
        self.magic = magic
    }

    /// The filesystem `path` is on; nil when `statfs` cannot tell.
    public init?(of path: String) {
        var type: UInt = 0
        guard roster_filesystem_type(path, &type) == 0 else { return nil }
        self.init(magic: UInt64(UInt32(truncatingIfNeeded: type)))
    }

    /// Filesystems whose files live on another machine, by their `f_type` (linux/magic.h).
    private static let network: [UInt64: String] = [
        0x6969: "NFS",
        0x517B: "SMB",
        0xFF53_4D42: "CIFS",
        0xFE53_4D42: "SMB2",
        0x5346_414F: "AFS",
        0x00C3_6400: "Ceph",
        0x0BD0_0BD0: "Lustre",
        0x4750_4653: "GPFS",
        0x0116_1970: "GFS2",
        0x7461_636F: "OCFS2",
        0x0102_1997: "9P",
        // FUSE carries sshfs and other remote mounts; it cannot be told apart from a local one.
        0x6573_5546: "FUSE",
    ]

    /// The network filesystem's name, or nil for a local one.
    public var networkName: String? { Self.network[magic] }
}
