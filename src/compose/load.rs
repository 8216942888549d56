//! Loading a project: find the files, read `.env`, parse each file, warn about unknown
//! keys, interpolate, check the shapes (errors name file, line and key), merge the files
//! in order, and normalize into the model.

use super::env::Environment;
use super::error::{ComposeError, Result};
use super::interpolate::{Vars, interpolate};
use super::locate::{Step, exact_line, line_of, parse_path, path_text};
use super::merge::merge;
use super::model::Project;
use super::{known, normalize, raw};
use serde_yaml_ng::Value;
use std::path::{Path, PathBuf};

/// The file names looked for, in order, when no `-f` is given.
pub const DEFAULT_FILES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// What to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `-f` files in order (none: `COMPOSE_FILE`, then the default names in `dir`).
    pub files: Vec<PathBuf>,
    /// `-p`.
    pub project_name: Option<String>,
    /// The directory commands run in (the current directory).
    pub dir: PathBuf,
}

/// A loaded project and the warnings met on the way (one line each, also given to the
/// loader's `warn` as they were met).
#[derive(Debug)]
pub struct Loaded {
    /// The project.
    pub project: Project,
    /// Unknown keys, unset variables.
    pub warnings: Vec<String>,
}

/// One file read and checked.
struct Source {
    /// As the user named it (for messages).
    shown: String,
    /// Its text (for locating keys).
    text: String,
    /// Its tree, interpolated.
    tree: Value,
}

/// The files to read: `-f`, `COMPOSE_FILE` (`:`-separated), or the first default name
/// found in `dir`.
pub fn find_files(o: &LoadOptions) -> Result<Vec<PathBuf>> {
    let abs = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            o.dir.join(p)
        }
    };
    if !o.files.is_empty() {
        return Ok(o.files.iter().map(|f| abs(f)).collect());
    }
    if let Ok(list) = std::env::var("COMPOSE_FILE")
        && !list.is_empty()
    {
        return Ok(list.split(':').map(|f| abs(Path::new(f))).collect());
    }
    DEFAULT_FILES
        .iter()
        .map(|n| o.dir.join(n))
        .find(|p| p.is_file())
        .map(|p| vec![p])
        .ok_or_else(|| ComposeError::NoFile(o.dir.clone()))
}

/// Compose's rule for project names: lower case letters, digits, `-` and `_`, starting
/// with a letter or digit.
pub fn normalize_name(raw: &str) -> String {
    raw.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_')
        .collect::<String>()
        .trim_start_matches(['-', '_'])
        .to_string()
}

fn valid_name(n: &str) -> bool {
    !n.is_empty() && normalize_name(n) == n
}

/// Loads the project; warnings (unknown keys, unset variables) go to `warn` as they are
/// met, so they are seen even when an error follows.
pub fn load(o: &LoadOptions, warn: &mut dyn FnMut(&str)) -> Result<Loaded> {
    let files = find_files(o)?;
    let first = &files[0];
    let dir = first
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| o.dir.clone());
    let dotenv = std::fs::read_to_string(dir.join(".env")).ok();
    let env = Environment::new(dotenv.as_deref());
    let mut warnings = Vec::new();
    let mut sources = Vec::new();
    for f in &files {
        let source = read(f, o, &env, &mut warnings, warn);
        sources.push(source?);
    }
    let mut merged = Value::Null;
    for s in &sources {
        merged = merge(merged, s.tree.clone());
    }
    let last = sources.last().map(|s| s.shown.clone()).unwrap_or_default();
    let file: raw::File = typed(&merged, &last, "")?;
    let name = match (&o.project_name, env.get("COMPOSE_PROJECT_NAME"), &file.name) {
        (Some(p), _, _) => {
            if !valid_name(p) {
                return Err(ComposeError::Project(format!(
                    "invalid project name \"{p}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number"
                )));
            }
            p.clone()
        }
        (None, Some(p), _) if !p.is_empty() => normalize_name(&p),
        (None, _, Some(n)) if !n.is_empty() => normalize_name(n),
        _ => normalize_name(
            &dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ),
    };
    if name.is_empty() {
        return Err(ComposeError::Project(
            "project name must not be empty: give one with -p".into(),
        ));
    }
    let mut project = normalize::project(file, &name, &dir, &env).map_err(|(path, message)| {
        let (file, line) = locate(&sources, &path);
        ComposeError::Value {
            file,
            line,
            key: path_text(&path),
            message,
        }
    })?;
    project.config_files = files;
    Ok(Loaded { project, warnings })
}

/// The file and line of a key: the last file that has the whole path, else the last one
/// that has the longest part of it (a list merged from several files is numbered across
/// them, so an item's index may not be its index in its own file).
fn locate(sources: &[Source], path: &[Step]) -> (String, usize) {
    for len in (1..=path.len()).rev() {
        for s in sources.iter().rev() {
            if let Some(line) = exact_line(&s.text, &path[..len]) {
                return (s.shown.clone(), line);
            }
        }
    }
    let s = &sources[0];
    (s.shown.clone(), line_of(&s.text, path))
}

fn shown(f: &Path, o: &LoadOptions) -> String {
    f.strip_prefix(&o.dir)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| f.display().to_string())
}

/// Reads, parses, warns about unknown keys, interpolates and type-checks one file.
fn read(
    f: &Path,
    o: &LoadOptions,
    env: &Environment,
    warnings: &mut Vec<String>,
    warn: &mut dyn FnMut(&str),
) -> Result<Source> {
    let shown = shown(f, o);
    let text = std::fs::read_to_string(f).map_err(|source| ComposeError::Read {
        path: f.to_path_buf(),
        source,
    })?;
    let mut tree: Value = serde_yaml_ng::from_str(&text).map_err(|e| ComposeError::Syntax {
        file: shown.clone(),
        line: e.location().map(|l| l.line()).unwrap_or(0),
        message: e.to_string(),
    })?;
    if !tree.is_mapping() {
        return Err(ComposeError::Syntax {
            file: shown,
            line: 1,
            message: "a compose file is a mapping with a services key at the top level".into(),
        });
    }
    for path in known::unknown_keys(&tree) {
        let w = format!(
            "{shown}: line {}: {}: unknown or unsupported key, ignored",
            line_of(&text, &path),
            path_text(&path)
        );
        warn(&w);
        warnings.push(w);
    }
    let mut path = Vec::new();
    let mut unset = Vec::new();
    interpolate_tree(&mut tree, env, &mut path, &mut unset).map_err(|(path, message)| {
        ComposeError::Interpolation {
            file: shown.clone(),
            line: line_of(&text, &path),
            key: path_text(&path),
            message,
        }
    })?;
    for v in unset {
        let w = format!("The \"{v}\" variable is not set. Defaulting to a blank string.");
        if !warnings.contains(&w) {
            warn(&w);
            warnings.push(w);
        }
    }
    let _: raw::File = typed(&tree, &shown, &text)?;
    Ok(Source { shown, text, tree })
}

/// Deserializes `tree` into `T`, an error naming the key's path and its line in `text`.
fn typed<T: serde::de::DeserializeOwned>(tree: &Value, file: &str, text: &str) -> Result<T> {
    serde_path_to_error::deserialize(tree.clone()).map_err(|e| {
        let key = e.path().to_string();
        let path = parse_path(&key);
        ComposeError::Value {
            file: file.to_string(),
            line: line_of(text, &path),
            key: path_text(&path),
            message: e.into_inner().to_string(),
        }
    })
}

/// Interpolates every string value (not keys) of the tree.
fn interpolate_tree(
    v: &mut Value,
    env: &Environment,
    path: &mut Vec<Step>,
    unset: &mut Vec<String>,
) -> std::result::Result<(), (Vec<Step>, String)> {
    match v {
        Value::String(s) => {
            let r = interpolate(s, env).map_err(|m| (path.clone(), m))?;
            unset.extend(r.unset);
            *s = r.text;
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(Step::Index(i));
                interpolate_tree(item, env, path, unset)?;
                path.pop();
            }
        }
        Value::Mapping(m) => {
            for (k, item) in m.iter_mut() {
                path.push(Step::Key(k.as_str().unwrap_or_default().to_string()));
                interpolate_tree(item, env, path, unset)?;
                path.pop();
            }
        }
        Value::Tagged(t) => interpolate_tree(&mut t.value, env, path, unset)?,
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod load_tests;
