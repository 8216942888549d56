//! Argument forms shared by instructions: flags, JSON arrays (exec form), key=value pairs,
//! HEALTHCHECK options and Go-style durations.

use super::error::ParseError;
use super::instruction::{CmdForm, Command, Ctx, Health};
use super::words;

pub(super) fn healthcheck(
    cx: &Ctx,
    rest: &str,
    flag: &dyn Fn(&str) -> Option<String>,
) -> Result<Command, ParseError> {
    let (word, tail) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    match word.to_ascii_uppercase().as_str() {
        "NONE" if tail.is_empty() => return Ok(Command::Healthcheck(None)),
        "CMD" if !tail.is_empty() => {}
        _ => {
            return Err(
                cx.err("HEALTHCHECK takes NONE or CMD: expected HEALTHCHECK [options] CMD command")
            );
        }
    }
    let test = match cmd_form(cx, tail)? {
        CmdForm::Shell(s) => vec!["CMD-SHELL".to_string(), s],
        CmdForm::Exec(a) => std::iter::once("CMD".to_string()).chain(a).collect(),
    };
    let dur = |name: &str| -> Result<Option<i64>, ParseError> {
        flag(name)
            .map(|v| {
                parse_duration(&v).ok_or_else(|| {
                    cx.err(format!(
                        "invalid --{name} '{v}': expected a duration such as 30s or 1m30s"
                    ))
                })
            })
            .transpose()
    };
    let retries = flag("retries")
        .map(|v| {
            v.parse::<u64>()
                .map_err(|_| cx.err(format!("invalid --retries '{v}': expected a whole number")))
        })
        .transpose()?;
    Ok(Command::Healthcheck(Some(Health {
        test,
        interval: dur("interval")?,
        timeout: dur("timeout")?,
        start_period: dur("start-period")?,
        retries,
    })))
}

/// Parses Go-style durations (`1m30s`, `500ms`, `2h`) into nanoseconds.
pub(crate) fn parse_duration(s: &str) -> Option<i64> {
    let mut total: f64 = 0.0;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !c.is_ascii_digit() && c != '.')?;
        let n: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let mult = match &rest[..unit_end] {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += n * mult;
        rest = &rest[unit_end..];
    }
    Some(total as i64)
}

pub(super) fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !n.starts_with(|c: char| c.is_ascii_digit())
}

/// Wraps a JSON-form string in single quotes so `expand` keeps it as written.
pub(super) fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\"'\"'"))
}

/// Flags given to an instruction, name (without `--`) and value.
pub(super) type Flags = Vec<(String, String)>;

/// `--name=value` flags at the start of `rest`.
pub(super) fn take_flags<'a>(
    cx: &Ctx,
    mut rest: &'a str,
    allowed: &[&str],
) -> Result<(Flags, &'a str), ParseError> {
    let mut out = Vec::new();
    while let Some(body) = rest.strip_prefix("--") {
        let end = body.find(char::is_whitespace).unwrap_or(body.len());
        let (name, value) = match body[..end].split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (body[..end].to_string(), String::new()),
        };
        if !allowed.contains(&name.as_str()) {
            let expected = if allowed.is_empty() {
                "no flags".to_string()
            } else {
                allowed
                    .iter()
                    .map(|a| format!("--{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(cx.err(format!(
                "unknown flag '--{name}' for {}: expected {expected}",
                cx.keyword
            )));
        }
        if value.is_empty() {
            return Err(cx.err(format!(
                "flag '--{name}' needs a value: expected --{name}=VALUE"
            )));
        }
        out.push((name, value));
        rest = body[end..].trim_start();
    }
    Ok((out, rest))
}

/// The JSON array form if `rest` looks like one (`["...` or `[]`); a malformed one is an
/// error rather than silently run as a shell command.
pub(super) fn json_array(cx: &Ctx, rest: &str) -> Result<Option<Vec<String>>, ParseError> {
    let Some(inner) = rest.strip_prefix('[') else {
        return Ok(None);
    };
    let inner = inner.trim_start();
    if !(inner.starts_with('"') || inner.starts_with('\'') || inner.starts_with(']')) {
        return Ok(None); // `RUN [ -f x ]` is a shell test
    }
    serde_json::from_str::<Vec<String>>(rest).map(Some).map_err(|e| {
        cx.err(format!(
            "invalid JSON array for {}: {e}: expected [\"executable\", \"param\", ...] with double-quoted strings",
            cx.keyword
        ))
    })
}

pub(super) fn cmd_form(cx: &Ctx, rest: &str) -> Result<CmdForm, ParseError> {
    Ok(match json_array(cx, rest)? {
        Some(a) => CmdForm::Exec(a),
        None => CmdForm::Shell(rest.to_string()),
    })
}

/// `k=v k2="v 2"` pairs; with `legacy`, also `ENV key the rest`.
pub(super) fn key_values(
    cx: &Ctx,
    rest: &str,
    legacy: bool,
) -> Result<Vec<(String, String)>, ParseError> {
    let w = words::split(rest, cx.escape).map_err(|e| cx.err(e.to_string()))?;
    if legacy && !w.first().is_some_and(|f| f.contains('=')) {
        let (k, v) = match rest.find(char::is_whitespace) {
            Some(i) => (&rest[..i], rest[i..].trim()),
            None => (rest, ""),
        };
        if v.is_empty() {
            return Err(cx.err(format!(
                "{} requires a value: expected {} key=value",
                cx.keyword, cx.keyword
            )));
        }
        return Ok(vec![(k.to_string(), v.to_string())]);
    }
    let mut out = Vec::new();
    for word in w {
        let Some((k, v)) = word.split_once('=') else {
            return Err(cx.err(format!(
                "'{word}' has no '=': expected {} key=value ...",
                cx.keyword
            )));
        };
        if k.is_empty() {
            return Err(cx.err(format!("'{word}' has an empty key: expected key=value")));
        }
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}
