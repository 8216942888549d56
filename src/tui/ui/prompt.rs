//! The text prompt popup: a new reference for `tag`, a container name for `run`, a
//! network's name and subnet for `network create`.

use super::centered;
use super::confirm::{wrapped, wrapped_rows};
use super::hints::hint_line;
use crate::tui::app::{App, Prompt, PromptKind};
use crate::tui::keymap::UserAction;
use crate::tui::theme::{Role, Theme};
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// Draws the prompt with what was typed and a cursor.
pub fn render(app: &App, p: &Prompt, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let (title, question, hint) = match &p.kind {
        PromptKind::Tag { source } => (
            " Tag ",
            format!("New name for '{source}':"),
            "NAME[:TAG], e.g. me/app:1.0".to_string(),
        ),
        PromptKind::Run { image } => (
            " Run ",
            format!("Run a container from '{image}' (berth run -d):"),
            "container name (empty: a random name)".to_string(),
        ),
        PromptKind::RunByName => (
            " Run ",
            "Run a container from an image (berth run -d, pulled when missing):".to_string(),
            "IMAGE [NAME], e.g. busybox, or localhost:5000/app:1 web".to_string(),
        ),
        PromptKind::CreateNetwork => (
            " Create network ",
            "New network (berth network create [--subnet SUBNET] NAME):".to_string(),
            "e.g. app, or app 10.80.0.0/16 (next free /16 if none)".to_string(),
        ),
        PromptKind::Search => (
            " Search ",
            "Search the log for:".to_string(),
            "text; lowercase matches any case (empty: clear)".to_string(),
        ),
        PromptKind::CreateVolume => (
            " Create volume ",
            "New volume (berth volume create NAME):".to_string(),
            "e.g. data (letters, digits, _ . -)".to_string(),
        ),
        PromptKind::Pull => (
            " Pull ",
            "Image to pull (berth pull):".to_string(),
            "NAME[:TAG|@DIGEST], e.g. busybox or localhost:5000/app:1".to_string(),
        ),
    };
    // As wide as the question, within the screen; on a narrow one the texts wrap.
    let width = 56u16
        .max(question.chars().count() as u16 + 4)
        .min(area.width);
    let field_w = usize::from(width.saturating_sub(4)).max(2);
    let shown: String = {
        let chars: Vec<char> = p.input.chars().collect();
        let start = chars.len().saturating_sub(field_w.saturating_sub(1));
        chars[start..].iter().collect()
    };
    let pad = field_w.saturating_sub(shown.chars().count() + 1);
    let lines = vec![
        Line::from(question),
        Line::from(vec![Span::styled(
            format!("{shown}▏{}", " ".repeat(pad)),
            theme.style(Role::PromptInput),
        )]),
        Line::from(Span::styled(hint, theme.style(Role::Dim))),
        hint_line(
            vec![
                (non_text_keys(app, UserAction::Confirm), "ok"),
                (non_text_keys(app, UserAction::ClosePopup), "cancel"),
            ],
            theme,
        ),
    ];
    let inner_w = width.saturating_sub(2);
    let height = lines.iter().map(|l| wrapped_rows(l, inner_w)).sum::<u16>() + 2;
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Line::from(title).style(theme.style(Role::TitleFocused)))
        .border_style(theme.style(Role::BorderFocused))
        .style(theme.style(Role::Dialog));
    wrapped(lines, inner_w).block(block).render(rect, buf);
}

/// The keys of `action` that still act in a prompt (plain characters are typed).
pub(crate) fn non_text_keys(app: &App, action: UserAction) -> String {
    app.keymap
        .keys(action)
        .iter()
        .filter(|k| !matches!(k.code, KeyCode::Char(_)) || k.mods != KeyModifiers::NONE)
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
