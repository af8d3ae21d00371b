#ifndef ROSTER_CNCURSES_SHIM_H
#define ROSTER_CNCURSES_SHIM_H

// SwiftPM drops pkg-config's -D flags, so the wide-character API is enabled here.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Macros and globals Swift cannot import, wrapped as functions.
static inline WINDOW *roster_stdscr(void) { return stdscr; }
static inline int roster_lines(void) { return LINES; }
static inline int roster_cols(void) { return COLS; }
static inline int roster_colors(void) { return COLORS; }
static inline int roster_color_pairs(void) { return COLOR_PAIRS; }
static inline int roster_err(void) { return ERR; }
static inline int roster_key_code_yes(void) { return KEY_CODE_YES; }

static inline attr_t roster_a_normal(void) { return A_NORMAL; }
static inline attr_t roster_a_bold(void) { return A_BOLD; }
static inline attr_t roster_a_dim(void) { return A_DIM; }
static inline attr_t roster_a_reverse(void) { return A_REVERSE; }
static inline attr_t roster_a_underline(void) { return A_UNDERLINE; }

static inline int roster_key_up(void) { return KEY_UP; }
static inline int roster_key_down(void) { return KEY_DOWN; }
static inline int roster_key_left(void) { return KEY_LEFT; }
static inline int roster_key_right(void) { return KEY_RIGHT; }
static inline int roster_key_home(void) { return KEY_HOME; }
static inline int roster_key_end(void) { return KEY_END; }
static inline int roster_key_npage(void) { return KEY_NPAGE; }
static inline int roster_key_ppage(void) { return KEY_PPAGE; }
static inline int roster_key_enter(void) { return KEY_ENTER; }
static inline int roster_key_backspace(void) { return KEY_BACKSPACE; }
static inline int roster_key_dc(void) { return KEY_DC; }
static inline int roster_key_resize(void) { return KEY_RESIZE; }
static inline int roster_key_mouse(void) { return KEY_MOUSE; }

// The mouse: presses of the first button and the wheel (buttons 4 and 5), never motion,
// which would send an event for every cell crossed over a slow link.
static inline mmask_t roster_mouse_wanted(void) {
    return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}
static inline int roster_mouse_is_press(mmask_t state) { return (state & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
static inline int roster_mouse_is_wheel_up(mmask_t state) { return (state & BUTTON4_PRESSED) != 0; }
static inline int roster_mouse_is_wheel_down(mmask_t state) { return (state & BUTTON5_PRESSED) != 0; }

// Sets the style of what is drawn next: attributes plus a colour pair.
static inline int roster_set_style(attr_t attrs, short pair) {
    return wattr_set(stdscr, attrs, pair, NULL);
}

// The colours terminfo says `term` has (setupterm without taking the screen), or -1.
#include <ncursesw/term.h>
static inline int roster_terminal_colors(const char *term) {
    int error = 0;
    if (setupterm(term, 1, &error) != 0) return -1;
    int colors = tigetnum("colors");
    del_curterm(cur_term);
    return colors;
}

#endif
