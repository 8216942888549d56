//! Docker's template functions (`json`, `upper`, `split`, `truncate`, ...), Go's `%v`
//! printing, and conversions between `serde_json::Value` and gtmpl's value.

use gtmpl::{Func, FuncError, Value};
use gtmpl_value::Number;
use std::collections::HashMap;

/// The functions added to every template (gtmpl's builtins cover `println`, `index`, `printf`).
pub const FUNCS: &[(&str, Func)] = &[
    ("json", json as Func),
    ("upper", upper as Func),
    ("lower", lower as Func),
    ("title", title as Func),
    ("split", split as Func),
    ("join", join as Func),
    ("truncate", truncate as Func),
    ("pad", pad as Func),
    ("len", len as Func),
    ("index", index as Func),
    ("keys", keys as Func),
    ("values", values as Func),
    ("__print", go_print as Func),
];

/// Converts JSON into a template value: objects become gtmpl objects (fields by name),
/// integers stay integers.
pub fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::Number(Number::from(u))
            } else if let Some(i) = n.as_i64() {
                Value::Number(Number::from(i))
            } else {
                Value::Number(Number::from(n.as_f64().unwrap_or_default()))
            }
        }
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

/// Converts a template value back to JSON (for `json`). Keys come out sorted.
pub fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::NoValue | Value::Nil | Value::Function(_) => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into()
            } else if let Some(i) = n.as_i64() {
                i.into()
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(serde_json::Value::Number)
                    .unwrap_or(serde_json::Value::Null)
            }
        }
        Value::Array(a) => serde_json::Value::Array(a.iter().map(to_json).collect()),
        Value::Object(o) | Value::Map(o) => {
            // Template values are hash maps: sort so the output is stable.
            let mut entries: Vec<_> = o.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), to_json(v)))
                    .collect(),
            )
        }
    }
}

/// Go's `fmt.Sprint("%v")` of a value: `[a b]` for lists, `map[k:v]` (sorted) for objects.
pub fn go_format(v: &Value) -> String {
    match v {
        Value::NoValue => "<no value>".into(),
        Value::Nil => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Function(_) => "<func>".into(),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(go_format).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Object(o) | Value::Map(o) => {
            let parts: Vec<String> = sorted(o)
                .into_iter()
                .map(|(k, v)| format!("{k}:{}", go_format(v)))
                .collect();
            format!("map[{}]", parts.join(" "))
        }
    }
}

fn sorted(o: &HashMap<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = o.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

fn arg<'a>(name: &str, args: &'a [Value], n: usize) -> Result<&'a [Value], FuncError> {
    if args.len() != n {
        return Err(FuncError::ExactlyXArgs(name.into(), n));
    }
    Ok(args)
}

fn string_arg(name: &str, v: &Value) -> Result<String, FuncError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(_) | Value::Bool(_) => Ok(v.to_string()),
        other => Err(FuncError::Generic(format!(
            "{name}: expected a string, got {}",
            go_format(other)
        ))),
    }
}

fn int_arg(name: &str, v: &Value) -> Result<i64, FuncError> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| FuncError::Generic(format!("{name}: expected an integer, got {n}"))),
        other => Err(FuncError::Generic(format!(
            "{name}: expected an integer, got {}",
            go_format(other)
        ))),
    }
}

/// Prints what the rewrite routes through it, the way Go prints values.
fn go_print(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("__print", args, 1)?;
    Ok(Value::String(go_format(&a[0])))
}

/// `{{json .Config}}`: compact JSON, no trailing newline.
fn json(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("json", args, 1)?;
    serde_json::to_string(&to_json(&a[0]))
        .map(Value::String)
        .map_err(|e| FuncError::Generic(format!("json: {e}")))
}

fn upper(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("upper", args, 1)?;
    Ok(Value::String(string_arg("upper", &a[0])?.to_uppercase()))
}

fn lower(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("lower", args, 1)?;
    Ok(Value::String(string_arg("lower", &a[0])?.to_lowercase()))
}

/// Go's `strings.Title`: the first letter of each word in upper case.
fn title(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("title", args, 1)?;
    let s = string_arg("title", &a[0])?;
    let mut out = String::with_capacity(s.len());
    let mut prev_letter = false;
    for c in s.chars() {
        if !prev_letter {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    Ok(Value::String(out))
}

/// `{{split "a,b" ","}}`.
fn split(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("split", args, 2)?;
    let s = string_arg("split", &a[0])?;
    let sep = string_arg("split", &a[1])?;
    let parts: Vec<Value> = if sep.is_empty() {
        s.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        s.split(sep.as_str())
            .map(|p| Value::String(p.to_string()))
            .collect()
    };
    Ok(Value::Array(parts))
}

/// `{{join .Args " "}}`.
fn join(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("join", args, 2)?;
    let sep = string_arg("join", &a[1])?;
    match &a[0] {
        Value::Array(items) => Ok(Value::String(
            items.iter().map(go_format).collect::<Vec<_>>().join(&sep),
        )),
        Value::Nil | Value::NoValue => Ok(Value::String(String::new())),
        other => Err(FuncError::Generic(format!(
            "join: expected a list, got {}",
            go_format(other)
        ))),
    }
}

/// `{{truncate .ID 12}}`: the first N bytes (characters here, never splitting one).
fn truncate(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("truncate", args, 2)?;
    let s = string_arg("truncate", &a[0])?;
    let n = usize::try_from(int_arg("truncate", &a[1])?).unwrap_or(0);
    Ok(Value::String(s.chars().take(n).collect()))
}

/// `{{pad .Name 2 3}}`: spaces before and after, nothing for an empty string.
fn pad(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("pad", args, 3)?;
    let s = string_arg("pad", &a[0])?;
    if s.is_empty() {
        return Ok(Value::String(s));
    }
    let before = usize::try_from(int_arg("pad", &a[1])?).unwrap_or(0);
    let after = usize::try_from(int_arg("pad", &a[2])?).unwrap_or(0);
    Ok(Value::String(format!(
        "{}{s}{}",
        " ".repeat(before),
        " ".repeat(after)
    )))
}

/// `len` of strings, lists and objects (nil counts 0).
fn len(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("len", args, 1)?;
    let n = match &a[0] {
        Value::String(s) => s.len(),
        Value::Array(v) => v.len(),
        Value::Object(o) | Value::Map(o) => o.len(),
        Value::Nil | Value::NoValue => 0,
        other => {
            return Err(FuncError::Generic(format!(
                "len of {} is not defined",
                go_format(other)
            )));
        }
    };
    Ok(Value::from(n as u64))
}

/// `{{index .Config.Labels "k"}}`, `{{index .Args 0}}`; a missing key gives `<no value>`.
fn index(args: &[Value]) -> Result<Value, FuncError> {
    if args.len() < 2 {
        return Err(FuncError::AtLeastXArgs("index".into(), 2));
    }
    let mut cur = args[0].clone();
    for key in &args[1..] {
        cur = match (&cur, key) {
            (Value::Array(a), Value::Number(n)) => {
                let i = n.as_u64().and_then(|i| usize::try_from(i).ok());
                match i.and_then(|i| a.get(i)) {
                    Some(v) => v.clone(),
                    None => {
                        return Err(FuncError::Generic(format!("index out of range: {n}")));
                    }
                }
            }
            (Value::Object(o) | Value::Map(o), k) => o
                .get(&string_arg("index", k)?)
                .cloned()
                .unwrap_or(Value::NoValue),
            (Value::Nil | Value::NoValue, _) => Value::NoValue,
            (c, k) => {
                return Err(FuncError::Generic(format!(
                    "cannot index {} with {}",
                    go_format(c),
                    go_format(k)
                )));
            }
        };
    }
    Ok(cur)
}

/// The keys `range` binds, in Go's order (sorted for objects, positions for lists).
fn keys(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("keys", args, 1)?;
    Ok(match &a[0] {
        Value::Object(o) | Value::Map(o) => Value::Array(
            sorted(o)
                .into_iter()
                .map(|(k, _)| Value::String(k.clone()))
                .collect(),
        ),
        Value::Array(v) => Value::Array((0..v.len() as u64).map(Value::from).collect()),
        _ => Value::Array(Vec::new()),
    })
}

/// The values `range` visits, in Go's order; nothing for nil.
fn values(args: &[Value]) -> Result<Value, FuncError> {
    let a = arg("range", args, 1)?;
    match &a[0] {
        Value::Object(o) | Value::Map(o) => Ok(Value::Array(
            sorted(o).into_iter().map(|(_, v)| v.clone()).collect(),
        )),
        Value::Array(v) => Ok(Value::Array(v.clone())),
        Value::Nil | Value::NoValue => Ok(Value::Array(Vec::new())),
        other => Err(FuncError::Generic(format!(
            "range can't iterate over {}",
            go_format(other)
        ))),
    }
}
