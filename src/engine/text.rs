//! Text from outside (registries, image archives and configs, tar headers) made safe to
//! print on a terminal or draw in the dashboard: control characters are removed, so an
//! image cannot clear the screen, set the window title or forge output with escape
//! sequences through an error message or a history line.

use std::borrow::Cow;

/// `s` without control characters (C0 but newline and tab, DEL, C1: ESC and CSI start
/// escape sequences). Borrowed when there is nothing to remove. A free function, not an
/// `Engine` method: a pure function of the text.
pub fn printable(s: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if s.chars().any(unsafe_char) {
        Cow::Owned(s.chars().filter(|c| !unsafe_char(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_lose_their_control_characters() {
        assert_eq!(
            printable("not a tar: \u{1b}[2J\u{1b}]0;pwned\u{7}x\u{9b}1m"),
            "not a tar: [2J]0;pwnedx1m"
        );
        assert_eq!(printable("two\nlines\tok\r"), "two\nlines\tok");
        assert!(matches!(printable("plain"), Cow::Borrowed("plain")));
    }
}
