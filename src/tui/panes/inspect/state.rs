//! The Inspect view's state: the document, which of its objects and arrays are unfolded,
//! the cursor, and the search. Rows are derived from the document on demand (documents
//! are a few hundred nodes), so the state holds no copy of them.

use serde_json::Value;
use std::collections::BTreeSet;

/// What a row shows after its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowValue {
    /// An object with this many keys.
    Object(usize),
    /// An array with this many items.
    Array(usize),
    /// A string, number, boolean or null, as JSON writes it (strings quoted).
    Scalar(String),
}

/// One line of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its JSON pointer (RFC 6901), e.g. `/Config/Env/0`.
    pub pointer: String,
    /// How deep it is (children of the document are 0).
    pub depth: usize,
    /// The key in its object, or `[i]` in its array.
    pub key: String,
    /// What it holds.
    pub value: RowValue,
    /// Whether it is an unfolded object or array.
    pub open: bool,
}

/// The open Inspect view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectView {
    /// `container`, `image`, `network` or `volume`.
    pub kind: String,
    /// The name it was opened for.
    pub name: String,
    /// The document.
    pub doc: Value,
    /// Pointers of the unfolded objects and arrays.
    pub open: BTreeSet<String>,
    /// Index of the selected row among the visible rows.
    pub cursor: usize,
    /// The search being typed, if any.
    pub typing: Option<String>,
    /// The last search.
    pub query: String,
}

/// RFC 6901 escaping of one key.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn row_value(v: &Value) -> RowValue {
    match v {
        Value::Object(m) => RowValue::Object(m.len()),
        Value::Array(a) => RowValue::Array(a.len()),
        other => RowValue::Scalar(other.to_string()),
    }
}

/// Whether `query` is in `text`: case-insensitive unless the query has a capital.
pub fn smart_match(text: &str, query: &str) -> bool {
    if query.chars().any(char::is_uppercase) {
        text.contains(query)
    } else {
        text.to_lowercase().contains(&query.to_lowercase())
    }
}

impl InspectView {
    /// A view of `doc` with its top level shown and everything below folded.
    pub fn new(kind: &str, name: &str, doc: Value) -> InspectView {
        InspectView {
            kind: kind.to_string(),
            name: name.to_string(),
            doc,
            open: BTreeSet::new(),
            cursor: 0,
            typing: None,
            query: String::new(),
        }
    }

    /// The rows shown: the document's children and every unfolded node's.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        walk(&self.doc, "", 0, &mut |r| {
            let open = self.open.contains(&r.pointer);
            rows.push(Row { open, ..r });
            open
        });
        rows
    }

    /// Every row, unfolded or not (what search looks through).
    fn all_rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        walk(&self.doc, "", 0, &mut |r| {
            rows.push(r);
            true
        });
        rows
    }

    /// The selected row.
    pub fn current(&self) -> Option<Row> {
        self.rows().into_iter().nth(self.cursor)
    }

    /// Moves the cursor by `delta` rows, within the list.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows().len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// Unfolds (`Some(true)`), folds (`Some(false)`) or toggles the selected row; folding
    /// a leaf or a folded row goes to its parent.
    pub fn fold(&mut self, open: Option<bool>) {
        let Some(row) = self.current() else { return };
        let foldable = matches!(row.value, RowValue::Object(n) | RowValue::Array(n) if n > 0);
        let want = open.unwrap_or(!row.open);
        if foldable && want != row.open {
            if want {
                self.open.insert(row.pointer);
            } else {
                self.open.remove(&row.pointer);
            }
        } else if !want {
            let parent = row.pointer[..row.pointer.rfind('/').unwrap_or(0)].to_string();
            if let Some(i) = self.rows().iter().position(|r| r.pointer == parent) {
                self.cursor = i;
            }
        }
    }

    /// Jumps to the next (or previous) row whose key or value matches the last search,
    /// unfolding what hides it; false when nothing matches.
    pub fn find(&mut self, forward: bool) -> bool {
        if self.query.is_empty() {
            return false;
        }
        let all = self.all_rows();
        let here = self.current().map(|r| r.pointer);
        let start = here
            .and_then(|p| all.iter().position(|r| r.pointer == p))
            .unwrap_or(0);
        let n = all.len();
        let hit = (1..=n)
            .map(|step| {
                if forward {
                    (start + step) % n
                } else {
                    (start + n - step % n) % n
                }
            })
            .find(|&i| {
                let r = &all[i];
                smart_match(&r.key, &self.query)
                    || matches!(&r.value, RowValue::Scalar(s) if smart_match(s, &self.query))
            });
        let Some(i) = hit else { return false };
        let pointer = all[i].pointer.clone();
        // Unfold every ancestor.
        let mut at = 0;
        while let Some(next) = pointer[at + 1..].find('/') {
            at += 1 + next;
            self.open.insert(pointer[..at].to_string());
        }
        if let Some(i) = self.rows().iter().position(|r| r.pointer == pointer) {
            self.cursor = i;
        }
        true
    }

    /// The selected value as text to copy: a string without quotes, anything else as
    /// JSON (objects and arrays pretty-printed); and its path.
    pub fn copy_text(&self) -> Option<(String, String)> {
        let row = self.current()?;
        let v = self.doc.pointer(&row.pointer)?;
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Object(_) | Value::Array(_) => serde_json::to_string_pretty(v).ok()?,
            other => other.to_string(),
        };
        Some((text, self.path_of(&row.pointer)))
    }

    /// A pointer as a dotted path, as `--format` templates name fields: `Config.Env[0]`.
    pub fn path_of(&self, pointer: &str) -> String {
        let mut path = String::new();
        let mut node = &self.doc;
        for part in pointer.split('/').skip(1) {
            let key = part.replace("~1", "/").replace("~0", "~");
            match node {
                Value::Array(a) => {
                    path.push_str(&format!("[{key}]"));
                    node = key
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| a.get(i))
                        .unwrap_or(&Value::Null);
                }
                _ => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&key);
                    node = node.get(&key).unwrap_or(&Value::Null);
                }
            }
        }
        path
    }
}

/// Visits the children of `v` in document order; `visit` says whether to go into a row's
/// children.
fn walk(v: &Value, pointer: &str, depth: usize, visit: &mut dyn FnMut(Row) -> bool) {
    let children: Vec<(String, String, &Value)> = match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, c)| (format!("{pointer}/{}", escape(k)), k.clone(), c))
            .collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("{pointer}/{i}"), format!("[{i}]"), c))
            .collect(),
        _ => return,
    };
    for (p, key, child) in children {
        let row = Row {
            pointer: p.clone(),
            depth,
            key,
            value: row_value(child),
            open: false,
        };
        if visit(row) {
            walk(child, &p, depth + 1, visit);
        }
    }
}
