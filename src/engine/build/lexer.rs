//! The first pass over a Dockerfile: parser directives (`# escape=`, `# syntax=`), comments,
//! line continuations and heredoc bodies, giving one logical line per instruction with the
//! number of the line it started on.
//!
//! Written by hand: `dockerfile-parser` (0.9) knows neither heredocs nor half the
//! instructions, `dockerfile-parser-rs` only the literal `<<EOF` delimiter; the young
//! `parse-dockerfile` (0.1) reads heredocs and directives but stops at syntax, so variable
//! expansion and the per-instruction checks with berth's messages would be ours anyway, and
//! this pass is small.

use super::error::ParseError;

/// The parser directives found at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directives {
    /// The escape character: `\` (default) or `` ` ``.
    pub escape: char,
    /// The `# syntax=` frontend image, recorded but not used (berth has one frontend).
    pub syntax: Option<String>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives {
            escape: '\\',
            syntax: None,
        }
    }
}

/// A heredoc attached to an instruction (`RUN <<EOF`, `COPY <<EOF /dest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word (`EOF`).
    pub name: String,
    /// The body, every line ending in a newline.
    pub body: String,
    /// False when the delimiter was quoted (`<<"EOF"`): no variable expansion.
    pub expand: bool,
}

/// One instruction's text after joining continuation lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogicalLine {
    /// 1-based number of the line the instruction starts on.
    pub line: usize,
    /// The joined text (continuations removed, comments inside them dropped).
    pub text: String,
    /// Heredoc bodies, in the order their delimiters appear.
    pub heredocs: Vec<Heredoc>,
}

/// Splits `src` into directives and logical lines. `file` names the file in errors. A UTF-8
/// byte order mark at the start is dropped, as Docker does.
pub fn split(src: &str, file: &str) -> Result<(Directives, Vec<LogicalLine>), ParseError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let lines: Vec<&str> = src
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut dirs = Directives::default();
    let mut i = 0;
    let mut seen: Vec<String> = Vec::new();
    while i < lines.len() {
        let Some((key, value)) = directive(lines[i]) else {
            break;
        };
        if seen.contains(&key) {
            return Err(ParseError::new(
                file,
                i + 1,
                format!("the '{key}' directive is given twice: expected it at most once"),
            ));
        }
        match key.as_str() {
            "escape" => {
                dirs.escape = match value.as_str() {
                    "\\" => '\\',
                    "`" => '`',
                    _ => {
                        return Err(ParseError::new(
                            file,
                            i + 1,
                            format!("invalid escape character '{value}': expected '\\' or '`'"),
                        ));
                    }
                }
            }
            "syntax" => dirs.syntax = Some(value),
            _ => {}
        }
        seen.push(key);
        i += 1;
    }

    let mut out = Vec::new();
    while i < lines.len() {
        let first = lines[i];
        let t = first.trim();
        if t.is_empty() || t.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let mut text = String::new();
        loop {
            let raw = lines[i];
            i += 1;
            match continued(raw, dirs.escape) {
                Some(head) => {
                    text.push_str(head);
                    // Skip comment and blank lines inside a continuation, as Docker does.
                    while i < lines.len() {
                        let t = lines[i].trim();
                        if t.is_empty() || t.starts_with('#') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    if i >= lines.len() {
                        break;
                    }
                }
                None => {
                    text.push_str(raw);
                    break;
                }
            }
        }
        let text = text.trim().to_string();
        let mut heredocs = Vec::new();
        if takes_heredocs(&text) {
            for (name, expand, strip_tabs) in heredoc_markers(&text) {
                let mut body = String::new();
                loop {
                    let Some(l) = lines.get(i) else {
                        return Err(ParseError::new(
                            file,
                            start + 1,
                            format!(
                                "unterminated heredoc '{name}': expected a line '{name}' before the end of the file"
                            ),
                        ));
                    };
                    i += 1;
                    let l = if strip_tabs {
                        l.trim_start_matches('\t')
                    } else {
                        l
                    };
                    if l == name {
                        break;
                    }
                    body.push_str(l);
                    body.push('\n');
                }
                heredocs.push(Heredoc { name, body, expand });
            }
        }
        out.push(LogicalLine {
            line: start + 1,
            text,
            heredocs,
        });
    }
    Ok((dirs, out))
}

/// `# key=value` at the top of the file, with the key lowercased.
fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix('#')?;
    let (k, v) = rest.split_once('=')?;
    let k = k.trim();
    if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((k.to_ascii_lowercase(), v.trim().to_string()))
}

/// The line without its trailing escape character if it ends in one (trailing blanks
/// after it allowed), else None.
fn continued(line: &str, escape: char) -> Option<&str> {
    let t = line.trim_end_matches([' ', '\t']);
    t.strip_suffix(escape)
}

fn takes_heredocs(text: &str) -> bool {
    let word = text.split_whitespace().next().unwrap_or_default();
    matches!(word.to_ascii_uppercase().as_str(), "RUN" | "COPY" | "ADD")
}

/// The heredoc delimiters in an instruction: (name, expand, strip leading tabs).
pub fn heredoc_markers(text: &str) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let Some(rest) = word.strip_prefix("<<") else {
            continue;
        };
        if rest.starts_with('<') {
            continue; // a here-string
        }
        let (rest, strip) = match rest.strip_prefix('-') {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let (name, quoted) = unquote(rest);
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push((name.to_string(), !quoted, strip));
        }
    }
    out
}

fn unquote(s: &str) -> (&str, bool) {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return (inner, true);
        }
    }
    (s, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_comments_and_line_numbers() {
        let src = "# syntax=docker/dockerfile:1\n\nFROM busybox\n# a comment\nRUN echo a \\\n  # inside\n  && echo b\nCMD [\"sh\"]\n";
        let (d, lines) = split(src, "Dockerfile").expect("parse");
        assert_eq!(d.syntax.as_deref(), Some("docker/dockerfile:1"));
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].line, 5);
        assert_eq!(lines[1].text, "RUN echo a   && echo b");
        assert_eq!(lines[2].line, 8);
    }

    #[test]
    fn escape_directive_changes_the_continuation_character() {
        let src = "# escape=`\nFROM x\nRUN dir c:\\ `\n  /w\n";
        let (d, lines) = split(src, "Dockerfile").expect("parse");
        assert_eq!(d.escape, '`');
        assert_eq!(lines[1].text, "RUN dir c:\\   /w");
        let bad = split("# escape=x\nFROM a\n", "Dockerfile").expect_err("bad escape");
        assert_eq!(bad.line, 1);
    }

    #[test]
    fn directives_only_count_at_the_top() {
        let (d, _) = split("FROM a\n# escape=`\n", "Dockerfile").expect("parse");
        assert_eq!(d.escape, '\\');
    }

    #[test]
    fn heredocs_are_read_and_unterminated_ones_fail() {
        let src = "FROM a\nRUN <<EOF\necho hi\n  echo there\nEOF\nCOPY <<-'X' /f\n\tbody $A\n\tX\n";
        let (_, lines) = split(src, "Dockerfile").expect("parse");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].heredocs[0].body, "echo hi\n  echo there\n");
        assert!(lines[1].heredocs[0].expand);
        assert_eq!(lines[2].line, 6);
        assert_eq!(lines[2].heredocs[0].body, "body $A\n");
        assert!(!lines[2].heredocs[0].expand);
        let err = split("FROM a\n\nRUN <<EOF\necho\n", "Dockerfile").expect_err("unterminated");
        assert_eq!(err.line, 3);
        assert!(
            err.to_string()
                .starts_with("Dockerfile:3: unterminated heredoc 'EOF'")
        );
        // Here-strings and shifts are not heredocs.
        assert!(heredoc_markers("RUN cat <<<x").is_empty());
    }

    /// Dockerfile-like text (keywords, quotes, escapes, substitutions, heredocs, comments,
    /// continuations) never panics the parser, and instructions keep their order and lines.
    mod props {
        use proptest::prelude::*;

        fn piece() -> impl Strategy<Value = &'static str> {
            prop::sample::select(vec![
                "FROM ",
                "RUN ",
                "COPY ",
                "ADD ",
                "ARG ",
                "ENV ",
                "CMD ",
                "LABEL ",
                "USER ",
                "WORKDIR ",
                "HEALTHCHECK ",
                "ONBUILD ",
                "# escape=`",
                "# syntax=x",
                "#",
                "\\",
                "`",
                "\n",
                "\r\n",
                " ",
                "\t",
                "\"",
                "'",
                "$",
                "${A",
                "${A:-",
                "}",
                "$A",
                "=",
                "[",
                "]",
                ",",
                "<<EOF",
                "<<-'X'",
                "EOF",
                "\tX",
                "--from=a",
                "--chown=1:1",
                "a",
                "/b",
                "..",
                "\u{feff}",
                "é",
            ])
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(crate::engine::fuzzing::cases(256)))]
            #[test]
            fn any_dockerfile_parses_or_fails_cleanly(
                pieces in prop::collection::vec(piece(), 0..60)
            ) {
                crate::engine::fuzzing::dockerfile(pieces.concat().as_bytes());
            }
        }
    }
}
