//! Docker-style tables and `--format` for list commands.

use super::tabwriter;
use super::template::Template;
use anyhow::Result;
use serde_json::Value;
use std::io::Write;

/// One default column: its header and the template field it shows (`.ID`).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Header text, e.g. `CONTAINER ID`.
    pub header: &'static str,
    /// Field name in the item, e.g. `ID`.
    pub field: &'static str,
}

impl Column {
    /// The column headed `header` showing the template field `field`.
    pub const fn new(header: &'static str, field: &'static str) -> Column {
        Column { header, field }
    }
}

/// Prints `items` as Docker would: `None` = the default table of `columns`; `table TEMPLATE` =
/// a table with headers named after the fields; `json` = one JSON object per line; any other
/// string = the template once per item. `columns` also maps field names to headers.
pub fn print_list(format: Option<&str>, columns: &[Column], items: &[Value]) -> Result<()> {
    let out = format_list(format, columns, items)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// `print_list` into any writer.
pub fn write_list(
    w: &mut dyn Write,
    format: Option<&str>,
    columns: &[Column],
    items: &[Value],
) -> Result<()> {
    w.write_all(format_list(format, columns, items)?.as_bytes())?;
    Ok(())
}

/// `print_list` into a string (nothing is returned half-made: a template error fails it all).
pub fn format_list(format: Option<&str>, columns: &[Column], items: &[Value]) -> Result<String> {
    let format = format.map(str::trim).unwrap_or("");
    if format.is_empty() || format == "table" {
        if let Some(text) = plain_table(columns, items) {
            return Ok(text);
        }
        let source: Vec<String> = columns
            .iter()
            .map(|c| format!("{{{{.{}}}}}", c.field))
            .collect();
        return table(&source.join("\t"), columns, items);
    }
    if format == "json" {
        let mut out = String::new();
        for item in items {
            out.push_str(&serde_json::to_string(item)?);
            out.push('\n');
        }
        return Ok(out);
    }
    let source = expand_escapes(format);
    if let Some(rest) = source.strip_prefix("table") {
        return table(rest.trim_matches(' '), columns, items);
    }
    let tmpl = Template::parse(&source)?;
    let mut out = String::new();
    for item in items {
        out.push_str(&tmpl.render(item)?);
        out.push('\n');
    }
    Ok(out)
}

/// Docker replaces the two-character `\t` and `\n` with a tab and a newline.
fn expand_escapes(format: &str) -> String {
    format.replace("\\t", "\t").replace("\\n", "\n")
}

/// The default table when every cell is a string: what the `{{.Field}}\t...` template
/// renders, without parsing and running a template (`ps` with many rows stays fast).
fn plain_table(columns: &[Column], items: &[Value]) -> Option<String> {
    let mut text = String::with_capacity(128 * (items.len() + 1));
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            text.push('\t');
        }
        text.push_str(c.header);
    }
    text.push('\n');
    for item in items {
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                text.push('\t');
            }
            text.push_str(item.get(c.field)?.as_str()?);
        }
        text.push('\n');
    }
    Some(tabwriter::align(&text, tabwriter::DOCKER))
}

/// A header line rendered from the same template, then one line per item, aligned.
fn table(source: &str, columns: &[Column], items: &[Value]) -> Result<String> {
    let tmpl = Template::parse(source)?;
    // A header the template cannot render (`{{.State.Pid}}` on a text header) is left blank
    // rather than failing a listing whose rows render.
    let mut text = tmpl.render(&headers(source, columns)).unwrap_or_default();
    text.push('\n');
    for item in items {
        text.push_str(&tmpl.render(item)?);
        text.push('\n');
    }
    Ok(tabwriter::align(&text, tabwriter::DOCKER))
}

/// The header "item": every field the template names maps to its header text.
fn headers(source: &str, columns: &[Column]) -> Value {
    let mut map = serde_json::Map::new();
    for field in referenced_fields(source) {
        let header = columns
            .iter()
            .find(|c| c.field == field)
            .map(|c| c.header.to_string())
            .unwrap_or_else(|| header_of(&field));
        map.insert(field, Value::String(header));
    }
    Value::Object(map)
}

/// `.CreatedAt` -> `CREATED AT`: CamelCase words, upper-cased.
pub fn header_of(field: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = field.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = i > 0
            && c.is_uppercase()
            && (chars[i - 1].is_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase())
                    && chars[i - 1].is_uppercase());
        if boundary {
            out.push(' ');
        }
        out.extend(c.to_uppercase());
    }
    out
}

/// The names after a `.` that starts a field chain (`{{.ID}}`, `{{json .Labels}}`).
fn referenced_fields(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut fields = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let starts_chain = c == '.'
            && (i == 0
                || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ')'));
        if !starts_chain {
            continue;
        }
        let name: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_alphanumeric() || **c == '_')
            .collect();
        if !name.is_empty() && !fields.contains(&name) {
            fields.push(name);
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_from_field_names() {
        assert_eq!(header_of("CreatedAt"), "CREATED AT");
        assert_eq!(header_of("ID"), "ID");
        assert_eq!(header_of("LocalVolumes"), "LOCAL VOLUMES");
        assert_eq!(
            referenced_fields("{{.ID}}\t{{json .Labels}} {{.State.Pid}}"),
            vec!["ID", "Labels", "State"]
        );
    }

    #[test]
    fn plain_table_renders_as_the_template_does() {
        let columns = [
            Column::new("CONTAINER ID", "ID"),
            Column::new("NAMES", "Names"),
        ];
        let items = vec![
            serde_json::json!({"ID": "abc", "Names": "web", "Other": 1}),
            serde_json::json!({"ID": "defghijklmnop", "Names": ""}),
        ];
        let fast = format_list(None, &columns, &items).expect("fast");
        let templated = table("{{.ID}}\t{{.Names}}", &columns, &items).expect("template");
        assert_eq!(fast, templated);
        // A cell that is not a string takes the template path.
        let numbers = vec![serde_json::json!({"ID": 7, "Names": "x"})];
        assert!(plain_table(&columns, &numbers).is_none());
        assert!(
            format_list(None, &columns, &numbers)
                .expect("template")
                .contains('7')
        );
    }
}
