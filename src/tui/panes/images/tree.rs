//! The layer file tree of the Images pane (as dive shows it): the selected layer's added,
//! changed and removed files, or the merged tree up to it; the selected file's layer and
//! instruction; the space wasted by file versions later layers overwrite or remove.

use crate::engine::LayerChangeKind as ChangeKind;
use crate::engine::human;
use crate::tui::app::App;
use crate::tui::keymap::UserAction;
use crate::tui::panes::images::state::{FileRow, ImagesFocus, TreeSlot, TreeView};
use crate::tui::panes::images::view::sub_focused;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::pane_block;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Draws the file panel.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let im = &app.images;
    let layer = im.selected_layer();
    let total = im.current().map_or(0, |r| r.image.layers.len());
    let view = match im.view {
        TreeView::Layer => "changes",
        TreeView::Aggregated => "merged",
    };
    let keys = app.keymap.keys_text(UserAction::ToggleTreeView);
    let title = match layer {
        Some(l) => format!(
            " Files: layer {} of {total}, {view} ({keys}: switch) ",
            l + 1
        ),
        None => format!(" Files ({view}) "),
    };
    let block = pane_block(
        Line::from(title),
        sub_focused(app, ImagesFocus::Files),
        theme,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 3 || inner.width < 10 {
        return;
    }
    let dim = theme.style(Role::Dim);
    let say = |buf: &mut Buffer, text: &str, role: Role| {
        buf.set_line(
            inner.x,
            inner.y,
            &Line::from(text.to_string()).style(theme.style(role)),
            inner.width,
        );
    };
    let tree = match im.tree() {
        None if im.current().is_none() => return say(buf, "no image selected", Role::Dim),
        None | Some(TreeSlot::Computing) => return say(buf, "reading the layers…", Role::Dim),
        Some(TreeSlot::Failed(e)) => {
            return say(buf, &format!("cannot read the layers: {e}"), Role::Error);
        }
        Some(TreeSlot::Ready(t)) => t,
    };
    let Some(layer) = layer else {
        return say(
            buf,
            "this step made no layer (it changed only the image's settings)",
            Role::Dim,
        );
    };
    let [list, info, wasted] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    if im.files.is_empty() {
        say(buf, "no files", Role::Dim);
    }
    // Scroll so the selected row shows.
    let h = usize::from(list.height);
    let first = im.file_selected.saturating_sub(h.saturating_sub(1));
    for (i, (y, f)) in (list.y..list.y + list.height)
        .zip(im.files.iter().skip(first))
        .enumerate()
    {
        let selected = first + i == im.file_selected;
        let line = file_line(f, list.width, theme);
        let line = if selected && sub_focused(app, ImagesFocus::Files) {
            line.style(theme.style(Role::Selection))
        } else {
            line
        };
        buf.set_line(list.x, y, &line, list.width);
    }
    if let Some(f) = im
        .selected_file()
        .filter(|f| f.kind.is_none() && im.view == TreeView::Layer)
    {
        let line = Line::from(vec![
            Span::styled(format!("/{}", f.path.display()), theme.style(Role::Text)),
            Span::styled(": unchanged in this layer", dim),
        ]);
        buf.set_line(info.x, info.y, &line, info.width);
    } else if let Some(f) = im.selected_file() {
        let how = match f.kind {
            Some(ChangeKind::Removed) => "removed by",
            _ => "from",
        };
        let step = im.current().and_then(|r| r.instruction(f.layer));
        let by = step
            .map(|h| crate::engine::printable(&h.created_by).into_owned())
            .unwrap_or_else(|| "(no history)".into());
        // Images berth built name the Dockerfile line of each step.
        let source = step
            .and_then(|h| h.source())
            .map(|s| format!(" ({})", crate::engine::printable(s)))
            .unwrap_or_default();
        let line = Line::from(vec![
            Span::styled(format!("/{}", f.path.display()), theme.style(Role::Text)),
            Span::styled(format!(" {how} layer {}{source}: ", f.layer + 1), dim),
            Span::styled(by, theme.style(Role::Text)),
        ]);
        buf.set_line(info.x, info.y, &line, info.width);
    }
    let this = tree.layer_wasted.get(layer).copied().unwrap_or(0);
    let line = Line::from(format!(
        "wasted: {} in {} files overwritten or removed later (layer {}: {})",
        human::size(tree.wasted),
        tree.wasted_files,
        layer + 1,
        human::size(this)
    ))
    .style(theme.style(Role::Wasted));
    buf.set_line(wasted.x, wasted.y, &line, wasted.width);
}

/// `+ ├ name   1.2kB`, indented by depth, coloured by what the layer did.
fn file_line<'a>(f: &FileRow, width: u16, theme: &Theme) -> Line<'a> {
    let (mark, role) = match f.kind {
        Some(ChangeKind::Added) => ("+", Role::FileAdded),
        Some(ChangeKind::Changed) => ("~", Role::FileChanged),
        Some(ChangeKind::Removed) => ("-", Role::FileRemoved),
        None => (" ", Role::Text),
    };
    let name = f
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = if f.dir { format!("{name}/") } else { name };
    let size = if f.dir && f.kind != Some(ChangeKind::Removed) {
        String::new()
    } else {
        human::size(f.size)
    };
    let left = format!("{mark} {}{name}", "  ".repeat(f.depth));
    let pad = usize::from(width).saturating_sub(left.chars().count() + size.chars().count());
    Line::from(vec![
        Span::styled(left, theme.style(role)),
        Span::raw(" ".repeat(pad)),
        Span::styled(size, theme.style(Role::Dim)),
    ])
}
