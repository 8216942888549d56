//! The confirmation popup for removing a container.

use super::centered;
use crate::tui::action::quote;
use crate::tui::app::App;
use crate::tui::keymap::UserAction;
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

/// Draws "Remove container 'NAME'?" with the yes and no keys.
pub fn render(app: &App, name: &str, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let yes = app.keymap.keys_text(UserAction::Confirm);
    let no = format!(
        "{}, {}",
        app.keymap.keys_text(UserAction::Cancel),
        app.keymap.keys_text(UserAction::ClosePopup)
    );
    let lines = vec![
        Line::from(format!("Remove container '{name}'?")),
        Line::from(Span::styled(
            format!(
                "It is killed first if it runs (berth rm -f {}).",
                quote(name)
            ),
            theme.style(Role::Dim),
        )),
        Line::from(""),
        Line::from(vec![
            Span::styled(yes, theme.style(Role::HelpKey)),
            Span::raw(" remove   "),
            Span::styled(no, theme.style(Role::HelpKey)),
            Span::raw(" keep"),
        ]),
    ];
    let width = lines.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 4;
    let rect = centered(area, width, lines.len() as u16 + 2);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Line::from(" Confirm ").style(theme.style(Role::TitleFocused)))
        .border_style(theme.style(Role::Error))
        .style(theme.style(Role::Dialog));
    Paragraph::new(lines).block(block).render(rect, buf);
}
