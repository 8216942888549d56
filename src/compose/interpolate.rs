//! Variable interpolation as the Compose Specification defines it: `$VAR`, `${VAR}`,
//! `${VAR:-default}` / `${VAR-default}` (default when unset or empty / when unset),
//! `${VAR:?error}` / `${VAR?error}` (error), `${VAR:+alt}` / `${VAR+alt}` (alternative),
//! `$$` for a literal `$`. Defaults may themselves hold `${...}`.

/// What a lookup of variables gives: `None` when the variable is unset.
pub trait Vars {
    /// The value of `name`, if set.
    fn get(&self, name: &str) -> Option<String>;
}

impl Vars for std::collections::BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        std::collections::BTreeMap::get(self, name).cloned()
    }
}

/// The result of interpolating one string.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Interpolated {
    /// The text with every variable replaced.
    pub text: String,
    /// Variables used without a default that were unset (they became empty strings).
    pub unset: Vec<String>,
}

/// Replaces the variables of `s`; an error is the message of a `${VAR:?err}` whose VAR is
/// missing, or of a malformed expression.
pub fn interpolate(s: &str, vars: &dyn Vars) -> Result<Interpolated, String> {
    let mut out = Interpolated::default();
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let Some(off) = s[i..].find('$') else {
            out.text.push_str(&s[i..]);
            break;
        };
        out.text.push_str(&s[i..i + off]);
        i += off;
        match b.get(i + 1) {
            Some(b'$') => {
                out.text.push('$');
                i += 2;
            }
            Some(b'{') => {
                let end = closing_brace(s, i + 2).ok_or_else(|| {
                    format!("invalid interpolation format for \"{s}\": missing '}}'")
                })?;
                expand(&s[i + 2..end], vars, &mut out)?;
                i = end + 1;
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                let name_len = s[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(s.len() - i - 1);
                let name = &s[i + 1..i + 1 + name_len];
                match vars.get(name) {
                    Some(v) => out.text.push_str(&v),
                    None => out.unset.push(name.to_string()),
                }
                i += 1 + name_len;
            }
            _ => {
                return Err(format!(
                    "invalid interpolation format for \"{s}\": a '$' must be followed by a name, '{{' or '$' (write $$ for a literal $)"
                ));
            }
        }
    }
    Ok(out)
}

/// The index of the `}` closing a `${` whose body starts at `from` (nesting counted).
fn closing_brace(s: &str, from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, c) in s[from..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(from + k),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Expands the body of one `${...}`.
fn expand(body: &str, vars: &dyn Vars, out: &mut Interpolated) -> Result<(), String> {
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let (name, rest) = body.split_at(name_len);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("invalid interpolation format for \"${{{body}}}\""));
    }
    let value = vars.get(name);
    let (colon, op, arg) = match rest.as_bytes() {
        [] => {
            match value {
                Some(v) => out.text.push_str(&v),
                None => out.unset.push(name.to_string()),
            }
            return Ok(());
        }
        [b':', op, ..] => (true, *op, &rest[2..]),
        [op, ..] => (false, *op, &rest[1..]),
    };
    // With a colon, an empty value counts as unset.
    let set = match &value {
        Some(v) => !(colon && v.is_empty()),
        None => false,
    };
    match op {
        b'-' => {
            if set {
                out.text.push_str(&value.unwrap_or_default());
            } else {
                nested(arg, vars, out)?;
            }
        }
        b'+' => {
            if set {
                nested(arg, vars, out)?;
            }
        }
        b'?' => {
            if set {
                out.text.push_str(&value.unwrap_or_default());
            } else {
                let msg = interpolate(arg, vars)?.text;
                return Err(format!(
                    "required variable {name} is missing a value: {msg}"
                ));
            }
        }
        _ => return Err(format!("invalid interpolation format for \"${{{body}}}\"")),
    }
    Ok(())
}

/// Interpolates a default or alternative (which may hold variables itself) into `out`.
fn nested(text: &str, vars: &dyn Vars, out: &mut Interpolated) -> Result<(), String> {
    let inner = interpolate(text, vars)?;
    out.text.push_str(&inner.text);
    out.unset.extend(inner.unset);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn vars() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("TAG".to_string(), "1.2".to_string()),
            ("EMPTY".to_string(), String::new()),
        ])
    }

    fn ok(s: &str) -> String {
        interpolate(s, &vars()).expect("interpolates").text
    }

    #[test]
    fn plain_and_braced_variables() {
        assert_eq!(ok("img:$TAG"), "img:1.2");
        assert_eq!(ok("img:${TAG}-x"), "img:1.2-x");
        assert_eq!(ok("no variables"), "no variables");
        assert_eq!(ok("cost $$5 and $${TAG}"), "cost $5 and ${TAG}");
    }

    #[test]
    fn defaults_with_and_without_colon() {
        assert_eq!(ok("${NOPE:-d}"), "d");
        assert_eq!(ok("${NOPE-d}"), "d");
        assert_eq!(ok("${EMPTY:-d}"), "d");
        assert_eq!(ok("${EMPTY-d}"), "");
        assert_eq!(ok("${TAG:-d}"), "1.2");
        assert_eq!(ok("${NOPE:-${TAG}}"), "1.2");
        assert_eq!(ok("${TAG:+alt}"), "alt");
        assert_eq!(ok("${NOPE:+alt}"), "");
    }

    #[test]
    fn unset_variables_become_empty_and_are_reported() {
        let r = interpolate("a${NOPE}b$ALSO", &vars()).expect("interpolates");
        assert_eq!(r.text, "ab");
        assert_eq!(r.unset, vec!["NOPE".to_string(), "ALSO".to_string()]);
    }

    #[test]
    fn required_variables_and_malformed_expressions_are_errors() {
        let e = interpolate("${NOPE:?set NOPE please}", &vars()).expect_err("required");
        assert_eq!(
            e,
            "required variable NOPE is missing a value: set NOPE please"
        );
        assert!(interpolate("${EMPTY:?x}", &vars()).is_err());
        assert_eq!(ok("${EMPTY?x}"), "");
        assert!(interpolate("${TAG", &vars()).is_err());
        assert!(interpolate("a $ b", &vars()).is_err());
        assert!(interpolate("${}", &vars()).is_err());
    }
}
