//! The key hint line at the foot of every popup: `enter remove   n, esc keep`.

use crate::tui::theme::{Role, Theme};
use ratatui::text::{Line, Span};

/// One hint: the keys (already joined, `n, esc`) and what they do (`keep`).
pub type Hint<'a> = (String, &'a str);

/// The hint line: each hint's keys in the key role followed by what they do, hints three
/// spaces apart. Every popup's hint line is built here.
pub fn hint_line<'a>(hints: Vec<Hint<'a>>, theme: &Theme) -> Line<'a> {
    let last = hints.len().saturating_sub(1);
    let mut spans = Vec::with_capacity(hints.len() * 2);
    for (i, (keys, does)) in hints.into_iter().enumerate() {
        spans.push(Span::styled(keys, theme.style(Role::HelpKey)));
        let gap = if i == last { "" } else { "   " };
        spans.push(Span::raw(format!(" {does}{gap}")));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_read_keys_then_action_three_spaces_apart() {
        let theme = Theme::preset("default").expect("theme");
        let line = hint_line(
            vec![("enter".into(), "remove"), ("n, esc".into(), "keep")],
            &theme,
        );
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "enter remove   n, esc keep");
        assert_eq!(line.spans[0].style, theme.style(Role::HelpKey));
        assert_eq!(line.spans[2].style, theme.style(Role::HelpKey));
        assert_eq!(line.spans[1].style, ratatui::style::Style::default());
    }

    #[test]
    fn no_hints_no_text() {
        let theme = Theme::preset("default").expect("theme");
        assert_eq!(hint_line(Vec::new(), &theme).width(), 0);
    }
}
