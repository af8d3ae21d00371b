import CNcurses
import Foundation
import Glibc

/// What the terminal reports besides keys.
public enum TerminalInput: Equatable, Sendable {
    case key(Key)
    case resize
}

/// The only code that talks to ncurses: it copies a Canvas to the screen (ncurses sends only
/// what changed, which keeps slow SSH links fast), reads keys without blocking, and restores
/// the terminal when Roster leaves.
public final class NcursesTerminal {
    private var theme: Theme
    private let useColor: Bool
    private let mouse: Bool
    /// Each frame is drawn between DEC 2026's begin and end, so the terminal shows it whole.
    private var synchronized = false
    /// The terminal did not answer in time: its answers, when they come, are not keys.
    private var answersMayFollow = false
    private let synchronization: Synchronization
    private var styles: [StyleRole: (attributes: attr_t, pair: Int16)] = [:]
    private var isActive = false

    /// `useColor` false (NO_COLOR, --no-color) keeps only the attributes: bold, dim, reverse, underline.
    /// `mouse` false (--no-mouse, `mouse = false`) leaves the mouse to the terminal.
    public init(theme: Theme, useColor: Bool = true, mouse: Bool = true, synchronization: Synchronization = .ask) {
        self.theme = theme
        self.useColor = useColor
        self.mouse = mouse
        self.synchronization = synchronization
    }

    /// Whether frames are wrapped in synchronized output: ask the terminal, or as told
    /// (`ROSTER_SYNC=on|off`).
    public enum Synchronization: Sendable {
        case ask, on, off
    }

    /// Takes over the terminal. Signal handlers must be installed before this, so ncurses
    /// leaves them in place.
    public func start() {
        setlocale(LC_ALL, "")
        var typedMeanwhile: [UInt8] = []
        switch synchronization {
        case .on: synchronized = true
        case .off: synchronized = false
        case .ask:
            let answer = Self.askForSynchronizedOutput()
            (synchronized, typedMeanwhile, answersMayFollow) = (answer.supported, answer.rest, !answer.answered)
        }
        initscr()
        // Keys typed while the terminal was asked are read as if typed now.
        for byte in typedMeanwhile.reversed() { ungetch(Int32(byte)) }
        isActive = true
        cbreak()
        noecho()
        nonl()
        intrflush(roster_stdscr(), false)
        keypad(roster_stdscr(), true)
        nodelay(roster_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        // The cursor is hidden, so ncurses need not move it back after each update: a few
        // bytes saved on every keypress over a slow link.
        leaveok(roster_stdscr(), true)
        if mouse {
            mousemask(roster_mouse_wanted(), nil)
            // A press is a click at once: no waiting to tell it from a double click.
            mouseinterval(0)
        }
        prepareStyles()
    }

    /// Gives the terminal back exactly as it was. Safe to call more than once.
    public func stop() {
        guard isActive else { return }
        isActive = false
        releaseScreen()
    }

    /// Blanks the screen (terminals without an alternate screen, such as linux and vt100,
    /// would otherwise keep the last frame), shows the cursor and ends curses mode.
    private func releaseScreen() {
        werase(roster_stdscr())
        wrefresh(roster_stdscr())
        curs_set(1)
        endwin()
    }

    /// Gives the terminal back for a suspension (Ctrl-Z), keeping ncurses' state.
    public func suspend() {
        guard isActive else { return }
        releaseScreen()
    }

    /// Takes the terminal again after `fg`: the window may have changed size meanwhile, and
    /// the next draw repaints everything.
    public func resume() {
        guard isActive else { return }
        adoptWindowSize()
        curs_set(0)
        clearok(roster_stdscr(), true)
        wrefresh(roster_stdscr())
    }

    /// Puts `text` on the terminal's clipboard with OSC 52, written after the last frame so
    /// it never lands inside one. Base64 keeps whatever the text holds from reaching the
    /// terminal as a sequence.
    public func copyToClipboard(_ text: String) {
        guard isActive else { return }
        let sequence = Array("\u{1B}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}".utf8)
        _ = sequence.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// How many colours the terminal `TERM` names can show, from terminfo, without taking the
    /// screen: 0, 8, 16, 256, or `ThemeSample.truecolor` where COLORTERM says so.
    public static func palette(environment: [String: String]) -> Int {
        let colors = Int(roster_terminal_colors(environment["TERM"]))
        guard colors >= 8 else { return 0 }
        if colors >= 256, ["truecolor", "24bit"].contains(environment["COLORTERM"]?.lowercased() ?? "") { return ThemeSample.truecolor }
        return min(colors, 256)
    }

    /// Ctrl-L: the next draw repaints every cell, whatever ncurses thinks is on the screen.
    public func repaintAll() {
        guard isActive else { return }
        clearok(roster_stdscr(), true)
    }

    public var size: (width: Int, height: Int) {
        (Int(roster_cols()), Int(roster_lines()))
    }

    /// Reads the window's new size from the terminal and tells ncurses, after a SIGWINCH.
    public func adoptWindowSize() {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 else { return }
        resizeterm(Int32(window.ws_row), Int32(window.ws_col))
    }

    /// The input file descriptor to wait on.
    public var inputDescriptor: Int32 { STDIN_FILENO }

    public func draw(_ canvas: Canvas) {
        let screen = roster_stdscr()
        let rows = min(canvas.height, Int(roster_lines()))
        let columns = min(canvas.width, Int(roster_cols()))
        var run: [wchar_t] = []
        for y in 0..<rows {
            var x = 0
            while x < columns {
                let role = canvas[x, y].role
                let start = x
                run.removeAll(keepingCapacity: true)
                // A run ends at a role change or after a wide character, so each run starts at
                // an explicit column even if ncurses measures a character differently.
                while x < columns, canvas[x, y].role == role {
                    let cell = canvas[x, y]
                    x += 1
                    guard let text = cell.text else { continue }
                    run.append(contentsOf: text.unicodeScalars.map { wchar_t(bitPattern: $0.value) })
                    if x < columns, canvas[x, y].text == nil { x += 1; break }
                }
                let style = styles[role] ?? (roster_a_normal(), 0)
                roster_set_style(style.attributes, style.pair)
                wmove(screen, Int32(y), Int32(start))
                run.withUnsafeBufferPointer { buffer in
                    _ = waddnwstr(screen, buffer.baseAddress, Int32(buffer.count))
                }
            }
        }
        wnoutrefresh(screen)
        if synchronized { writeRaw("\u{1B}[?2026h") }
        doupdate()
        if synchronized { writeRaw("\u{1B}[?2026l") }
    }

    private func writeRaw(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Asks the terminal whether it knows synchronized output (`SyncProbe`), waiting at most
    /// `timeout` seconds for its answers; also what else it read (keys typed meanwhile).
    private static func askForSynchronizedOutput(timeout: Double = 0.5) -> (supported: Bool, rest: [UInt8], answered: Bool) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return (false, [], true) }
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return (false, [], true) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        let query = Array(SyncProbe.query.utf8)
        _ = query.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let wait = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&descriptor, 1, wait) > 0 else { break }
            var chunk = [UInt8](repeating: 0, count: 256)
            let count = read(STDIN_FILENO, &chunk, chunk.count)
            guard count > 0 else { break }
            received += chunk.prefix(count)
            if case .decided(let supported, let rest) = SyncProbe.read(received) { return (supported, rest, true) }
        }
        return (false, received.filter { $0 != 0x1B }, false)
    }

    /// Every key waiting now; returns at once when there is none.
    public func readInputs() -> [TerminalInput] {
        var inputs: [TerminalInput] = []
        var character: wint_t = 0
        while true {
            let result = wget_wch(roster_stdscr(), &character)
            if result == roster_err() { break }
            if result == roster_key_code_yes() {
                let code = Int32(character)
                if code == roster_key_resize() {
                    inputs.append(.resize)
                } else if code == roster_key_mouse() {
                    var event = MEVENT()
                    guard getmouse(&event) == 0 else { continue }
                    let (x, y) = (Int(event.x), Int(event.y))
                    if roster_mouse_is_wheel_up(event.bstate) != 0 {
                        inputs.append(.key(.mouse(MouseEvent(.wheelUp, x: x, y: y))))
                    } else if roster_mouse_is_wheel_down(event.bstate) != 0 {
                        inputs.append(.key(.mouse(MouseEvent(.wheelDown, x: x, y: y))))
                    } else if roster_mouse_is_press(event.bstate) != 0 {
                        inputs.append(.key(.mouse(MouseEvent(.click, x: x, y: y))))
                    }
                } else {
                    inputs.append(.key(Self.functionKey(code)))
                }
            } else {
                inputs.append(.key(Self.characterKey(UInt32(character))))
            }
        }
        return Self.withAltKeys(answersMayFollow ? withoutLateAnswers(inputs) : inputs)
    }

    /// Alt and a letter arrives as Esc and the letter together: one key, as a shell reads it.
    /// An Esc read on its own (the reads are apart by ncurses' ESCDELAY) stays Esc.
    static func withAltKeys(_ inputs: [TerminalInput]) -> [TerminalInput] {
        var result: [TerminalInput] = []
        var index = 0
        while index < inputs.count {
            if inputs[index] == .key(.escape), index + 1 < inputs.count, case .key(.character(let letter)) = inputs[index + 1],
               letter.isASCII, letter.isLetter {
                result.append(.key(.alt(letter)))
                index += 2
            } else {
                result.append(inputs[index])
                index += 1
            }
        }
        return result
    }

    /// A terminal's late answer to the start-up question reads as Esc, `[`, `?`, digits and
    /// `;`, ending in `c` or `$y`: dropped, not taken as keys.
    private func withoutLateAnswers(_ inputs: [TerminalInput]) -> [TerminalInput] {
        guard let start = inputs.firstIndex(of: .key(.escape)), start + 2 < inputs.count,
              inputs[start + 1] == .key(.character("[")), inputs[start + 2] == .key(.character("?")) else { return inputs }
        var end = start + 3
        while end < inputs.count, case .key(.character(let character)) = inputs[end], character.isNumber || character == ";" || character == "$" {
            end += 1
        }
        guard end < inputs.count, inputs[end] == .key(.character("c")) || inputs[end] == .key(.character("y")) else { return inputs }
        if inputs[end] == .key(.character("c")) { answersMayFollow = false }
        return withoutLateAnswers(Array(inputs[..<start]) + Array(inputs[(end + 1)...]))
    }

    private static func functionKey(_ code: Int32) -> Key {
        switch code {
        case roster_key_up(): return .up
        case roster_key_down(): return .down
        case roster_key_left(): return .left
        case roster_key_right(): return .right
        case roster_key_home(): return .home
        case roster_key_end(): return .end
        case roster_key_npage(): return .pageDown
        case roster_key_ppage(): return .pageUp
        case roster_key_enter(): return .enter
        case roster_key_backspace(): return .backspace
        case roster_key_dc(): return .delete
        default: return .other(Int(code))
        }
    }

    private static func characterKey(_ value: UInt32) -> Key {
        switch value {
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 0..<32: return .other(Int(value))
        default:
            guard let scalar = Unicode.Scalar(value) else { return .other(Int(value)) }
            return .character(Character(scalar))
        }
    }

    /// Another theme from now on (`:theme`): the colour pairs are set again and the next
    /// draw repaints every cell in them.
    public func adopt(_ theme: Theme) {
        self.theme = theme
        guard isActive else { return }
        prepareStyles()
        clearok(roster_stdscr(), true)
    }

    /// One colour pair per role, degraded to what the terminal can show.
    private func prepareStyles() {
        let colors = useColor && has_colors()
        if colors {
            start_color()
            use_default_colors()
        }
        let palette = colors ? Int(roster_colors()) : 0
        let maxPairs = colors ? Int(roster_color_pairs()) : 0
        // Without colours (NO_COLOR, --no-color, a vt100) the monochrome theme's attributes
        // carry every role.
        let theme = colors ? self.theme : Theme.monochrome
        for (offset, role) in StyleRole.allCases.enumerated() {
            let style = theme.style(for: role)
            var attributes = roster_a_normal()
            for attribute in style.attributes {
                switch attribute {
                case .bold: attributes |= roster_a_bold()
                case .dim: attributes |= roster_a_dim()
                case .reverse: attributes |= roster_a_reverse()
                case .underline: attributes |= roster_a_underline()
                }
            }
            var pair: Int16 = 0
            if palette >= 8, offset + 1 < maxPairs {
                pair = Int16(offset + 1)
                let foreground = style.foreground.index(forPalette: palette).map(Int16.init) ?? -1
                let background = style.background.index(forPalette: palette).map(Int16.init) ?? -1
                init_pair(pair, foreground, background)
            }
            styles[role] = (attributes, pair)
        }
    }
}
