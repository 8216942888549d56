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
    let mut lines = Vec::new();
    for scope in [Scope::Main, Scope::Images, Scope::Popup, Scope::Shell] {
        let heading = match scope {
            Scope::Main => "panes",
            Scope::Images => "images pane",
            Scope::Popup => "popups",
            Scope::Shell => "shell pane (other keys go to the shell)",
        };
        lines.push(Line::from(Span::styled(heading, theme.style(Role::Header))));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            let keys = app.keymap.keys_text(b.action);
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<key_w$}  "), theme.style(Role::HelpKey)),
                Span::styled(b.desc, theme.style(Role::HelpText)),
                Span::styled(format!("  ({})", b.name), theme.style(Role::Dim)),
            ]));
        }
    }
    let width = lines.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 4;
    let height = lines.len() as u16 + 2;
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(
            Line::from(" Keys (remap under dashboard.keys) ")
                .style(theme.style(Role::TitleFocused)),
        )
        .border_style(theme.style(Role::BorderFocused))
        .style(theme.style(Role::Dialog));
    Paragraph::new(lines).block(block).render(rect, buf);
}
