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
    /// The batch's countdown or progress line, above the message line, while a batch runs.
    public let progressRow: Int?

    public init(width: Int, height: Int, showsBanner: Bool, showsProgress: Bool = false) {
        self.width = width
        self.height = height
        bannerRow = showsBanner ? 0 : nil
        headerRow = showsBanner ? 1 : 0
        columnHeaderRow = headerRow + 1
        listTop = columnHeaderRow + 1
        messageRow = height - 2
        statusRow = height - 1
        progressRow = showsProgress ? messageRow - 1 : nil
        listRows = max(1, (progressRow ?? messageRow) - listTop)
    }

    /// The layout for what the state shows: a banner for the demo or a dry run, a progress
    /// line while a batch is under way.
    public init(for state: AppState, width: Int, height: Int) {
        self.init(
            width: width, height: height, showsBanner: state.account.isDemo || state.isDryRun || state.planBanner != nil,
            showsProgress: state.batch?.isActive == true)
    }

    public var isTooSmall: Bool { width < Layout.minimumWidth || height < Layout.minimumHeight }
}
