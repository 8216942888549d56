//! `berth history`: the layers and steps of an image, newest first.

use super::HistoryArgs;
use crate::cli::Ctx;
use crate::cli::format::{Column, human, print_list};
use crate::engine::short_id;
use serde_json::json;

const COLUMNS: &[Column] = &[
    Column::new("IMAGE", "ID"),
    Column::new("CREATED", "CreatedSince"),
    Column::new("CREATED BY", "CreatedBy"),
    Column::new("SIZE", "Size"),
    Column::new("COMMENT", "Comment"),
];

/// Docker truncates CREATED BY to 45 characters, ending in `…`.
fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// `berth history`
pub fn history(ctx: &Ctx, a: HistoryArgs) -> anyhow::Result<i32> {
    let rows = ctx.engine.image_history(&a.image)?;
    let mut items = Vec::new();
    for r in rows {
        let id = match &r.id {
            Some(id) if a.no_trunc => id.clone(),
            Some(id) => short_id(id.trim_start_matches("sha256:")).to_string(),
            None => "<missing>".to_string(),
        };
        if a.quiet {
            println!("{id}");
            continue;
        }
        let created_since = match r.created {
            Some(t) if a.human => human::ago(t),
            Some(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            None => "N/A".into(),
        };
        let created_by = crate::engine::printable(&r.created_by).replace(['\n', '\t'], " ");
        let created_by = if a.no_trunc {
            created_by
        } else {
            ellipsis(&created_by, 45)
        };
        let size = if a.human {
            human::size(r.size)
        } else {
            r.size.to_string()
        };
        items.push(json!({
            "ID": id,
            "CreatedSince": created_since,
            "CreatedAt": r.created.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default(),
            "CreatedBy": created_by,
            "Size": size,
            "Comment": crate::engine::printable(&r.comment),
        }));
    }
    if !a.quiet {
        print_list(a.format.as_deref(), COLUMNS, &items)?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn created_by_is_cut_at_45_characters() {
        let long = "x".repeat(60);
        let cut = super::ellipsis(&long, 45);
        assert_eq!(cut.chars().count(), 45);
        assert!(cut.ends_with('…'));
        assert_eq!(super::ellipsis("short", 45), "short");
    }
}
