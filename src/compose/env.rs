//! The variables interpolation sees: the process environment over the project's `.env`
//! file, and the `KEY=VALUE` file format `.env` and `env_file:` share.

use super::interpolate::Vars;
use std::collections::BTreeMap;

/// Parses a `.env` / `env_file` text: `KEY=VALUE` lines (an optional `export ` before),
/// blank lines and `#` comments skipped, values optionally in single or double quotes;
/// a bare `KEY` has no value (`None`).
pub fn parse_env_file(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        match line.split_once('=') {
            Some((k, v)) => out.push((k.trim().to_string(), Some(unquote(v.trim())))),
            None => out.push((line.to_string(), None)),
        }
    }
    out
}

/// Removes matching quotes (double quotes understand `\n` and `\"`); an unquoted value
/// loses a trailing ` # comment`.
fn unquote(v: &str) -> String {
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        return v[1..v.len() - 1].replace("\\n", "\n").replace("\\\"", "\"");
    }
    if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        return v[1..v.len() - 1].to_string();
    }
    match v.find(" #") {
        Some(i) => v[..i].trim_end().to_string(),
        None => v.to_string(),
    }
}

/// The process environment over the `.env` file's variables.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// From `.env`.
    pub dotenv: BTreeMap<String, String>,
    /// The process environment (taken once, so a run sees one consistent view).
    pub process: BTreeMap<String, String>,
}

impl Environment {
    /// The process environment and the `.env` text (if any).
    pub fn new(dotenv_text: Option<&str>) -> Environment {
        let dotenv = dotenv_text
            .map(parse_env_file)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        Environment {
            dotenv,
            process: std::env::vars().collect(),
        }
    }
}

impl Vars for Environment {
    fn get(&self, name: &str) -> Option<String> {
        self.process
            .get(name)
            .or_else(|| self.dotenv.get(name))
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_parse_like_compose() {
        let v =
            parse_env_file("# c\nA=1\nexport B = two \nC=\"x y\"\nD='$lit'\nE=v # note\nBARE\n\n");
        let want: Vec<(String, Option<String>)> = vec![
            ("A".into(), Some("1".into())),
            ("B".into(), Some("two".into())),
            ("C".into(), Some("x y".into())),
            ("D".into(), Some("$lit".into())),
            ("E".into(), Some("v".into())),
            ("BARE".into(), None),
        ];
        assert_eq!(v, want);
    }

    #[test]
    fn the_process_environment_wins_over_dotenv() {
        let mut e = Environment::new(Some("X=from-file\nY=file"));
        e.process = BTreeMap::from([("X".to_string(), "from-env".to_string())]);
        assert_eq!(e.get("X").as_deref(), Some("from-env"));
        assert_eq!(e.get("Y").as_deref(), Some("file"));
        assert_eq!(e.get("Z"), None);
    }
}
