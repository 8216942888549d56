//! Source rewrites that make gtmpl behave like Go's text/template where it does not.
//!
//! gtmpl ranges over maps in hash order and prints maps and lists in Rust's debug form.
//! Before parsing, each action is rewritten:
//! - `{{range PIPE}}` becomes `{{range values (PIPE)}}` (values in key order, as Go);
//!   `{{range $k, $v := PIPE}}` also binds `$k` from `keys (PIPE)` by position.
//! - an action that prints (`{{.Config.Cmd}}`) gets `| __print` so values print as Go's `%v`.
//!
//! Keywords, comments and variable declarations are left as they are.

/// The words that start a control action (never printed).
const KEYWORDS: &[&str] = &[
    "if", "else", "end", "with", "define", "template", "block", "break", "continue",
];

/// One `{{ ... }}` action found in the source.
struct Action<'a> {
    /// Byte offset of `{{`.
    start: usize,
    /// Byte offset just past `}}`.
    end: usize,
    /// `{{-` trims the text before.
    left_trim: bool,
    /// `-}}` trims the text after.
    right_trim: bool,
    /// The action without delimiters, trim markers and surrounding blanks (a comment:
    /// the whole action, braces included).
    inner: &'a str,
    /// A comment (`{{/* ... */}}`), copied verbatim.
    comment: bool,
}

/// Rewrites `src` as described in the module documentation. Text outside actions is kept
/// byte for byte; an unterminated action is left for the parser to report.
pub fn rewrite(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 32);
    let mut pos = 0;
    let mut counter = 0usize;
    while let Some(action) = next_action(src, pos) {
        out.push_str(&src[pos..action.start]);
        out.push_str(&rewrite_action(&action, &mut counter));
        pos = action.end;
    }
    out.push_str(&src[pos..]);
    out
}

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

fn next_action(src: &str, from: usize) -> Option<Action<'_>> {
    let start = from + src[from..].find("{{")?;
    let body_start = start + 2;
    let bytes = src.as_bytes();
    let mut i = body_start;
    let mut quote: Option<u8> = None;
    // A comment may contain anything up to `*/`.
    let trimmed_start = src[body_start..].trim_start_matches(['-', ' ', '\t', '\r', '\n']);
    if trimmed_start.starts_with("/*") {
        let close = src[body_start..].find("*/")? + body_start;
        let end = src[close..].find("}}")? + close + 2;
        // Comments are copied verbatim: `inner` holds the whole action, braces included.
        return Some(Action {
            start,
            end,
            left_trim: false,
            right_trim: false,
            inner: &src[start..end],
            comment: true,
        });
    }
    while i + 1 < bytes.len() || (quote.is_some() && i < bytes.len()) {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' && q != b'`' {
                    i += 2;
                    continue;
                }
                if b == q {
                    quote = None;
                }
            }
            None => {
                if b == b'"' || b == b'`' || b == b'\'' {
                    quote = Some(b);
                } else if b == b'}' && bytes[i + 1] == b'}' {
                    let body = &src[body_start..i];
                    let left_trim = body.starts_with("- ")
                        || body.starts_with("-\t")
                        || body.starts_with("-\n");
                    let right_trim =
                        body.ends_with(" -") || body.ends_with("\t-") || body.ends_with("\n-");
                    let mut inner = body;
                    if left_trim {
                        inner = &inner[1..];
                    }
                    if right_trim {
                        inner = &inner[..inner.len() - 1];
                    }
                    return Some(Action {
                        start,
                        end: i + 2,
                        left_trim,
                        right_trim,
                        inner: inner.trim(),
                        comment: false,
                    });
                }
            }
        }
        i += 1;
    }
    None
}

fn open(trim: bool) -> &'static str {
    if trim { "{{- " } else { "{{" }
}

fn close(trim: bool) -> &'static str {
    if trim { " -}}" } else { "}}" }
}

fn rewrite_action(a: &Action<'_>, counter: &mut usize) -> String {
    let inner = a.inner;
    if a.comment {
        return inner.to_string();
    }
    let first = inner
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let (l, r) = (open(a.left_trim), close(a.right_trim));
    if first == "range" {
        return rewrite_range(inner["range".len()..].trim(), a, counter);
    }
    if inner.is_empty() || KEYWORDS.contains(&first) || is_declaration(inner) {
        return format!("{l}{inner}{r}");
    }
    format!("{l}{inner} | __print{r}")
}

/// `$x := ...` or `$x = ...`.
fn is_declaration(inner: &str) -> bool {
    let Some(rest) = inner.strip_prefix('$') else {
        return false;
    };
    let rest = rest.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
    let rest = rest.trim_start();
    rest.starts_with(":=") || (rest.starts_with('=') && !rest.starts_with("=="))
}

/// Splits `$k, $v := PIPE` into its variables and the pipeline.
fn range_decl(rest: &str) -> (Vec<&str>, &str) {
    if rest.starts_with('$') {
        let op = rest.find(":=").map(|i| (i, 2)).or_else(|| {
            rest.find('=')
                .filter(|&i| !rest[i..].starts_with("=="))
                .map(|i| (i, 1))
        });
        if let Some((i, len)) = op {
            let vars: Vec<&str> = rest[..i].split(',').map(str::trim).collect();
            if vars
                .iter()
                .all(|v| v.starts_with('$') && !v.contains(char::is_whitespace))
            {
                return (vars, rest[i + len..].trim());
            }
        }
    }
    (Vec::new(), rest)
}

fn rewrite_range(rest: &str, a: &Action<'_>, counter: &mut usize) -> String {
    let (l, r) = (open(a.left_trim), close(a.right_trim));
    let (vars, pipe) = range_decl(rest);
    match vars.as_slice() {
        [] => format!("{l}range values ({pipe}){r}"),
        [v] => format!("{l}range {v} := values ({pipe}){r}"),
        [k, v] => {
            let n = *counter;
            *counter += 1;
            format!(
                "{l}$__keys{n} := keys ({pipe}){}{{{{range $__i{n}, {v} := values ({pipe})}}}}{{{{{k} := index $__keys{n} $__i{n}{r}",
                "}}"
            )
        }
        _ => format!("{l}range {rest}{r}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printing_actions_get_print() {
        assert_eq!(rewrite("a {{.X}} b"), "a {{.X | __print}} b");
        assert_eq!(rewrite("{{- .X -}}"), "{{- .X | __print -}}");
        assert_eq!(rewrite("{{json .}}"), "{{json . | __print}}");
    }

    #[test]
    fn control_actions_are_kept() {
        let src = "{{if .A}}x{{else}}y{{end}}{{$a := .B}}{{/* c }} */}}";
        assert_eq!(rewrite(src), src);
    }

    #[test]
    fn ranges_go_through_values_and_keys() {
        assert_eq!(
            rewrite("{{range .N}}{{end}}"),
            "{{range values (.N)}}{{end}}"
        );
        assert_eq!(
            rewrite("{{range $v := .N}}{{end}}"),
            "{{range $v := values (.N)}}{{end}}"
        );
        assert_eq!(
            rewrite("{{range $k, $v := .N}}{{end}}"),
            "{{$__keys0 := keys (.N)}}{{range $__i0, $v := values (.N)}}{{$k := index $__keys0 $__i0}}{{end}}"
        );
    }

    /// Found by fuzzing: an action whose text starts with `{{` was taken for a comment,
    /// copied without its delimiters and not checked for what gtmpl cannot lex.
    #[test]
    fn an_action_starting_with_braces_is_not_a_comment() {
        assert_eq!(rewrite("{{{{x}}"), "{{{{x | __print}}");
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

    #[test]
    fn braces_inside_strings_do_not_end_actions() {
        assert_eq!(
            rewrite(r#"{{printf "}}" .X}}"#),
            r#"{{printf "}}" .X | __print}}"#
        );
    }

    mod props {
        use proptest::prelude::*;

        fn piece() -> impl Strategy<Value = &'static str> {
            prop::sample::select(vec![
                "{{",
                "}}",
                "{{-",
                "-}}",
                " ",
                "\n",
                ".",
                ".State",
                ".Config.Labels",
                "$",
                "$k",
                "$v",
                ",",
                ":=",
                "=",
                "==",
                "range",
                "if",
                "else",
                "end",
                "with",
                "define",
                "template",
                "\"a\"",
                "\"",
                "`",
                "'",
                "\\",
                "|",
                "(",
                ")",
                "/*",
                "*/",
                "json",
                "index",
                "printf",
                "len",
                "x",
                "é",
            ])
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(crate::engine::fuzzing::cases(256)))]
            /// Any template is rewritten, parsed and rendered, or refused, without a panic.
            #[test]
            fn any_template_renders_or_fails_cleanly(
                pieces in prop::collection::vec(piece(), 0..30)
            ) {
                crate::fuzzing::go_template(pieces.concat().as_bytes());
            }

            /// Text without actions is kept byte for byte.
            #[test]
            fn text_without_actions_is_kept(s in "[^{]*") {
                prop_assert_eq!(super::rewrite(&s), s);
            }
        }
    }
}
