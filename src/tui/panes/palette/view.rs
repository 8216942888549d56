//! The palette's line at the bottom of the screen (in place of the status bar: `:` and
//! what is typed, the completions offered, the keys), and the popup with a command's
//! output.

use crate::tui::app::App;
use crate::tui::panes::logs::line::wrap;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::centered;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

/// Draws the palette's one line into `area` (the status bar's row).
pub fn render_line(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let p = &app.palette;
    let bar = theme.style(Role::StatusBar);
    buf.set_style(area, bar);
    let hint = if p.candidates.is_empty() {
        " tab complete · ↑↓ history · enter run · esc close ".to_string()
    } else {
        format!(" {} ", p.candidates.join("  "))
    };
    // The input keeps its room first; the hint (or the completions) gets what is left.
    let input_w = p.input.chars().count() as u16 + 3;
    let hint_w = (hint.chars().count() as u16).min(area.width.saturating_sub(input_w));
    let room = usize::from(area.width.saturating_sub(hint_w + 2));
    let chars: Vec<char> = p.input.chars().collect();
    let shown: String = chars[chars.len().saturating_sub(room)..].iter().collect();
    let line = Line::from(vec![
        Span::styled(":", bar.patch(theme.style(Role::TitleFocused))),
        Span::styled(format!("{shown}▏"), theme.style(Role::PromptInput)),
    ]);
    buf.set_line(area.x, area.y, &line, area.width);
    if hint_w > 0 {
        let role = if p.candidates.is_empty() {
            Role::Dim
        } else {
            Role::Info
        };
        let hint_line = Line::from(Span::styled(hint, bar.patch(theme.style(role))));
        buf.set_line(area.x + area.width - hint_w, area.y, &hint_line, hint_w);
    }
}

/// Draws a command's output in a popup almost as large as the screen, scrolled by
/// `app.help_scroll`.
pub fn render_output(
    app: &App,
    (title, lines, failed): (&str, &[String], bool),
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let cols = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let widest = cols(lines.iter().map(|l| l.chars().count()).max().unwrap_or(0));
    let width = widest
        .saturating_add(4)
        .max(cols(title.chars().count()).saturating_add(8))
        .max(40)
        .min(area.width);
    // Lines wider than the popup wrap onto the next rows (nothing of the output is cut);
    // the height and the scroll count rows.
    let inner = usize::from(width.saturating_sub(2));
    let lines: Vec<Line> = lines
        .iter()
        .flat_map(|l| wrap(vec![Span::raw(l.as_str())], inner))
        .map(Line::from)
        .collect();
    let height = cols(lines.len()).saturating_add(2);
    let rect = centered(
        area,
        width,
        height.min(area.height.saturating_sub(2)).max(3),
    );
    let rows = usize::from(rect.height.saturating_sub(2)).max(1);
    let skip = app.help_scroll.min(lines.len().saturating_sub(rows));
    let mut heading = format!(" {title} ");
    if failed {
        heading.push_str("· failed ");
    }
    if lines.len() > rows {
        heading.push_str(&format!(
            "· {}-{} of {} ",
            skip + 1,
            (skip + rows).min(lines.len()),
            lines.len()
        ));
    }
    heading.push_str("· esc closes ");
    let title_role = if failed {
        Role::Error
    } else {
        Role::TitleFocused
    };
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(Line::from(heading).style(theme.style(title_role)))
        .border_style(theme.style(Role::BorderFocused))
        .style(theme.style(Role::Dialog));
    let text: Vec<Line> = lines.into_iter().skip(skip).take(rows).collect();
    Paragraph::new(text).block(block).render(rect, buf);
}
