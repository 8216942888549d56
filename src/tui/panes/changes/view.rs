//! The Changes pane: what the selected container changed in its image's files (`berth
//! diff`, read every second): `A` added, `C` changed, `D` deleted in their colours, the
//! size of a file's new content, and `new` beside what appeared since the pane opened.

use crate::engine::{FileChangeKind, human};
use crate::tui::app::{App, Pane};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::columns;
use crate::tui::ui::{is_focused, pane_block};
use unicode_width::UnicodeWidthStr;

/// Below this many cells for the path, the size goes off the line instead.
const MIN_PATH: usize = 12;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// Draws the list of changes.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let v = &app.changes;
    let count = |k: FileChangeKind| v.list.iter().filter(|c| c.kind == k).count();
    let title = match app.selected_container() {
        Some(c) if v.loaded => format!(
            " Changes: {} ({} added, {} changed, {} deleted) ",
            c.name(),
            count(FileChangeKind::Added),
            count(FileChangeKind::Modified),
            count(FileChangeKind::Deleted)
        ),
        Some(c) => format!(" Changes: {} ", c.name()),
        None => " Changes ".to_string(),
    };
    let block = pane_block(Line::from(title), is_focused(app, Pane::Changes), theme);
    let message = match (app.selected_container(), &v.error) {
        (None, _) => Some(("no container selected".to_string(), Role::Dim)),
        (_, Some(e)) if v.list.is_empty() => {
            Some((format!("cannot read the changes: {e}"), Role::Error))
        }
        _ if !v.loaded => Some(("reading the container's layer…".to_string(), Role::Dim)),
        _ if v.list.is_empty() => Some((
            "no changes yet: files the container writes, changes or deletes show here".to_string(),
            Role::Dim,
        )),
        _ => None,
    };
    let inner = block.inner(area);
    block.render(area, buf);
    if let Some((text, role)) = message {
        Paragraph::new(Line::from(text).style(theme.style(role))).render(inner, buf);
        return;
    }
    let size_w = 9usize;
    for (y, c) in (inner.y..inner.y + inner.height).zip(v.list.iter().skip(v.scroll)) {
        let (letter, role) = match c.kind {
            FileChangeKind::Added => ("A", Role::FileAdded),
            FileChangeKind::Modified => ("C", Role::FileChanged),
            FileChangeKind::Deleted => ("D", Role::FileRemoved),
        };
        let size = match c.kind {
            FileChangeKind::Deleted => String::new(),
            _ if c.size == 0 => String::new(),
            _ => human::size(c.size),
        };
        let new = if v.is_new(c) { " new" } else { "" };
        let path = crate::engine::printable(&c.path.to_string_lossy()).into_owned();
        // A long path is cut (with an ellipsis) before the size is pushed off the line.
        let room = usize::from(inner.width).saturating_sub(2 + new.len() + size_w);
        let path = columns::cut(&path, room.max(MIN_PATH) as u16);
        let used = 2 + path.width() + new.len();
        let pad = usize::from(inner.width).saturating_sub(used + size_w);
        let line = Line::from(vec![
            Span::styled(format!("{letter} "), theme.style(role)),
            Span::styled(path, theme.style(role)),
            Span::styled(new, theme.style(Role::Info)),
            Span::raw(" ".repeat(pad)),
            Span::styled(format!("{size:>size_w$}"), theme.style(Role::Dim)),
        ]);
        buf.set_line(inner.x, y, &line, inner.width);
    }
}
