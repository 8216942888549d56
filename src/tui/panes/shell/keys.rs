//! Keys for the Shell pane: crossterm's key events encoded as the bytes an xterm sends,
//! so the program inside sees the keys a terminal would give it.
//!
//! Written by hand: the only crates that encode keys for a pty (termwiz, alacritty's
//! terminal) bring their own terminal and key types; this is a short, fixed table of
//! xterm's sequences.

use crate::tui::keys::Key;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The key as the keymap compares it, with crossterm's names for ctrl-\ ctrl-] ctrl-^
/// ctrl-_ (it reports the bytes 0x1c..0x1f as ctrl-4..ctrl-7) put back.
pub fn lookup_key(ev: &KeyEvent) -> Key {
    let mut key = Key::from_event(ev);
    if key.mods.contains(KeyModifiers::CONTROL)
        && let KeyCode::Char(c @ '4'..='7') = key.code
    {
        key.code = KeyCode::Char(match c {
            '4' => '\\',
            '5' => ']',
            '6' => '^',
            _ => '_',
        });
    }
    key
}

/// The xterm modifier parameter (1 + shift + 2*alt + 4*ctrl), when any modifier is held.
fn modifier_param(mods: KeyModifiers) -> Option<u8> {
    let mut p = 1;
    if mods.contains(KeyModifiers::SHIFT) {
        p += 1;
    }
    if mods.contains(KeyModifiers::ALT) {
        p += 2;
    }
    if mods.contains(KeyModifiers::CONTROL) {
        p += 4;
    }
    (p > 1).then_some(p)
}

/// The control byte of ctrl-`c`, if the character has one.
fn control_byte(c: char) -> Option<u8> {
    Some(match c.to_ascii_lowercase() {
        c @ 'a'..='z' => c as u8 - b'a' + 1,
        '@' | ' ' | '2' => 0,
        '[' | '3' => 0x1b,
        '\\' | '4' => 0x1c,
        ']' | '5' => 0x1d,
        '^' | '6' | '~' => 0x1e,
        '_' | '7' | '/' => 0x1f,
        '?' | '8' => 0x7f,
        _ => return None,
    })
}

/// A cursor key: `ESC [ X` (or `ESC O X` in application cursor mode), `ESC [ 1 ; m X`
/// with modifiers.
fn cursor(letter: u8, mods: KeyModifiers, application: bool) -> Vec<u8> {
    match modifier_param(mods) {
        Some(m) => format!("\x1b[1;{m}{}", letter as char).into_bytes(),
        None if application => vec![0x1b, b'O', letter],
        None => vec![0x1b, b'[', letter],
    }
}

/// A `ESC [ n ~` key (page up, delete, f5...), with modifiers as `ESC [ n ; m ~`.
fn tilde(n: u8, mods: KeyModifiers) -> Vec<u8> {
    match modifier_param(mods) {
        Some(m) => format!("\x1b[{n};{m}~").into_bytes(),
        None => format!("\x1b[{n}~").into_bytes(),
    }
}

/// The bytes a terminal sends for `ev`; `application_cursor` is the program's cursor-key
/// mode (DECCKM, as vi and top set it). Empty for keys a terminal does not send.
pub fn encode(ev: &KeyEvent, application_cursor: bool) -> Vec<u8> {
    let mods = ev.modifiers;
    let alt = mods.contains(KeyModifiers::ALT);
    let mut out = Vec::new();
    let plain = |out: &mut Vec<u8>, bytes: &[u8]| {
        if alt {
            out.push(0x1b);
        }
        out.extend_from_slice(bytes);
    };
    match ev.code {
        KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
            if let Some(b) = control_byte(c) {
                plain(&mut out, &[b]);
            }
        }
        KeyCode::Char(c) => {
            let mut buf = [0u8; 4];
            plain(&mut out, c.encode_utf8(&mut buf).as_bytes());
        }
        KeyCode::Enter => plain(&mut out, b"\r"),
        KeyCode::Tab => plain(&mut out, b"\t"),
        KeyCode::BackTab => out.extend_from_slice(b"\x1b[Z"),
        KeyCode::Backspace if mods.contains(KeyModifiers::CONTROL) => plain(&mut out, &[0x08]),
        KeyCode::Backspace => plain(&mut out, &[0x7f]),
        KeyCode::Esc => plain(&mut out, &[0x1b]),
        KeyCode::Up => out = cursor(b'A', mods, application_cursor),
        KeyCode::Down => out = cursor(b'B', mods, application_cursor),
        KeyCode::Right => out = cursor(b'C', mods, application_cursor),
        KeyCode::Left => out = cursor(b'D', mods, application_cursor),
        KeyCode::Home => out = cursor(b'H', mods, application_cursor),
        KeyCode::End => out = cursor(b'F', mods, application_cursor),
        KeyCode::Insert => out = tilde(2, mods),
        KeyCode::Delete => out = tilde(3, mods),
        KeyCode::PageUp => out = tilde(5, mods),
        KeyCode::PageDown => out = tilde(6, mods),
        KeyCode::F(n @ 1..=4) => {
            let letter = b"PQRS"[usize::from(n - 1)];
            out = match modifier_param(mods) {
                Some(m) => format!("\x1b[1;{m}{}", letter as char).into_bytes(),
                None => vec![0x1b, b'O', letter],
            };
        }
        KeyCode::F(n @ 5..=12) => {
            let code = [15, 17, 18, 19, 20, 21, 23, 24][usize::from(n - 5)];
            out = tilde(code, mods);
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn characters_controls_and_alt() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        assert_eq!(encode(&key(KeyCode::Char('a'), none), false), b"a");
        assert_eq!(
            encode(&key(KeyCode::Char('é'), none), false),
            "é".as_bytes()
        );
        assert_eq!(encode(&key(KeyCode::Char('c'), ctrl), false), [3]);
        assert_eq!(encode(&key(KeyCode::Char('D'), ctrl), false), [4]);
        assert_eq!(encode(&key(KeyCode::Char(' '), ctrl), false), [0]);
        assert_eq!(encode(&key(KeyCode::Char('5'), ctrl), false), [0x1d]);
        assert_eq!(
            encode(&key(KeyCode::Char('x'), KeyModifiers::ALT), false),
            b"\x1bx"
        );
        assert_eq!(encode(&key(KeyCode::Enter, none), false), b"\r");
        assert_eq!(encode(&key(KeyCode::Backspace, none), false), [0x7f]);
        assert_eq!(encode(&key(KeyCode::Esc, none), false), [0x1b]);
        assert_eq!(encode(&key(KeyCode::Tab, none), false), b"\t");
    }

    #[test]
    fn cursor_and_function_keys_follow_xterm() {
        let none = KeyModifiers::NONE;
        assert_eq!(encode(&key(KeyCode::Up, none), false), b"\x1b[A");
        assert_eq!(encode(&key(KeyCode::Up, none), true), b"\x1bOA");
        assert_eq!(
            encode(&key(KeyCode::Left, KeyModifiers::CONTROL), true),
            b"\x1b[1;5D"
        );
        assert_eq!(encode(&key(KeyCode::PageDown, none), false), b"\x1b[6~");
        assert_eq!(encode(&key(KeyCode::Delete, none), false), b"\x1b[3~");
        assert_eq!(encode(&key(KeyCode::F(1), none), false), b"\x1bOP");
        assert_eq!(encode(&key(KeyCode::F(5), none), false), b"\x1b[15~");
        assert_eq!(encode(&key(KeyCode::F(12), none), false), b"\x1b[24~");
        assert_eq!(encode(&key(KeyCode::BackTab, none), false), b"\x1b[Z");
    }

    #[test]
    fn crossterm_names_for_ctrl_bracket_match_the_config() {
        let ev = key(KeyCode::Char('5'), KeyModifiers::CONTROL);
        assert_eq!(Some(lookup_key(&ev)), Key::parse("ctrl-]").ok());
        let ev = key(KeyCode::Char('p'), KeyModifiers::CONTROL);
        assert_eq!(Some(lookup_key(&ev)), Key::parse("ctrl-p").ok());
    }
}
