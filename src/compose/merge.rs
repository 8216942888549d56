//! Merging compose files given with several `-f`, as the Compose Specification says:
//! mappings merge key by key, later files winning; `command`, `entrypoint` and
//! `healthcheck.test` are replaced; other lists (ports, volumes, expose, ...) are
//! appended without repeats; `environment`, `labels` and `build.args` merge by variable
//! whichever form (list or map) each file uses.

use serde_yaml_ng::{Mapping, Value};

const REPLACED: &[&str] = &["command", "entrypoint", "test", "aliases"];
const KEYED: &[&str] = &["environment", "labels", "args"];

/// `over` merged onto `base`.
pub fn merge(base: Value, over: Value) -> Value {
    merge_at(base, over, "")
}

fn merge_at(base: Value, over: Value, key: &str) -> Value {
    if KEYED.contains(&key) {
        return Value::Mapping(merge_maps(as_map(base), as_map(over)));
    }
    match (base, over) {
        (Value::Mapping(b), Value::Mapping(o)) => Value::Mapping(merge_maps(b, o)),
        (Value::Sequence(mut b), Value::Sequence(o)) if !REPLACED.contains(&key) => {
            for item in o {
                if !b.contains(&item) {
                    b.push(item);
                }
            }
            Value::Sequence(b)
        }
        (_, o) => o,
    }
}

fn merge_maps(mut b: Mapping, o: Mapping) -> Mapping {
    for (k, v) in o {
        let key = k.as_str().unwrap_or_default().to_string();
        let merged = match b.remove(&k) {
            Some(old) => merge_at(old, v, &key),
            None => v,
        };
        b.insert(k, merged);
    }
    b
}

/// A `KEY=VALUE` list as a mapping (a mapping as is).
fn as_map(v: Value) -> Mapping {
    match v {
        Value::Mapping(m) => m,
        Value::Sequence(items) => items
            .into_iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .map(|s| match s.split_once('=') {
                Some((k, v)) => (Value::String(k.into()), Value::String(v.into())),
                None => (Value::String(s), Value::Null),
            })
            .collect(),
        _ => Mapping::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(s: &str) -> Value {
        serde_yaml_ng::from_str(s).expect("yaml")
    }

    #[test]
    fn later_files_override_and_extend() {
        let base = y(
            "services:\n  web:\n    image: a\n    command: [x, y]\n    ports: ['80']\n    environment: [A=1, B=2]\n",
        );
        let over = y(
            "services:\n  web:\n    image: b\n    command: [z]\n    ports: ['81']\n    environment: {B: 3}\n",
        );
        let want = y(
            "services:\n  web:\n    image: b\n    command: [z]\n    ports: ['80', '81']\n    environment: {A: '1', B: 3}\n",
        );
        assert_eq!(merge(base, over), want);
    }
}
