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
pub(super) struct Action<'a> {
    /// Byte offset of `{{`.
    pub(super) start: usize,
    /// Byte offset just past `}}`.
    pub(super) end: usize,
    /// `{{-` trims the text before.
    pub(super) left_trim: bool,
    /// `-}}` trims the text after.
    pub(super) right_trim: bool,
    /// The action without delimiters, trim markers and surrounding blanks (a comment:
    /// the whole action, braces included).
    pub(super) inner: &'a str,
    /// A comment (`{{/* ... */}}`), copied verbatim.
    pub(super) comment: bool,
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

/// The first action of `src` at or after byte `from`; `None` when there is none or it is
/// not closed.
pub(super) fn next_action(src: &str, from: usize) -> Option<Action<'_>> {
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

    /// Found by fuzzing: an action whose text starts with `{{` was taken for a comment and
    /// copied without its delimiters (its check: `lexer_trap`).
    #[test]
    fn an_action_starting_with_braces_is_not_a_comment() {
        assert_eq!(rewrite("{{{{x}}"), "{{{{x | __print}}");
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
