//! The list filter `/` opens on the focused list (containers, images, networks,
//! processes): which rows match a query (smart case: a lowercase query matches any case,
//! one with a capital matches exactly), where in a cell the match is (to highlight it),
//! moves among the rows that show, and the count a pane's title gives.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// A list's filter: the query and whether it is being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// What rows must contain (empty: every row shows).
    pub query: String,
    /// Keys are typed into the query (after `/`, until enter or esc).
    pub editing: bool,
}

impl ListFilter {
    /// Whether rows are being filtered.
    pub fn is_active(&self) -> bool {
        !self.query.is_empty()
    }

    /// Whether a row whose cells read `texts` shows.
    pub fn keeps<S: AsRef<str>>(&self, texts: &[S]) -> bool {
        !self.is_active()
            || texts
                .iter()
                .any(|t| !find(t.as_ref(), &self.query).is_empty())
    }

    /// The title's count: `12`, or `3/12` while filtering.
    pub fn count(&self, shown: usize, total: usize) -> String {
        if self.is_active() {
            format!("{shown}/{total}")
        } else {
            total.to_string()
        }
    }

    /// What the title adds while filtering: ` /query▏` when typing, ` /query` after.
    pub fn title_suffix(&self) -> String {
        match (self.editing, self.is_active()) {
            (true, _) => format!(" · /{}▏", self.query),
            (false, true) => format!(" · /{}", self.query),
            (false, false) => String::new(),
        }
    }
}

/// Byte ranges of the matches of `query` in `text`, smart case (a query without capitals
/// ignores case).
pub fn find(text: &str, query: &str) -> Vec<(usize, usize)> {
    if query.is_empty() {
        return vec![];
    }
    let fold = !query.chars().any(char::is_uppercase);
    let needle: Vec<char> = if fold {
        query.chars().flat_map(char::to_lowercase).collect()
    } else {
        query.chars().collect()
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let same = |a: char, b: char| {
        if fold {
            a.to_lowercase().eq(std::iter::once(b))
        } else {
            a == b
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        let hit = needle
            .iter()
            .zip(&chars[i..])
            .all(|(n, (_, c))| same(*c, *n));
        if hit {
            let start = chars[i].0;
            let end = chars
                .get(i + needle.len())
                .map_or(text.len(), |(at, _)| *at);
            out.push((start, end));
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

/// `text` as a line in `base`, the matches of `query` in `base` patched with `hit`.
pub fn highlight(text: &str, query: &str, base: Style, hit: Style) -> Line<'static> {
    let ranges = find(text, query);
    if ranges.is_empty() {
        return Line::from(Span::styled(text.to_string(), base));
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (s, e) in ranges {
        if s > at {
            spans.push(Span::styled(text[at..s].to_string(), base));
        }
        spans.push(Span::styled(text[s..e].to_string(), base.patch(hit)));
        at = e;
    }
    if at < text.len() {
        spans.push(Span::styled(text[at..].to_string(), base));
    }
    Line::from(spans)
}

/// The index of the row `delta` rows away from `selected` among the rows that show
/// (`visible`, ascending); `isize::MIN`/`MAX` go to the first/last. A selection that is
/// hidden moves to the first row that shows.
pub fn step(visible: &[usize], selected: usize, delta: isize) -> Option<usize> {
    let last = visible.len().checked_sub(1)?;
    let Some(at) = visible.iter().position(|i| *i == selected) else {
        return visible.first().copied();
    };
    let to = match delta {
        isize::MIN => 0,
        isize::MAX => last,
        d => at.saturating_add_signed(d).min(last),
    };
    Some(visible[to])
}

/// The first row a table of `rows` rows each one line high scrolls to so that `selected`
/// shows in `height` lines (what ratatui's `Table` does with a fresh state).
pub fn table_offset(selected: Option<usize>, height: usize) -> usize {
    match selected {
        Some(s) if height > 0 => s.saturating_sub(height - 1),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    #[test]
    fn smart_case_matches_any_case_unless_a_capital_is_typed() {
        assert_eq!(find("Web-Server", "web"), vec![(0, 3)]);
        assert_eq!(find("web-server", "Web"), vec![]);
        assert_eq!(find("Web-Server", "Web"), vec![(0, 3)]);
        assert_eq!(find("aXaxa", "xa"), vec![(1, 3), (3, 5)]);
        assert_eq!(find("crème", "èm"), vec![(2, 5)]);
        assert_eq!(find("anything", ""), vec![]);
    }

    #[test]
    fn a_filter_keeps_rows_with_a_match_and_counts_them() {
        let f = ListFilter {
            query: "bus".into(),
            editing: false,
        };
        assert!(f.keeps(&["web", "busybox:latest"]));
        assert!(!f.keeps(&["web", "alpine"]));
        assert_eq!(f.count(3, 12), "3/12");
        assert_eq!(ListFilter::default().count(3, 12), "12");
        assert!(ListFilter::default().keeps(&["x"]));
    }

    #[test]
    fn highlight_patches_only_the_match() {
        let hit = Style::default().bg(Color::Yellow);
        let line = highlight("my-web-1", "web", Style::default(), hit);
        let parts: Vec<(&str, Option<Color>)> = line
            .spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style.bg))
            .collect();
        assert_eq!(
            parts,
            vec![("my-", None), ("web", Some(Color::Yellow)), ("-1", None)]
        );
    }

    #[test]
    fn steps_go_among_the_rows_that_show() {
        let visible = [1, 4, 7];
        assert_eq!(step(&visible, 4, 1), Some(7));
        assert_eq!(step(&visible, 4, 5), Some(7));
        assert_eq!(step(&visible, 4, -1), Some(1));
        assert_eq!(step(&visible, 4, isize::MAX), Some(7));
        assert_eq!(step(&visible, 4, isize::MIN), Some(1));
        // A hidden selection goes to the first row shown.
        assert_eq!(step(&visible, 2, 1), Some(1));
        assert_eq!(step(&[], 0, 1), None);
        assert_eq!(table_offset(Some(10), 4), 7);
        assert_eq!(table_offset(Some(2), 4), 0);
    }
}
