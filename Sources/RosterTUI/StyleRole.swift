/// What a cell means; the theme decides how it looks. Views name roles, never colours.
public enum StyleRole: String, CaseIterable, Sendable {
    case normal
    case demoBanner = "demo_banner"
    case header
    case columnHeader = "column_header"
    case row
    case cursorRow = "cursor_row"
    case rowBusy = "row_busy"
    case rowLocked = "row_locked"
    case rowFailed = "row_failed"
    case rowMarked = "row_marked"
    case flagWarn = "flag_warn"
    case statusBar = "status_bar"
    case keyHint = "key_hint"
    case messageInfo = "message_info"
    case messageSuccess = "message_success"
    case messageWarning = "message_warning"
    case messageError = "message_error"
    case dialog
    case dialogTitle = "dialog_title"
    case dialogDanger = "dialog_danger"
    case dialogKey = "dialog_key"
    case detailLabel = "detail_label"
    case gaugeOk = "gauge_ok"
    case gaugeWarn = "gauge_warn"
    case gaugeCritical = "gauge_critical"
    case progress
    case dryRunBanner = "dry_run_banner"
    case dim
}
