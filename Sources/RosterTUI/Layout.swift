import RosterCore

/// Where each part of the main screen goes for a terminal size.
public struct Layout: Equatable, Sendable {
    public static let minimumWidth = 60
    public static let minimumHeight = 12

    public let width: Int
    public let height: Int
    public let bannerRow: Int?
    public let headerRow: Int
    public let columnHeaderRow: Int
    public let listTop: Int
    public let listRows: Int
    public let messageRow: Int
    public let statusRow: Int

    public init(width: Int, height: Int, showsBanner: Bool) {
        self.width = width
        self.height = height
        bannerRow = showsBanner ? 0 : nil
        headerRow = showsBanner ? 1 : 0
        columnHeaderRow = headerRow + 1
        listTop = columnHeaderRow + 1
        messageRow = height - 2
        statusRow = height - 1
        listRows = max(1, messageRow - listTop)
    }

    public var isTooSmall: Bool { width < Layout.minimumWidth || height < Layout.minimumHeight }
}
