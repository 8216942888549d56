//! One key as the user writes it in the config (`j`, `G`, `ctrl-c`, `pagedown`) and as
//! crossterm reports it, so both compare equal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// A key with the modifiers that matter (ctrl, alt); shift is part of the character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key itself.
    pub code: KeyCode,
    /// Ctrl and alt only.
    pub mods: KeyModifiers,
}

const NAMED: &[(&str, KeyCode)] = &[
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("space", KeyCode::Char(' ')),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
];

impl Key {
    /// A plain character key.
    pub fn char(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::NONE,
        }
    }

    /// Parses `j`, `G`, `?`, `ctrl-d`, `alt-x`, `pagedown`, `f5`, `shift-tab`.
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                mods |= KeyModifiers::ALT;
                rest = &rest[4..];
            } else if rest.chars().count() > 1 && lower.starts_with("shift-") {
                rest = &rest[6..];
                if rest.eq_ignore_ascii_case("tab") {
                    return Ok(Key {
                        code: KeyCode::BackTab,
                        mods,
                    });
                }
                let mut chars = rest.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    return Ok(Key {
                        code: KeyCode::Char(c.to_ascii_uppercase()),
                        mods,
                    });
                }
                return Err(format!(
                    "unknown key '{s}': 'shift-' goes with a letter or tab; write capitals as 'G'"
                ));
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(Key {
                code: KeyCode::Char(c),
                mods,
            });
        }
        let lower = rest.to_ascii_lowercase();
        if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
            return Ok(Key { code: *code, mods });
        }
        if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok())
            && (1..=12).contains(&n)
        {
            return Ok(Key {
                code: KeyCode::F(n),
                mods,
            });
        }
        Err(format!(
            "unknown key '{s}': use a character, ctrl-X, alt-X, f1-f12 or one of {}",
            NAMED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
        ))
    }

    /// The key crossterm reported, normalised for lookup.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match ev.code {
            // Some terminals report ctrl-letters in upper case with shift.
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        if code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code, mods }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            code => match NAMED.iter().find(|(_, c)| *c == code) {
                Some((n, _)) => f.write_str(n),
                None => write!(f, "{code:?}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display_round_trip() {
        for s in [
            "j", "G", "?", "ctrl-c", "alt-x", "pagedown", "f5", "esc", "space", "backtab",
        ] {
            let k = Key::parse(s).expect(s);
            assert_eq!(k.to_string(), s);
        }
        assert_eq!(Key::parse("shift-tab"), Key::parse("backtab"));
        assert_eq!(Key::parse("shift-g"), Ok(Key::char('G')));
        assert!(Key::parse("hyper-q").is_err());
        assert!(Key::parse("f13").is_err());
    }

    #[test]
    fn events_match_config_keys() {
        let ev = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::char('S'));
        let ev = KeyEvent::new(
            KeyCode::Char('C'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Some(Key::from_event(&ev)), Key::parse("ctrl-c").ok());
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Some(Key::from_event(&ev)), Key::parse("backtab").ok());
    }
}
