//! Words of an instruction: splitting on blanks with quotes kept (parse time), and
//! expanding `$VAR`, `${VAR}`, `${VAR:-x}`, `${VAR:+x}` (and `-`, `+`, `:?`, `?`) with quote
//! removal (build time, when ARG and ENV values are known), as Docker's shell lexer does.
//!
//! Expansion is bounded: a word may not grow past `MAX_EXPANDED_WORD` bytes (or its own
//! length, for long literal text), and the ARG and ENV values of a stage may not total more
//! than `MAX_STAGE_VARIABLES` — Linux's limits on one argument (`MAX_ARG_STRLEN`) and on a
//! process's arguments and environment together (`ARG_MAX`), past which a RUN could not
//! start anyway. A Dockerfile doubling a variable fails at the line that crosses the limit.

use super::error::BuildError;
use std::collections::BTreeMap;

/// The longest expanded word, in bytes: Linux's `MAX_ARG_STRLEN` (32 pages).
pub const MAX_EXPANDED_WORD: usize = 128 * 1024;

/// The most bytes a stage's ARG and ENV names and values may total: Linux's usual `ARG_MAX`.
pub const MAX_STAGE_VARIABLES: usize = 2 * 1024 * 1024;

/// Checks that `vars` (a stage's variables) stay within `MAX_STAGE_VARIABLES`.
pub fn check_total(vars: &BTreeMap<String, String>) -> Result<(), BuildError> {
    let total: usize = vars.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    if total > MAX_STAGE_VARIABLES {
        return Err(BuildError::VariablesTooLong {
            limit: MAX_STAGE_VARIABLES,
        });
    }
    Ok(())
}

/// Splits `s` on unquoted blanks; quotes and escapes stay in the words for `expand`.
pub fn split(s: &str, escape: char) -> Result<Vec<String>, BuildError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    let mut in_word = false;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                cur.push(c);
                if c == escape && q == '"' {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None if c == escape => {
                cur.push(c);
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
                cur.push(c);
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if let Some(q) = quote {
        return Err(BuildError::Syntax(format!(
            "unterminated quote {q}: expected a closing {q}"
        )));
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

/// Expands variables from `vars` in `word` and removes its quotes and escapes; refuses a
/// result longer than `MAX_EXPANDED_WORD` bytes (or than `word` itself, if that is longer).
pub fn expand(
    word: &str,
    vars: &BTreeMap<String, String>,
    escape: char,
) -> Result<String, BuildError> {
    let chars: Vec<char> = word.chars().collect();
    let mut p = Expander {
        chars: &chars,
        pos: 0,
        vars,
        escape,
        limit: word.len().max(MAX_EXPANDED_WORD),
    };
    p.run(None)
}

struct Expander<'a> {
    chars: &'a [char],
    pos: usize,
    vars: &'a BTreeMap<String, String>,
    escape: char,
    limit: usize,
}

fn syntax(msg: impl Into<String>) -> BuildError {
    BuildError::Syntax(msg.into())
}

impl Expander<'_> {
    /// Expands until the end, or until `stop` (the `}` closing a `${...:-word}`).
    fn run(&mut self, stop: Option<char>) -> Result<String, BuildError> {
        let mut out = String::new();
        let mut dquote = false;
        while let Some(&c) = self.chars.get(self.pos) {
            if out.len() > self.limit {
                return Err(BuildError::ExpansionTooLong {
                    limit: MAX_EXPANDED_WORD,
                });
            }
            if Some(c) == stop && !dquote {
                return Ok(out);
            }
            self.pos += 1;
            if c == self.escape {
                if let Some(&n) = self.chars.get(self.pos) {
                    self.pos += 1;
                    if dquote && !matches!(n, '"' | '$') && n != self.escape {
                        out.push(c);
                    }
                    out.push(n);
                } else {
                    out.push(c);
                }
            } else if c == '\'' && !dquote {
                loop {
                    let Some(&n) = self.chars.get(self.pos) else {
                        return Err(syntax("unterminated single quote: expected a closing '"));
                    };
                    self.pos += 1;
                    if n == '\'' {
                        break;
                    }
                    out.push(n);
                }
            } else if c == '"' {
                dquote = !dquote;
            } else if c == '$' {
                let v = self.variable()?;
                if out.len() + v.len() > self.limit {
                    return Err(BuildError::ExpansionTooLong {
                        limit: MAX_EXPANDED_WORD,
                    });
                }
                out.push_str(&v);
            } else {
                out.push(c);
            }
        }
        if dquote {
            return Err(syntax("unterminated double quote: expected a closing \""));
        }
        if stop.is_some() {
            return Err(syntax("missing '}' in a ${...} substitution"));
        }
        if out.len() > self.limit {
            return Err(BuildError::ExpansionTooLong {
                limit: MAX_EXPANDED_WORD,
            });
        }
        Ok(out)
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(&c) = self.chars.get(self.pos) {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        name
    }

    /// After a `$`.
    fn variable(&mut self) -> Result<String, BuildError> {
        if self.chars.get(self.pos) != Some(&'{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(self.vars.get(&name).cloned().unwrap_or_default());
        }
        self.pos += 1;
        let name = self.name();
        if name.is_empty() {
            return Err(syntax(
                "bad substitution: expected a variable name after '${'",
            ));
        }
        let value = self.vars.get(&name);
        let op: String = match self.chars.get(self.pos) {
            Some('}') => {
                self.pos += 1;
                return Ok(value.cloned().unwrap_or_default());
            }
            Some(':') => {
                self.pos += 1;
                match self.chars.get(self.pos) {
                    Some(&c @ ('-' | '+' | '?')) => {
                        self.pos += 1;
                        format!(":{c}")
                    }
                    _ => {
                        return Err(syntax(format!(
                            "unsupported modifier in '${{{name}:...}}': expected :-, :+ or :?"
                        )));
                    }
                }
            }
            Some(&c @ ('-' | '+' | '?')) => {
                self.pos += 1;
                c.to_string()
            }
            _ => {
                return Err(syntax(format!(
                    "bad substitution '${{{name}...': expected '}}', :-, :+ or :?"
                )));
            }
        };
        let word = self.run(Some('}'))?;
        self.pos += 1; // the `}`
        let set = value.is_some();
        let nonempty = value.is_some_and(|v| !v.is_empty());
        let v = value.cloned().unwrap_or_default();
        Ok(match op.as_str() {
            ":-" => {
                if nonempty {
                    v
                } else {
                    word
                }
            }
            "-" => {
                if set {
                    v
                } else {
                    word
                }
            }
            ":+" => {
                if nonempty {
                    word
                } else {
                    String::new()
                }
            }
            "+" => {
                if set {
                    word
                } else {
                    String::new()
                }
            }
            ":?" | "?" => {
                if (op == ":?" && !nonempty) || (op == "?" && !set) {
                    return Err(syntax(if word.is_empty() {
                        format!("{name}: parameter not set")
                    } else {
                        format!("{name}: {word}")
                    }));
                }
                v
            }
            _ => v,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> BTreeMap<String, String> {
        [("A", "1"), ("E", ""), ("P", "/usr/bin")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn splits_keeping_quotes() {
        assert_eq!(
            split(r#"a "b c" d\ e 'f g'"#, '\\').expect("split"),
            vec!["a", "\"b c\"", "d\\ e", "'f g'"]
        );
        assert!(split("a \"b", '\\').is_err());
    }

    #[test]
    fn expands_like_docker() {
        let v = vars();
        let e = |s: &str| expand(s, &v, '\\').expect("expand");
        assert_eq!(e("$A"), "1");
        assert_eq!(e("${A}x"), "1x");
        assert_eq!(e("${NOPE:-dflt}"), "dflt");
        assert_eq!(e("${E:-dflt}"), "dflt");
        assert_eq!(e("${E-dflt}"), "");
        assert_eq!(e("${A:+set}"), "set");
        assert_eq!(e("${NOPE:+set}"), "");
        assert_eq!(e("${NOPE:-$P/x}"), "/usr/bin/x");
        assert_eq!(e("'$A'"), "$A");
        assert_eq!(e("\"$A b\""), "1 b");
        assert_eq!(e("\\$A"), "$A");
        assert_eq!(e("a\\ b"), "a b");
        assert_eq!(e("cost$"), "cost$");
        assert!(expand("${NOPE:?must be set}", &v, '\\').is_err());
        assert!(expand("${A", &v, '\\').is_err());
        assert_eq!(expand("`$A", &v, '`').expect("expand"), "$A");
    }

    #[test]
    fn expansion_is_bounded() {
        let mut v = vars();
        v.insert("BIG".into(), "x".repeat(MAX_EXPANDED_WORD / 2 + 1));
        assert!(expand("$BIG", &v, '\\').is_ok());
        assert_eq!(
            expand("$BIG$BIG", &v, '\\'),
            Err(BuildError::ExpansionTooLong {
                limit: MAX_EXPANDED_WORD
            })
        );
        assert!(expand("${NOPE:-$BIG$BIG}", &v, '\\').is_err());
        // Long literal text is not an expansion.
        let literal = "y".repeat(MAX_EXPANDED_WORD + 10);
        assert_eq!(expand(&literal, &v, '\\').expect("literal"), literal);
        let mut many = BTreeMap::new();
        for i in 0..20 {
            many.insert(format!("V{i}"), "z".repeat(MAX_EXPANDED_WORD));
        }
        assert!(check_total(&many).is_err());
        assert!(check_total(&v).is_ok());
    }
}
