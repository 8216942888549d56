//! What gtmpl (0.7) cannot be given: templates on which its lexer or its unquoting loops
//! forever or panics, found by fuzzing; [`lexer_trap`] names the first such thing in a
//! rewritten source so that it is refused with a one-line error instead.

use super::rewrite::next_action;

/// Why gtmpl (0.7) cannot be given `src`, if so: its lexer loops forever on an action left
/// open at the end of the text (`{{json .`), and panics on a non-ASCII character in an
/// action outside a string or comment (`{{é}}`: it steps back one byte, not one character).
/// Both were found by fuzzing; Go refuses the first too, and Docker's fields are ASCII.
/// Its unquoting also cuts strings by bytes after a backslash, in raw strings too (which
/// Go does not unescape): see [`escape_trap`].
pub fn lexer_trap(src: &str) -> Option<&'static str> {
    let mut pos = 0;
    while src[pos..].contains("{{") {
        let Some(a) = next_action(src, pos) else {
            return Some("unclosed action");
        };
        if !a.comment {
            let action = &src[a.start..a.end];
            if bare_non_ascii(action) {
                return Some("non-ASCII character outside a string in an action");
            }
            if let Some(why) = escape_trap(action) {
                return Some(why);
            }
        }
        pos = a.end;
    }
    None
}

/// Whether `action` has a non-ASCII character outside its quoted strings.
fn bare_non_ascii(action: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut chars = action.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == '\\' && q != '`' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '`' | '\'') => quote = Some(c),
            None if !c.is_ascii() => return true,
            None => {}
        }
    }
    false
}

/// Why a quoted string of `action` would make gtmpl's unquoting cut inside a character or
/// past the end, if it would: a raw string ending in a backslash (`` `a\` ``), a non-ASCII
/// character right after a backslash (`"\é"`), or anywhere after a `\x` or `\u` escape
/// (it reads on in fixed steps of bytes: `"\x41bé"`); and a `\x` or `\u` escape without its
/// hex digits (`"\x4"`), on which it loops forever. Found by fuzzing.
fn escape_trap(action: &str) -> Option<&'static str> {
    let mut quote: Option<char> = None;
    let mut after_hex_escape = false;
    let mut chars = action.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(_) if after_hex_escape && !c.is_ascii() => {
                return Some("non-ASCII character after an escape in a string");
            }
            Some(q) if c == '\\' => match chars.next() {
                Some('`') if q == '`' => return Some("backslash at the end of a raw string"),
                Some(e) if !e.is_ascii() => {
                    return Some("non-ASCII character after an escape in a string");
                }
                Some(h @ ('x' | 'u')) => {
                    // Fewer digits than the escape takes made gtmpl loop forever.
                    let digits = if h == 'x' { 2 } else { 4 };
                    if !(0..digits).all(|_| chars.next().is_some_and(|d| d.is_ascii_hexdigit())) {
                        return Some("invalid \\x or \\u escape in a string");
                    }
                    after_hex_escape = true;
                }
                _ => {}
            },
            Some(q) if c == q => {
                quote = None;
                after_hex_escape = false;
            }
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::format::rewrite::rewrite;

    /// Found by fuzzing: an action whose text starts with `{{` was taken for a comment and
    /// not checked.
    #[test]
    fn an_action_starting_with_braces_is_checked() {
        let crash = "{{{{{{ra\u{e652} ge..s}{{range  $kL}}ze";
        assert!(lexer_trap(crash).is_some());
    }

    #[test]
    fn escapes_gtmpl_cannot_unquote_are_refused() {
        for (bad, why) in [
            ("{{`\\`}}", "backslash at the end of a raw string"),
            (
                "{{printf `a\\` .X}}",
                "backslash at the end of a raw string",
            ),
            (
                r#"{{"\é"}}"#,
                "non-ASCII character after an escape in a string",
            ),
            (
                r#"{{"\x41bé"}}"#,
                "non-ASCII character after an escape in a string",
            ),
            (
                "{{'\\é'}}",
                "non-ASCII character after an escape in a string",
            ),
            (
                "{{`\\é`}}",
                "non-ASCII character after an escape in a string",
            ),
            (r#"{{"\x4"}}"#, r"invalid \x or \u escape in a string"),
            (r#"{{"a\u12"}}"#, r"invalid \x or \u escape in a string"),
            (r#"{{"\x"}}"#, r"invalid \x or \u escape in a string"),
        ] {
            assert_eq!(lexer_trap(&rewrite(bad)), Some(why), "{bad}");
        }
        for fine in [
            r#"{{"\né"}}"#,
            r#"{{"é\x41"}}"#,
            "{{`a\\b` `é`}}",
            r#"{{"\"" `x`}}"#,
        ] {
            assert_eq!(lexer_trap(&rewrite(fine)), None, "{fine}");
        }
    }
}
