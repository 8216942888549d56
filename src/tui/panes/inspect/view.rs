//! The Inspect view over the panes: the document as an indented tree (`▸` folded, `▾`
//! unfolded), the selected row highlighted, the search being typed or the key hints on
//! the last line.

use super::state::{InspectView, Row, RowValue, smart_match};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::hints::hint_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// Draws `view` over `area` (one cell of margin where there is room).
pub fn render(view: &InspectView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let rect = if area.width > 40 && area.height > 12 {
        Rect {
            x: area.x + 2,
            y: area.y + 1,
            width: area.width - 4,
            height: area.height - 2,
        }
    } else {
        area
    };
    Clear.render(rect, buf);
    let rows = view.rows();
    let title = format!(
        " Inspect {} '{}' ({}/{}) ",
        view.kind,
        crate::engine::printable(&view.name),
        (view.cursor + 1).min(rows.len()),
        rows.len()
    );
    let block = Block::bordered()
        .title(Line::from(title).style(theme.style(Role::TitleFocused)))
        .border_style(theme.style(Role::BorderFocused))
        .style(theme.style(Role::Dialog));
    let inner = block.inner(rect);
    block.render(rect, buf);
    if inner.height < 2 || inner.width < 8 {
        return;
    }
    let list_h = (inner.height - 1) as usize;
    let top = (view.cursor + 1).saturating_sub(list_h);
    for (i, row) in rows.iter().enumerate().skip(top).take(list_h) {
        let y = inner.y + (i - top) as u16;
        let mut line = row_line(row, &view.query, theme);
        if i == view.cursor {
            line = line.style(theme.style(Role::Selection));
        }
        buf.set_line(inner.x, y, &line, inner.width);
    }
    let foot = match &view.typing {
        Some(typed) => Line::from(vec![
            Span::styled("/", theme.style(Role::HelpKey)),
            Span::raw(format!("{typed}▏")),
        ]),
        None => hint_line(
            vec![
                ("enter".into(), "fold"),
                ("/".into(), "search"),
                ("n N".into(), "next"),
                ("y".into(), "copy"),
                ("esc".into(), "close"),
            ],
            theme,
        ),
    };
    buf.set_line(inner.x, inner.y + inner.height - 1, &foot, inner.width);
}

/// `  ▸ Config: {…} 23 keys`, the key in the key role (marked when it matches the search),
/// the value in the text role, summaries dim.
fn row_line<'a>(row: &'a Row, query: &str, theme: &Theme) -> Line<'a> {
    let marker = match row.value {
        RowValue::Object(n) | RowValue::Array(n) if n > 0 => {
            if row.open {
                "▾ "
            } else {
                "▸ "
            }
        }
        _ => "  ",
    };
    let hit = !query.is_empty() && smart_match(&row.key, query);
    let key_role = if hit { Role::Info } else { Role::HelpKey };
    let mut spans = vec![
        Span::raw(format!("{}{marker}", "  ".repeat(row.depth))),
        Span::styled(
            crate::engine::printable(&row.key).into_owned(),
            theme.style(key_role),
        ),
        Span::raw(": "),
    ];
    spans.push(match &row.value {
        RowValue::Object(0) => Span::styled("{}", theme.style(Role::Dim)),
        RowValue::Array(0) => Span::styled("[]", theme.style(Role::Dim)),
        RowValue::Object(n) if !row.open => Span::styled(
            format!("{{…}} {n} key{}", if *n == 1 { "" } else { "s" }),
            theme.style(Role::Dim),
        ),
        RowValue::Array(n) if !row.open => Span::styled(
            format!("[…] {n} item{}", if *n == 1 { "" } else { "s" }),
            theme.style(Role::Dim),
        ),
        RowValue::Object(_) | RowValue::Array(_) => Span::raw(""),
        RowValue::Scalar(s) => Span::styled(
            crate::engine::printable(s).into_owned(),
            theme.style(Role::Text),
        ),
    });
    Line::from(spans)
}
