//! What the confirmation popups share: the bordered dialog, the row of choices, and the
//! yes/no key line. Each pane draws its own question with them (`popups.rs` in its
//! folder).

use super::centered;
use super::hints::hint_line;
use crate::tui::app::App;
use crate::tui::keymap::UserAction;
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

/// The last line: the yes keys, what yes does, the no keys.
pub(crate) fn answer_line<'a>(app: &App, yes_does: &'a str, theme: &Theme) -> Line<'a> {
    let yes = app.keymap.keys_text(UserAction::Confirm);
    let no = format!(
        "{}, {}",
        app.keymap.keys_text(UserAction::Cancel),
        app.keymap.keys_text(UserAction::ClosePopup)
    );
    hint_line(vec![(yes, yes_does), (no, "keep")], theme)
}

/// A bordered dialog sized to `lines`, centred in `area`; on a screen narrower than the
/// longest line, lines wrap at word boundaries and the dialog grows down.
pub(crate) fn dialog(lines: Vec<Line>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let widest = lines.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 4;
    let width = widest.min(area.width);
    let inner_w = width.saturating_sub(2);
    let height = lines.iter().map(|l| wrapped_rows(l, inner_w)).sum::<u16>() + 2;
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Line::from(" Confirm ").style(theme.style(Role::TitleFocused)))
        .border_style(theme.style(Role::Error))
        .style(theme.style(Role::Dialog));
    wrapped(lines, inner_w).block(block).render(rect, buf);
}

/// `lines` as a paragraph, wrapped at word boundaries only when one is wider than
/// `width` (lines that fit keep their leading blanks).
pub(crate) fn wrapped(lines: Vec<Line>, width: u16) -> Paragraph {
    let wide = lines.iter().any(|l| l.width() > usize::from(width));
    let p = Paragraph::new(lines);
    if wide { p.wrap(Wrap { trim: true }) } else { p }
}

/// Rows `line` takes word-wrapped at `width` columns (a word longer than the width is
/// broken, as ratatui's `Wrap` breaks it).
pub(crate) fn wrapped_rows(line: &Line, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let (mut rows, mut col) = (1usize, 0usize);
    for word in text.split(' ') {
        let w = unicode_width::UnicodeWidthStr::width(word);
        if col > 0 && col + 1 + w > width {
            rows += 1;
            col = 0;
        }
        col += if col > 0 { 1 + w } else { w };
        while col > width {
            rows += 1;
            col -= width;
        }
    }
    rows.min(usize::from(u16::MAX)) as u16
}

/// The choices of a popup as `[ A ]  B  C`, the chosen one in the selection role.
pub(crate) fn choices<'a>(items: &[&'a str], chosen: usize, app: &App, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let (text, role) = if i == chosen {
            (format!("[ {item} ]"), Role::Selection)
        } else {
            (format!("  {item}  "), Role::Text)
        };
        spans.push(Span::styled(text, theme.style(role)));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(
        format!(
            "({} to change)",
            app.keymap.keys_text(UserAction::NextChoice)
        ),
        theme.style(Role::Dim),
    ));
    Line::from(spans)
}
