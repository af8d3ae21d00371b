import RosterCore

extension KeyMap {
    /// Roster's keys, screen by screen.
    public static let standard = KeyMap(screens: [
        listKeys, detailKeys, duplicatesKeys, historyKeys, resultsKeys, panelKeys, copyChoiceKeys, helpKeys,
        filterPromptKeys, commandPromptKeys, exportPromptKeys, confirmKeys, confirmBatchKeys, confirmQuitKeys,
    ])

    /// Moving through what a screen shows: the same keys everywhere, said as the screen needs.
    static func moving(_ down: String, _ up: String, top: String = "the top", bottom: String = "the end") -> [KeyBinding] {
        [
            KeyBinding([.down, .character("j")], .moveDown, down),
            KeyBinding([.up, .character("k")], .moveUp, up),
            KeyBinding([.pageDown, .character("f"), .control("f")], .pageDown, "page down"),
            KeyBinding([.pageUp, .character("b"), .control("b")], .pageUp, "page up"),
            KeyBinding([.control("d")], .halfPageDown, "half a page down"),
            KeyBinding([.control("u")], .halfPageUp, "half a page up"),
            KeyBinding([.home, .character("g")], .moveToTop, top),
            KeyBinding([.end, .character("G")], .moveToBottom, bottom),
        ]
    }

    static let helpAndClose: [KeyHint] = [KeyHint(.toggleHelp, "help", rank: 0), KeyHint(.dismiss, "close", rank: 0)]

    static let listKeys: ScreenKeys = {
        var list = ScreenKeys(
            .browse, title: "The list",
            bindings: Array(moving("move down", "move up", top: "first contact").dropLast()) + [
                KeyBinding(
                    [.end, .character("G")], .moveToBottom, "last loaded contact (loads more)",
                    manual: "the last loaded contact; on a sorted list, loads the next page on purpose"),
                KeyBinding(
                    [.enter], .openDetail, "details, looked up fresh",
                    manual: "details: a fresh look-up on SendMe123; the list record on Easify (it has no single-contact GET)"),
                KeyBinding(
                    [.character(" ")], .toggleMark, "mark or unmark, move down",
                    manual: "mark or unmark the contact under the cursor, and move down"),
                KeyBinding(
                    [.character("v")], .markRange, "range: v here, move, v marks it",
                    manual: "start a range at the cursor; move, then `v` again marks every contact from there to here "
                        + "(its rows show `│` beside them and the header counts it; `Esc` cancels)"),
                KeyBinding(
                    [.character("+")], .markAllShown, "mark every match on the account",
                    manual: "mark every contact the filter matches on the whole account (pages not loaded yet load first; "
                        + "see [queries.md](queries.md))"),
                KeyBinding([.character("-")], .clearMarks, "clear every mark"),
                KeyBinding(
                    [.character(":")], .startCommand, "command: profile, sort, theme, filter, export",
                    manual: "the command line, as k9s's: `:profile NAME` (a new session on that profile's account, its theme "
                        + "and limits; refused while a deletion runs or counts down, and it asks first, saying what is dropped), "
                        + "`:sort FIELD [desc]`, `:theme NAME`, `:filter @saved` (or any query), `:export FILE`, `:help`; a "
                        + "unique prefix will do (`:so phone desc`), `Tab` completes commands, profiles, themes, fields and saved "
                        + "filters, `↑` recalls the commands run before, `:?` lists them"),
                KeyBinding(
                    [.character("/")], .startFilter, "filter by text or field:value",
                    manual: "filter as you type: plain text across name, phone (digits alone match `+57 300…`), email and id, "
                        + "regardless of case and accents both ways (`perez` finds `Pérez`, `Pérez` finds `Perez`, `cagla` finds "
                        + "`Çağla`), and by Latin transliteration on any terminal (`dmitrij` finds `Дмитрий`, `yamada` finds `山田`); field "
                        + "terms such as `status:inactive !email:` (see [queries.md](queries.md)); the prompt's keys are below"),
                KeyBinding(
                    [.character("n")], .nextMatch, "next match of the filter",
                    manual: "the next contact the filter matches, from the cursor: the filter on, or the last one after `Esc` "
                        + "cleared it (so you see each match among the rest); round the end once, and the message says so"),
                KeyBinding([.character("N")], .previousMatch, "previous match of the filter"),
                KeyBinding(
                    [.character("o")], .cycleSort, "sort: server, name, phone, email",
                    manual: "sort: server order → name → phone → email; names compare without case or accents (`Çağla` beside "
                        + "`Cagla`). A sort orders the contacts loaded and says so; it never loads the rest by itself (`End` "
                        + "loads the next page on purpose). The sorted column's heading shows ▲ (A to Z) or ▼ (Z to A); a click "
                        + "on NAME, PHONE or EMAIL sorts by it, a second click the other way round"),
                KeyBinding([.character("O")], .reverseSort, "sort the other way round (Z to A)"),
                KeyBinding(
                    [.character("y")], .copyID, "copy the id, or every marked id (OSC 52)",
                    manual: "copy the contact's id to the clipboard with the terminal's OSC 52 sequence, so it works over SSH "
                        + "where the terminal allows it (in tmux: `set -g set-clipboard on`); with marks, every marked id, one a "
                        + "line. More than a terminal takes (48 KB) is written to `roster-ids-….txt` in the current folder "
                        + "(mode 0600) instead, and the message says where"),
                KeyBinding(
                    [.character("Y")], .copyField, "copy a field you choose",
                    manual: "copy one field you choose: id, name, phone, email, status and every other field the list gave "
                        + "(tags, company, country code, created, updated…)"),
                KeyBinding(
                    [.character("e")], .export, "export marked or shown as CSV",
                    manual: "export the marked contacts (or, with none marked, the rows shown) as CSV with every field of their "
                        + "records (SendMe123's read again from the list) to a file you name (a fresh `roster-export-….csv` is "
                        + "offered), mode 0600; never over an existing file; cells a spreadsheet would run as a formula (`=`, "
                        + "`@`, a `+` or `-` that is no number, also after spaces, or a leading tab) get a leading `'`, and "
                        + "escape codes in a contact's fields are written visibly (`^[`), as on screen, so `cat` on the file "
                        + "runs nothing"),
                KeyBinding(
                    [.character("d"), .delete], .delete, "delete it, or the marked (asks)",
                    manual: "delete the contact under the cursor, or every marked contact, after confirmation"),
                KeyBinding([.character("u")], .undo, "undo a countdown (nothing sent)"),
                KeyBinding(
                    [.character("p")], .togglePause, "pause or resume the batch",
                    manual: "pause / resume a running batch: nothing more is sent, not even what waits in the pacer"),
                KeyBinding(
                    [.character("x")], .stopBatch, "stop the batch (asks first)",
                    manual: "stop a running batch (asks first); what was not sent stays marked, so `d` resumes it"),
                KeyBinding(
                    [.character("s")], .deactivate, "deactivate instead (it stays)",
                    manual: "deactivate instead: the contact stays and stops receiving messages, after confirmation "
                        + "(SendMe123, or an Easify profile with `deactivate_fields`; elsewhere `s` says the account has no "
                        + "soft alternative)"),
                KeyBinding(
                    [.character("r")], .reload, "reload from the server",
                    manual: "reload from the server, keeping the cursor on the same contact"),
                KeyBinding([.character("m")], .showMessages, "every message, in full", manual: "message history: every message of the session, in full (wrapped, never cut), newest first"),
                KeyBinding(
                    [.character("H")], .showHistory, "history of deletions, to restore",
                    manual: "history: the contacts Roster deleted on this account, to restore (see [journal.md](journal.md))"),
                KeyBinding(
                    [.character("D")], .showDuplicates, "duplicates, the keepers proposed",
                    manual: "duplicates: groups of contacts sharing a phone or an email, the keeper proposed, the others marked "
                        + "(see [cleanup.md](cleanup.md))"),
                KeyBinding([.character("?")], .toggleHelp, "this help", manual: "help: the keys of the screen it is opened over"),
                KeyBinding(
                    [.control("l")], .repaint, "repaint the whole screen",
                    manual: "repaint the whole screen (after something else wrote on the terminal); it works on every screen "
                        + "and never answers a question"),
                KeyBinding(
                    [.escape], .dismiss, "close: countdown, filter, pane",
                    manual: "close the innermost thing: a countdown (nothing sent), the loading `+` started (nothing marked), "
                        + "the filter; it never stops a running batch"),
                KeyBinding(
                    [.character("q")], .quit, "quit",
                    manual: "quit; while a deletion or deactivation is under way (a read is not), a dialog asks first; "
                        + "an undo countdown holds while it asks, and once what it waited for has ended Roster leaves as asked"),
            ],
            hints: [
                KeyHint(.toggleHelp, "help", rank: 0), KeyHint(.openDetail, "details", rank: 4), KeyHint(.toggleMark, "mark", rank: 2),
                KeyHint(.startFilter, "filter", rank: 3), KeyHint(.delete, "delete", rank: 1), KeyHint(.quit, "quit", rank: 0),
            ],
            note: "One contact: only y deletes. Several: type their count, then Enter.")
        // Keys of other screens, pressed on the list: each says where it works.
        list.unoffered = [
            KeyBinding([.character("R")], .restore, "in the history: restore"),
            KeyBinding([.character("K")], .makeKeeper, "in the duplicates view: keep this one"),
            KeyBinding([.character("U")], .unmarkGroup, "in the duplicates view: unmark the group"),
        ]
        return list
    }()

    static let detailKeys = ScreenKeys(
        .detail, title: "Details",
        bindings: moving("scroll down", "scroll up") + [
            KeyBinding([.character("d"), .delete], .delete, "delete this contact (asks)"),
            KeyBinding([.character("s")], .deactivate, "deactivate it instead (asks)"),
            KeyBinding([.character("y")], .copyID, "copy its id"),
            KeyBinding([.character("?")], .toggleHelp, "these keys"),
            KeyBinding([.escape, .enter, .character("q")], .dismiss, "close the details"),
        ],
        hints: [
            KeyHint(.delete, "delete", rank: 1), KeyHint(.deactivate, "deactivate", rank: 2), KeyHint(.copyID, "copy id", rank: 3),
        ] + helpAndClose)

    static let duplicatesKeys = ScreenKeys(
        .duplicates, title: "The duplicates view (D)",
        bindings: moving("move down", "move up") + [
            KeyBinding([.character(" ")], .toggleMark, "mark or unmark, move down"),
            KeyBinding(
                [.character("K")], .makeKeeper, "keep this one instead",
                manual: "keep the contact under the cursor instead: the rest of its group is marked"),
            KeyBinding([.character("U")], .unmarkGroup, "unmark its group", manual: "unmark its whole group: none of it will be deleted"),
            KeyBinding(
                [.character("d"), .delete], .delete, "delete the marked here (asks)",
                manual: "delete the contacts marked in this view, after the usual confirmation (marks in the list outside "
                    + "it stay marked)"),
            KeyBinding([.enter], .openDetail, "go to it in the list", manual: "close the view, with the list's cursor on this contact"),
            KeyBinding([.character("?")], .toggleHelp, "these keys"),
            KeyBinding([.escape, .character("q"), .character("D")], .dismiss, "close; the marks stay"),
        ],
        hints: [
            KeyHint(.toggleMark, "mark", rank: 2), KeyHint(.makeKeeper, "keep", rank: 1), KeyHint(.unmarkGroup, "unmark group", rank: 3),
            KeyHint(.delete, "delete marked", rank: 1), KeyHint(.openDetail, "go to it", rank: 4),
        ] + helpAndClose,
        note: "Each group's keeper is proposed; the others are marked to delete.")

    static let historyKeys = ScreenKeys(
        .history, title: "The history (H)",
        bindings: moving("move down", "move up") + [
            KeyBinding([.character(" ")], .toggleMark, "mark or unmark, move down"),
            KeyBinding([.character("+")], .markAllShown, "mark all"),
            KeyBinding([.character("-")], .clearMarks, "clear the marks"),
            KeyBinding(
                [.character("R")], .restore, "restore the marked (asks)",
                manual: "restore the marked contacts, or the one under the cursor, after a confirmation that says what "
                    + "cannot come back (see [journal.md](journal.md))"),
            KeyBinding([.character("?")], .toggleHelp, "these keys"),
            KeyBinding([.escape, .character("q"), .character("H")], .dismiss, "close the history"),
        ],
        hints: [KeyHint(.toggleMark, "mark", rank: 2), KeyHint(.markAllShown, "all", rank: 3), KeyHint(.restore, "restore", rank: 1)]
            + helpAndClose,
        note: "A restored contact gets a new id; its message history does not come back.")

    static let resultsKeys = ScreenKeys(
        .results, title: "A batch's results",
        bindings: moving("scroll down", "scroll up") + [
            KeyBinding(
                [.character("r")], .retryFailed, "retry the failed, resume the not sent",
                manual: "mark the failed and the not sent again and ask to delete them: retrying one, resuming the other"),
            KeyBinding([.escape, .enter, .character("q")], .dismiss, "close"),
        ],
        hints: [KeyHint(.retryFailed, "retry", rank: 1), KeyHint(.dismiss, "close", rank: 0)])

    static let panelKeys = ScreenKeys(
        .panel, title: "Panels (m, and lines that matched nothing)",
        bindings: moving("scroll down", "scroll up") + [KeyBinding([.escape, .enter, .character("q")], .dismiss, "close")],
        hints: [KeyHint(.moveDown, "scroll", rank: 1), KeyHint(.dismiss, "close", rank: 0)])

    static let copyChoiceKeys = ScreenKeys(
        .copyChoice, title: "Copy a field (Y)",
        bindings: moving("move down", "move up") + [
            KeyBinding([.enter], .submit, "copy the field under the cursor"),
            KeyBinding([.escape, .character("q"), .character("Y")], .dismiss, "close, nothing copied"),
        ],
        otherKeys: .digits, otherKeysSummary: "`1`-`9`: copy that field",
        hints: [KeyHint(.submit, "copy", rank: 1), KeyHint(.dismiss, "close", rank: 0)])

    static let helpKeys = ScreenKeys(
        .help, title: "The help (?)",
        bindings: moving("scroll down", "scroll up") + [KeyBinding([.character("?"), .escape, .character("q")], .dismiss, "close the help")],
        hints: [KeyHint(.moveDown, "scroll", rank: 1), KeyHint(.dismiss, "close", rank: 0)])

    /// A prompt's line editing, as a shell's (readline's emacs keys): the filter, the command
    /// line and the export's file name.
    static let lineEditing: [KeyBinding] = [
        KeyBinding([.backspace], .backspace, "delete the character before the cursor (on an empty line: close it)"),
        KeyBinding([.delete, .control("d")], .editLine(.deleteUnder), "delete the character under the cursor"),
        KeyBinding([.left, .control("b")], .editLine(.left), "cursor left"),
        KeyBinding([.right, .control("f")], .editLine(.right), "cursor right"),
        KeyBinding([.home, .control("a")], .editLine(.start), "cursor to the start"),
        KeyBinding([.end, .control("e")], .editLine(.end), "cursor to the end"),
        KeyBinding([.alt("b")], .editLine(.wordLeft), "cursor back a word"),
        KeyBinding([.alt("f")], .editLine(.wordRight), "cursor forward a word"),
        KeyBinding([.control("w")], .editLine(.deleteWordBefore), "delete the word before the cursor"),
        KeyBinding([.control("u")], .editLine(.deleteToStart), "delete everything before the cursor"),
        KeyBinding([.control("k")], .editLine(.deleteToEnd), "delete from the cursor to the end"),
    ]

    static let filterPromptKeys = ScreenKeys(
        .filterText, title: "The filter prompt (/)",
        bindings: [
            KeyBinding([.enter], .submit, "keep it (and remember it in this profile's history)"),
            KeyBinding([.escape], .cancel, "clear it and close"),
            KeyBinding([.tab], .complete, "complete the field, value or @saved filter before the cursor"),
        ] + lineEditing + [
            KeyBinding([.up, .control("p")], .recallOlder, "an earlier query (kept per profile across sessions)"),
            KeyBinding([.down, .control("n")], .recallNewer, "a later query, then what you were typing"),
        ],
        otherKeys: .text, otherKeysSummary: "other keys are typed at the cursor")

    static let commandPromptKeys = ScreenKeys(
        .commandText, title: "The command line (:)",
        bindings: [
            KeyBinding([.enter], .submit, "run it (:help or :? lists the commands)"),
            KeyBinding([.escape], .cancel, "close it, nothing run"),
            KeyBinding([.tab], .complete, "complete the command, profile, theme, field or @saved filter"),
        ] + lineEditing + [
            KeyBinding([.up, .control("p")], .recallOlder, "an earlier command (this Roster's, across :profile switches)"),
            KeyBinding([.down, .control("n")], .recallNewer, "a later command, then what you were typing"),
        ],
        otherKeys: .text, otherKeysSummary: "other keys are typed at the cursor")

    static let exportPromptKeys = ScreenKeys(
        .pathText, title: "The export's file name (e)",
        bindings: [
            KeyBinding([.enter], .submit, "write the file"), KeyBinding([.escape], .cancel, "cancel, nothing written"),
        ] + lineEditing,
        otherKeys: .text, otherKeysSummary: "other keys are typed at the cursor")

    static let confirmKeys = ScreenKeys(
        .confirmKey, title: "A question (delete one, deactivate, stop, restore)",
        bindings: [KeyBinding([.character("y")], .confirm, "yes")],
        otherKeys: .cancel, otherKeysSummary: "any other key: no")

    static let confirmBatchKeys = ScreenKeys(
        .typedCount, title: "Deleting several",
        bindings: [
            KeyBinding([.enter], .submit, "delete them, once their count is typed"),
            KeyBinding([.escape], .cancel, "keep them"),
            KeyBinding([.backspace, .delete], .backspace, "delete the last digit"),
        ],
        otherKeys: .text, otherKeysSummary: "digits: the count, typed")

    static let confirmQuitKeys = ScreenKeys(
        .confirmQuit, title: "Quit while a deletion is under way",
        bindings: [KeyBinding([.character("y"), .character("q")], .confirm, "quit")],
        otherKeys: .cancel, otherKeysSummary: "any other key: stay")
}
