//! One log entry as the Logs pane draws it: the merged view's container name, the time,
//! the text with search matches highlighted, cut or wrapped to the pane's width.

use crate::tui::panes::logs::search::Pattern;
use crate::tui::panes::logs::state::LogEntry;
use crate::tui::theme::{Role, Theme};
use ratatui::style::Style;
use ratatui::text::Span;
use unicode_width::UnicodeWidthChar;

/// The role of merged source `source`'s name (the palette repeats after six).
pub fn source_role(source: usize) -> Role {
    [
        Role::LogSource1,
        Role::LogSource2,
        Role::LogSource3,
        Role::LogSource4,
        Role::LogSource5,
        Role::LogSource6,
    ][source % 6]
}

/// What the pane shows around the text.
pub struct Decor<'a> {
    /// Merged view: the containers' names and the width to pad them to.
    pub names: Option<(&'a [String], usize)>,
    /// Show the time.
    pub timestamps: bool,
    /// The search, and whether this entry holds the current match.
    pub search: Option<(&'a Pattern, bool)>,
    /// The text's base style (stdout or stderr).
    pub base: Style,
}

/// The spans of `e`: prefix, then the text with its own colours over `base` and the
/// matches in the search roles.
pub fn spans<'a>(e: &'a LogEntry, d: &Decor, theme: &Theme) -> Vec<Span<'a>> {
    let mut out = Vec::new();
    if let Some((names, width)) = d.names {
        let name = names.get(e.source).map(String::as_str).unwrap_or("?");
        out.push(Span::styled(
            format!("{name:<width$}"),
            theme.style(source_role(e.source)),
        ));
        out.push(Span::styled(" │ ", theme.style(Role::Dim)));
    }
    if d.timestamps {
        // Compact in the pane (UTC, to the millisecond); a saved log has the full time.
        let t = chrono::DateTime::parse_from_rfc3339(&e.time)
            .map(|t| t.to_utc().format("%m-%d %H:%M:%S%.3f").to_string())
            .unwrap_or_else(|_| e.time.clone());
        out.push(Span::styled(format!("{t} "), theme.style(Role::Dim)));
    }
    let ranges = d.search.map(|(p, _)| p.find(e)).unwrap_or_default();
    let hit = match d.search {
        Some((_, true)) => theme.style(Role::SearchCurrent),
        _ => theme.style(Role::SearchMatch),
    };
    let mut pos = 0;
    for span in &e.line.spans {
        let style = d.base.patch(span.style);
        let text = span.content.as_ref();
        let end = pos + text.len();
        let mut at = 0;
        for &(s, f) in ranges.iter().filter(|(s, f)| *f > pos && *s < end) {
            let (s, f) = (s.max(pos) - pos, f.min(end) - pos);
            if s > at {
                out.push(Span::styled(&text[at..s], style));
            }
            out.push(Span::styled(&text[s..f], style.patch(hit)));
            at = f;
        }
        if at < text.len() {
            out.push(Span::styled(&text[at..], style));
        }
        pos = end;
    }
    out
}

/// `spans` cut into rows of at most `width` columns.
pub fn wrap<'a>(spans: Vec<Span<'a>>, width: usize) -> Vec<Vec<Span<'a>>> {
    let width = width.max(1);
    let mut rows = vec![Vec::new()];
    let mut used = 0;
    for span in spans {
        let mut start = 0;
        let text: &str = match &span.content {
            std::borrow::Cow::Borrowed(s) => s,
            std::borrow::Cow::Owned(s) => s.as_str(),
        };
        for (i, c) in text.char_indices() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                if i > start {
                    let piece = text[start..i].to_string();
                    if let Some(row) = rows.last_mut() {
                        row.push(Span::styled(piece, span.style));
                    }
                }
                rows.push(Vec::new());
                used = 0;
                start = i;
            }
            used += w;
        }
        if start < text.len() {
            let piece = text[start..].to_string();
            if let Some(row) = rows.last_mut() {
                row.push(Span::styled(piece, span.style));
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_cuts_at_the_width_across_spans() {
        let rows = wrap(vec![Span::raw("abcd"), Span::raw("efg")], 3);
        let text: Vec<String> = rows
            .iter()
            .map(|r| r.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(text, ["abc", "def", "g"]);
    }
}
