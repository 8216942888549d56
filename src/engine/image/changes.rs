//! `--change` instructions (`import -c`, later `commit -c`): the Dockerfile instructions
//! that only touch the image configuration, applied to an OCI `Config`.

use crate::engine::error::{EngineError, Result};
use oci_spec::image::Config;
use std::collections::HashMap;

fn bad(change: &str, why: &str) -> EngineError {
    EngineError::Invalid(format!("invalid change '{change}': {why}"))
}

/// Applies each instruction in `changes` to `config`, in order.
pub fn apply(config: &mut Config, changes: &[String]) -> Result<()> {
    for c in changes {
        apply_one(config, c)?;
    }
    Ok(())
}

fn apply_one(config: &mut Config, change: &str) -> Result<()> {
    let trimmed = change.trim();
    let (word, rest) = match trimmed.find(char::is_whitespace) {
        Some(i) => (&trimmed[..i], trimmed[i..].trim()),
        None => (trimmed, ""),
    };
    match word.to_ascii_uppercase().as_str() {
        "CMD" => {
            config.set_cmd(Some(command(rest, change)?));
        }
        "ENTRYPOINT" => {
            config.set_entrypoint(Some(command(rest, change)?));
        }
        "ENV" => {
            let mut env = config.env().clone().unwrap_or_default();
            for (k, v) in pairs(rest, change, true)? {
                env.retain(|e| e.split('=').next() != Some(k.as_str()));
                env.push(format!("{k}={v}"));
            }
            config.set_env(Some(env));
        }
        "LABEL" => {
            let mut labels: HashMap<String, String> = config.labels().clone().unwrap_or_default();
            for (k, v) in pairs(rest, change, false)? {
                labels.insert(k, v);
            }
            config.set_labels(Some(labels));
        }
        "WORKDIR" => {
            if rest.is_empty() {
                return Err(bad(change, "WORKDIR needs a path"));
            }
            let dir = match config.working_dir() {
                Some(prev) if !rest.starts_with('/') => {
                    format!("{}/{rest}", prev.trim_end_matches('/'))
                }
                _ => rest.to_string(),
            };
            config.set_working_dir(Some(dir));
        }
        "USER" => {
            if rest.is_empty() {
                return Err(bad(change, "USER needs a user"));
            }
            config.set_user(Some(rest.to_string()));
        }
        "EXPOSE" => {
            let mut ports = config.exposed_ports().clone().unwrap_or_default();
            for p in rest.split_whitespace() {
                let (num, proto) = p.split_once('/').unwrap_or((p, "tcp"));
                let ok_num = num
                    .split_once('-')
                    .map(|(a, b)| a.parse::<u16>().is_ok() && b.parse::<u16>().is_ok())
                    .unwrap_or_else(|| num.parse::<u16>().is_ok());
                if !ok_num || !matches!(proto, "tcp" | "udp" | "sctp") {
                    return Err(bad(change, "ports are PORT[/tcp|udp|sctp]"));
                }
                let port = format!("{num}/{proto}");
                if !ports.contains(&port) {
                    ports.push(port);
                }
            }
            config.set_exposed_ports(Some(ports));
        }
        "VOLUME" => {
            let mut vols = config.volumes().clone().unwrap_or_default();
            let list = if rest.starts_with('[') {
                serde_json::from_str::<Vec<String>>(rest)
                    .map_err(|_| bad(change, "VOLUME takes a JSON array or paths"))?
            } else {
                rest.split_whitespace().map(str::to_string).collect()
            };
            vols.extend(list);
            config.set_volumes(Some(vols));
        }
        "STOPSIGNAL" => {
            if rest.is_empty() {
                return Err(bad(change, "STOPSIGNAL needs a signal"));
            }
            config.set_stop_signal(Some(rest.to_string()));
        }
        _ => {
            return Err(bad(
                change,
                "supported: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR",
            ));
        }
    }
    Ok(())
}

/// JSON (exec) form `["a","b"]` or shell form `a b` (run by `/bin/sh -c`).
fn command(rest: &str, change: &str) -> Result<Vec<String>> {
    if rest.starts_with('[')
        && let Ok(v) = serde_json::from_str::<Vec<String>>(rest)
    {
        return Ok(v);
    }
    if rest.is_empty() {
        return Err(bad(change, "a command is needed"));
    }
    Ok(vec!["/bin/sh".into(), "-c".into(), rest.into()])
}

/// `K=V K2="v 2"` pairs, or the legacy `K V...` form when `legacy` allows it (ENV).
fn pairs(rest: &str, change: &str, legacy: bool) -> Result<Vec<(String, String)>> {
    let words = shell_words(rest).ok_or_else(|| bad(change, "unterminated quote"))?;
    if words.is_empty() {
        return Err(bad(change, "KEY=VALUE pairs are needed"));
    }
    if !words[0].contains('=') {
        if legacy && words.len() >= 2 {
            // `ENV KEY value with spaces`: everything after the key, verbatim.
            let key = words[0].clone();
            let value = rest[rest.find(char::is_whitespace).unwrap_or(rest.len())..].trim();
            return Ok(vec![(key, value.to_string())]);
        }
        return Err(bad(change, "KEY=VALUE pairs are needed"));
    }
    let mut out = Vec::new();
    for w in words {
        let (k, v) = w
            .split_once('=')
            .ok_or_else(|| bad(change, "KEY=VALUE pairs are needed"))?;
        if k.is_empty() {
            return Err(bad(change, "empty key"));
        }
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}

/// Splits on whitespace honouring double and single quotes and backslash escapes.
fn shell_words(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        q if q == c => break,
                        '\\' if c == '"' => cur.push(chars.next()?),
                        x => cur.push(x),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(changes: &[&str]) -> Config {
        let mut c = Config::default();
        let v: Vec<String> = changes.iter().map(|s| s.to_string()).collect();
        apply(&mut c, &v).expect("valid changes");
        c
    }

    #[test]
    fn cmd_json_and_shell_forms() {
        let c = applied(&[r#"CMD ["/bin/echo", "hi"]"#]);
        assert_eq!(c.cmd().clone().expect("cmd"), ["/bin/echo", "hi"]);
        let c = applied(&["ENTRYPOINT echo hi there"]);
        assert_eq!(
            c.entrypoint().clone().expect("ep"),
            ["/bin/sh", "-c", "echo hi there"]
        );
    }

    #[test]
    fn env_label_expose_workdir_user() {
        let c = applied(&[
            r#"ENV A=1 B="two words""#,
            "ENV C legacy value",
            "ENV A=3",
            r#"LABEL maintainer="me" x=y"#,
            "EXPOSE 80 53/udp",
            "WORKDIR /app",
            "WORKDIR sub",
            "USER nobody",
        ]);
        assert_eq!(
            c.env().clone().expect("env"),
            ["B=two words", "C=legacy value", "A=3"]
        );
        let labels = c.labels().clone().expect("labels");
        assert_eq!(labels["maintainer"], "me");
        assert_eq!(labels["x"], "y");
        assert_eq!(
            c.exposed_ports().clone().expect("ports"),
            ["80/tcp", "53/udp"]
        );
        assert_eq!(c.working_dir().as_deref(), Some("/app/sub"));
        assert_eq!(c.user().as_deref(), Some("nobody"));
    }

    #[test]
    fn bad_changes_are_rejected() {
        let mut c = Config::default();
        for bad in ["RUN make", "EXPOSE http", "ENV", "LABEL novalue", "CMD"] {
            assert!(apply(&mut c, &[bad.to_string()]).is_err(), "{bad} accepted");
        }
    }
}
