//! The help popup, generated from the keymap table so it lists exactly the bindings in
//! effect (user remaps included).

use super::centered;
use crate::tui::app::App;
use crate::tui::keymap::{BINDINGS, Scope};
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

/// Draws the help popup centred over `area`.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let key_w = BINDINGS
        .iter()
        .map(|b| app.keymap.keys_text(b.action).chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    // The focused pane's own bindings first: on a short screen the list is cut at the bottom.
    let own = app.focus.scope();
    let mut order = vec![
        Scope::Main,
        Scope::Logs,
        Scope::Topology,
        Scope::Stats,
        Scope::Images,
        Scope::Networks,
        Scope::Volumes,
        Scope::Timeline,
    ];
    if let Some(first) = own {
        order.retain(|s| *s != first);
        order.insert(0, first);
    }
    order.extend([Scope::Popup, Scope::Shell]);
    let lines_at = |max_w: Option<usize>| {
        let mut lines = Vec::new();
        for &scope in &order {
            let heading = match scope {
                Scope::Main => "panes",
                Scope::Images => "images pane",
                Scope::Popup => "popups",
                Scope::Networks => "networks pane",
                Scope::Logs => "logs pane",
                Scope::Volumes => "volumes pane",
                Scope::Stats => "stats pane",
                Scope::Timeline => "timeline pane",
                Scope::Topology => "topology pane",
                Scope::Shell => "shell pane (other keys go to the shell)",
            };
            lines.push(Line::from(Span::styled(heading, theme.style(Role::Header))));
            for b in BINDINGS.iter().filter(|b| b.scope == scope) {
                let keys = app.keymap.keys_text(b.action);
                lines.extend(binding_lines(&keys, key_w, b.desc, b.name, max_w, theme));
            }
        }
        lines.push(Line::from(Span::styled(
            "tables",
            theme.style(Role::Header),
        )));
        // Wrapped at 60 columns of text, so the note never makes the help wider.
        let note_w = max_w.unwrap_or(usize::MAX).min(key_w + 4 + 60);
        lines.extend(binding_lines(
            "",
            key_w,
            HIDDEN_COLUMNS,
            "",
            Some(note_w),
            theme,
        ));
        lines
    };
    // Too many lines for the screen: columns side by side, each as tall as fits.
    // When they do not fit across either, one column cut at the bottom of the screen
    // (its descriptions wrapped under themselves when the screen is narrower than it).
    let rows_fit = usize::from(area.height.saturating_sub(2)).max(1);
    let fits =
        |lines: &[Line], n: usize| columns_of(lines, n).1.iter().sum::<u16>() + 2 <= area.width;
    let plain = lines_at(None);
    let wanted = plain.len().div_ceil(rows_fit).max(1);
    let lines = if fits(&plain, wanted) || fits(&plain, 1) {
        plain
    } else {
        lines_at(Some(usize::from(area.width.saturating_sub(4))))
    };
    let (mut columns, mut widths) = columns_of(&lines, wanted);
    let mut title = " Keys (remap under dashboard.keys) ".to_string();
    if widths.iter().sum::<u16>() + 2 > area.width {
        (columns, widths) = columns_of(&lines, 1);
        // One column taller than the screen: j/k and the page keys scroll it.
        if let Some(col) = columns.first_mut()
            && col.len() > rows_fit
        {
            let skip = app.help_scroll.min(col.len() - rows_fit);
            *col = &col[skip..];
            let shown_to = skip + rows_fit;
            let first = |a| {
                app.keymap
                    .keys(a)
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            };
            title = format!(
                " Keys{} · {}-{} of {}, {}/{} scroll ",
                if area.width >= 80 {
                    " (remap under dashboard.keys)"
                } else {
                    ""
                },
                skip + 1,
                shown_to,
                lines.len(),
                first(crate::tui::keymap::UserAction::MoveDown),
                first(crate::tui::keymap::UserAction::MoveUp),
            );
        }
    }
    let width = widths.iter().sum::<u16>() + 2;
    let height = columns.first().map_or(0, |c| c.len()).min(rows_fit) as u16 + 2;
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Line::from(title).style(theme.style(Role::TitleFocused)))
        .border_style(theme.style(Role::BorderFocused))
        .style(theme.style(Role::Dialog));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let mut x = inner.x + 1;
    for (column, w) in columns.into_iter().zip(widths) {
        let w = w.min((inner.x + inner.width).saturating_sub(x));
        let col = Rect::new(x, inner.y, w, inner.height);
        Paragraph::new(column.to_vec()).render(col, buf);
        x += w;
    }
}

/// `lines` in `n` columns of equal height, and each column's width.
fn columns_of<'b, 'a>(lines: &'b [Line<'a>], n: usize) -> (Vec<&'b [Line<'a>]>, Vec<u16>) {
    let per = lines.len().div_ceil(n.max(1)).max(1);
    let columns: Vec<&[Line]> = lines.chunks(per).collect();
    let widths = columns
        .iter()
        .map(|c| c.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 2)
        .collect();
    (columns, widths)
}

/// Where a table's columns go when the pane is too narrow for them all.
const HIDDEN_COLUMNS: &str = "a table too narrow for all its columns leaves out the least \
    important first and names them on its bottom border (+N cols: ...); z (zoom) or a wider \
    terminal brings them back";

/// A binding's line: its keys, what it does and its config name; with `max_w`, the
/// description wrapped at word boundaries under itself so no line is wider.
fn binding_lines<'a>(
    keys: &str,
    key_w: usize,
    desc: &'a str,
    name: &str,
    max_w: Option<usize>,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let key_span = Span::styled(format!("  {keys:<key_w$}  "), theme.style(Role::HelpKey));
    // A note (no config name) ends with its text.
    let name_text = if name.is_empty() {
        String::new()
    } else {
        format!("  ({name})")
    };
    let Some(max_w) = max_w else {
        return vec![Line::from(vec![
            key_span,
            Span::styled(desc, theme.style(Role::HelpText)),
            Span::styled(name_text, theme.style(Role::Dim)),
        ])];
    };
    let indent = key_w + 4;
    let room = max_w.saturating_sub(indent).max(8);
    // The description's words, then the config name (dimmed), filled into rows.
    let mut rows: Vec<Vec<Span<'a>>> = vec![vec![key_span]];
    let mut col = 0usize;
    let words = desc
        .split(' ')
        .map(|w| (w.to_string(), Role::HelpText))
        .chain((!name.is_empty()).then(|| (format!("({name})"), Role::Dim)));
    for (word, role) in words {
        let w = word.chars().count();
        if col > 0 && col + 1 + w > room {
            rows.push(vec![Span::raw(" ".repeat(indent))]);
            col = 0;
        }
        let row = rows.last_mut().expect("a row");
        if col > 0 {
            row.push(Span::styled(" ", theme.style(role)));
            col += 1;
        }
        row.push(Span::styled(word, theme.style(role)));
        col += w;
    }
    rows.into_iter().map(Line::from).collect()
}
