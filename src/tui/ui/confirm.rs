//! The confirmation popups: removing a container, removing an image (force on or off),
//! and sending a signal to a process (the signal chosen in the popup).

use super::centered;
use super::hints::hint_line;
use crate::tui::action::quote;
use crate::tui::app::App;
use crate::tui::keymap::UserAction;
use crate::tui::panes::top::state::SIGNALS;
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

/// Draws "Remove container 'NAME'?" with the yes and no keys.
pub fn render(app: &App, name: &str, theme: &Theme, area: Rect, buf: &mut Buffer) {
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
        answer_line(app, "remove", theme),
    ];
    dialog(lines, theme, area, buf);
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

/// Draws "Remove image 'NAME'?" with the force choice.
pub fn render_remove_image(
    app: &App,
    name: &str,
    force: bool,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let cmd = if force { "berth rmi -f" } else { "berth rmi" };
    let lines = vec![
        Line::from(format!("Remove image '{name}'?")),
        Line::from(Span::styled(
            format!(
                "A reference among several is only untagged ({cmd} {}).",
                quote(name)
            ),
            theme.style(Role::Dim),
        )),
        choices(&["remove", "force (-f)"], usize::from(force), app, theme),
        Line::from(""),
        answer_line(app, "remove", theme),
    ];
    dialog(lines, theme, area, buf);
}

/// Draws "Send SIGNAL to process PID?" with the signal choices.
pub fn render_signal(
    app: &App,
    (container, pid, command): (&str, i32, &str),
    choice: usize,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let signal = SIGNALS.get(choice).copied().unwrap_or("TERM");
    let short: String = command.chars().take(50).collect();
    let lines = vec![
        Line::from(format!(
            "Send SIG{signal} to process {pid} in '{container}'?"
        )),
        Line::from(Span::styled(short, theme.style(Role::Dim))),
        choices(SIGNALS, choice, app, theme),
        Line::from(""),
        answer_line(app, "send", theme),
    ];
    dialog(lines, theme, area, buf);
}
