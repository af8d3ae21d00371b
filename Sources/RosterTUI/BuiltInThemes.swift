/// The themes shipped with Roster, built into the binary so an installed copy needs no
/// files beside it. `themes/NAME.toml` holds the same text (a test keeps them equal).
extension Theme {
    public static let builtInFiles: [(name: String, text: String)] = [
        ("light", #"""
# Roster light theme: dark text on light terminals.
# Roles and values as in default.toml.

[normal]
fg = "default"
bg = "default"
attrs = []

[demo_banner]
fg = "black"
bg = "#ffd75f"
attrs = ["bold"]

[header]
fg = "white"
bg = "#005f87"
attrs = ["bold"]

[column_header]
fg = "#005f87"
bg = "default"
attrs = ["bold", "underline"]

[row]
fg = "default"
bg = "default"
attrs = []

[cursor_row]
fg = "black"
bg = "#afd7ff"
attrs = ["bold"]

[row_busy]
fg = "#875f00"
bg = "default"
attrs = []

[row_locked]
fg = "#870087"
bg = "default"
attrs = []

[row_failed]
fg = "#af0000"
bg = "default"
attrs = ["bold"]

[row_marked]
fg = "#005f00"
bg = "default"
attrs = ["bold"]

[flag_warn]
fg = "#875f00"
bg = "default"
attrs = ["bold"]

[status_bar]
fg = "black"
bg = "#d0d0d0"
attrs = []

[key_hint]
fg = "#005f87"
bg = "#d0d0d0"
attrs = ["bold"]

[message_info]
fg = "default"
bg = "default"
attrs = []

[message_success]
fg = "#005f00"
bg = "default"
attrs = ["bold"]

[message_warning]
fg = "#875f00"
bg = "default"
attrs = ["bold"]

[message_error]
fg = "#af0000"
bg = "default"
attrs = ["bold"]

[dialog]
fg = "black"
bg = "#e4e4e4"
attrs = []

[dialog_title]
fg = "#005f87"
bg = "#e4e4e4"
attrs = ["bold"]

[dialog_danger]
fg = "white"
bg = "#af0000"
attrs = ["bold"]

[dialog_key]
fg = "white"
bg = "#005f87"
attrs = ["bold"]

[detail_label]
fg = "#005f87"
bg = "default"
attrs = ["bold"]

[gauge_ok]
fg = "#005f00"
bg = "#d0d0d0"
attrs = ["bold"]

[gauge_warn]
fg = "black"
bg = "#ffd75f"
attrs = ["bold"]

[gauge_critical]
fg = "white"
bg = "#af0000"
attrs = ["bold"]

[progress]
fg = "white"
bg = "#005f87"
attrs = ["bold"]

[dry_run_banner]
fg = "white"
bg = "#870087"
attrs = ["bold"]

[dim]
fg = "#6c6c6c"
bg = "default"
attrs = []
"""#),
        ("high-contrast", #"""
# Roster high-contrast theme: bright text on black, strong backgrounds, and underlines
# for locked and failed rows, for low vision or washed-out projectors.

[normal]
fg = "bright_white"
bg = "black"
attrs = []

[demo_banner]
fg = "black"
bg = "bright_yellow"
attrs = ["bold"]

[header]
fg = "black"
bg = "bright_white"
attrs = ["bold"]

[column_header]
fg = "bright_cyan"
bg = "black"
attrs = ["bold", "underline"]

[row]
fg = "bright_white"
bg = "black"
attrs = []

[cursor_row]
fg = "black"
bg = "bright_yellow"
attrs = ["bold"]

[row_busy]
fg = "bright_yellow"
bg = "black"
attrs = ["bold"]

[row_locked]
fg = "bright_magenta"
bg = "black"
attrs = ["bold", "underline"]

[row_failed]
fg = "bright_red"
bg = "black"
attrs = ["bold", "underline"]

[row_marked]
fg = "bright_green"
bg = "black"
attrs = ["bold"]

[flag_warn]
fg = "bright_yellow"
bg = "black"
attrs = ["bold"]

[status_bar]
fg = "bright_white"
bg = "blue"
attrs = ["bold"]

[key_hint]
fg = "black"
bg = "bright_cyan"
attrs = ["bold"]

[message_info]
fg = "bright_white"
bg = "black"
attrs = []

[message_success]
fg = "bright_green"
bg = "black"
attrs = ["bold"]

[message_warning]
fg = "bright_yellow"
bg = "black"
attrs = ["bold"]

[message_error]
fg = "bright_red"
bg = "black"
attrs = ["bold", "underline"]

[dialog]
fg = "bright_white"
bg = "blue"
attrs = []

[dialog_title]
fg = "bright_yellow"
bg = "blue"
attrs = ["bold"]

[dialog_danger]
fg = "bright_white"
bg = "red"
attrs = ["bold", "underline"]

[dialog_key]
fg = "black"
bg = "bright_yellow"
attrs = ["bold"]

[detail_label]
fg = "bright_cyan"
bg = "black"
attrs = ["bold"]

[gauge_ok]
fg = "black"
bg = "bright_green"
attrs = ["bold"]

[gauge_warn]
fg = "black"
bg = "bright_yellow"
attrs = ["bold"]

[gauge_critical]
fg = "bright_white"
bg = "red"
attrs = ["bold", "underline"]

[progress]
fg = "black"
bg = "bright_cyan"
attrs = ["bold"]

[dry_run_banner]
fg = "bright_white"
bg = "magenta"
attrs = ["bold", "underline"]

[dim]
fg = "white"
bg = "black"
attrs = []
"""#),
        ("monochrome", #"""
# Roster monochrome theme: no colour at all, only reverse, bold, dim and underline.
# What NO_COLOR and --no-color look like, and right for vt100-class terminals.

[normal]
fg = "default"
bg = "default"
attrs = []

[demo_banner]
fg = "default"
bg = "default"
attrs = ["reverse", "bold"]

[header]
fg = "default"
bg = "default"
attrs = ["reverse", "bold"]

[column_header]
fg = "default"
bg = "default"
attrs = ["bold", "underline"]

[row]
fg = "default"
bg = "default"
attrs = []

[cursor_row]
fg = "default"
bg = "default"
attrs = ["reverse"]

[row_busy]
fg = "default"
bg = "default"
attrs = ["dim"]

[row_locked]
fg = "default"
bg = "default"
attrs = ["dim", "underline"]

[row_failed]
fg = "default"
bg = "default"
attrs = ["bold", "underline"]

[row_marked]
fg = "default"
bg = "default"
attrs = ["bold"]

[flag_warn]
fg = "default"
bg = "default"
attrs = ["bold"]

[status_bar]
fg = "default"
bg = "default"
attrs = ["reverse"]

[key_hint]
fg = "default"
bg = "default"
attrs = ["reverse", "bold"]

[message_info]
fg = "default"
bg = "default"
attrs = []

[message_success]
fg = "default"
bg = "default"
attrs = ["bold"]

[message_warning]
fg = "default"
bg = "default"
attrs = ["bold"]

[message_error]
fg = "default"
bg = "default"
attrs = ["bold", "underline"]

[dialog]
fg = "default"
bg = "default"
attrs = ["reverse"]

[dialog_title]
fg = "default"
bg = "default"
attrs = ["reverse", "bold"]

[dialog_danger]
fg = "default"
bg = "default"
attrs = ["bold", "underline"]

[dialog_key]
fg = "default"
bg = "default"
attrs = ["bold"]

[detail_label]
fg = "default"
bg = "default"
attrs = ["bold"]

[gauge_ok]
fg = "default"
bg = "default"
attrs = ["reverse"]

[gauge_warn]
fg = "default"
bg = "default"
attrs = ["reverse", "bold"]

[gauge_critical]
fg = "default"
bg = "default"
attrs = ["reverse", "bold", "underline"]

[progress]
fg = "default"
bg = "default"
attrs = ["reverse", "bold"]

[dry_run_banner]
fg = "default"
bg = "default"
attrs = ["reverse", "bold", "underline"]

[dim]
fg = "default"
bg = "default"
attrs = ["dim"]
"""#),
        ("production", #"""
# Roster production theme: the default with red accents, for a profile on a live account,
# so nobody mistakes it for a test account. Only the roles it changes are listed; the rest
# come from the default theme. The label is said in the header in text too, so it shows
# without colours (NO_COLOR, a vt100).
label = "PRODUCTION"

[header]
fg = "bright_white"
bg = "#aa0000"
attrs = ["bold"]

[column_header]
fg = "bright_red"
bg = "default"
attrs = ["bold", "underline"]

[status_bar]
fg = "bright_white"
bg = "#5f0000"
attrs = []

[key_hint]
fg = "bright_yellow"
bg = "#5f0000"
attrs = ["bold"]
"""#),
    ]
}
