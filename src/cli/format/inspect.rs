//! Output of the `inspect` commands, as Docker prints it.

use super::render;
use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

/// Prints `values` as Docker does: a JSON array indented by four spaces.
pub fn print_json_array(values: &[Value]) -> Result<()> {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    values.serialize(&mut ser)?;
    println!("{}", String::from_utf8_lossy(&out));
    Ok(())
}

/// Looks up every name with `find` and prints the documents found: `template` applied to
/// each, or (no template, or `json`) one JSON array. A name not found gets one error line on
/// stderr and exit code 1, after the others are printed, as Docker does.
pub fn print_inspect<E: std::fmt::Display>(
    names: &[String],
    template: Option<&str>,
    mut find: impl FnMut(&str) -> std::result::Result<Value, E>,
) -> Result<i32> {
    let mut docs = Vec::new();
    let mut code = 0;
    for name in names {
        match find(name) {
            Ok(v) => docs.push(v),
            Err(e) => {
                eprintln!("berth: {}", crate::engine::printable(&e.to_string()));
                code = 1;
            }
        }
    }
    match template {
        Some(t) if t != "json" => {
            for d in &docs {
                println!("{}", render(t, d)?);
            }
        }
        _ => print_json_array(&docs)?,
    }
    Ok(code)
}
