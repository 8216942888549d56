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
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

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

/// A bordered dialog sized to `lines`, centred in `area`.
pub(crate) fn dialog(lines: Vec<Line>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = lines.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 4;
    let rect = centered(area, width, lines.len() as u16 + 2);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Line::from(" Confirm ").style(theme.style(Role::TitleFocused)))
        .border_style(theme.style(Role::Error))
        .style(theme.style(Role::Dialog));
    Paragraph::new(lines).block(block).render(rect, buf);
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
