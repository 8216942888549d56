//! How every pane builds its table: columns declared with their priority and sizing, the
//! rows' texts measured, the columns fitted to the pane (`columns::fit`), cells cut with
//! an ellipsis, the hidden columns named on the bottom border, then one ratatui `Table` drawn the
//! same way everywhere (header, one space between columns, the selection mark).

use crate::tui::theme::{Role, Theme};
use crate::tui::ui::columns::{self, Want};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{
    Block, Cell, HighlightSpacing, Row, StatefulWidget, Table, TableState, Widget,
};

/// How a column is sized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// As wide as its widest cell up to `cap`, shrinking to `min` (cut with an ellipsis).
    Content {
        /// The widest it gets, however long its cells.
        cap: u16,
        /// The narrowest it is drawn before it is left out.
        min: u16,
    },
    /// As wide as its widest cell up to `cap`, and never cut below that: whole or left out.
    Whole {
        /// The widest it gets.
        cap: u16,
    },
    /// Always this wide (cells that are not text, such as sparklines).
    Fixed(u16),
    /// What the other shown columns leave, up to its widest cell, at least `min`.
    Rest {
        /// The narrowest it is drawn before it is left out.
        min: u16,
    },
}

/// One column of a table: its header, its sizing and its importance (lower matters more:
/// the highest is left out first when the pane is narrow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header text.
    pub header: String,
    /// How it is sized.
    pub size: Size,
    /// Lower is more important.
    pub priority: u8,
}

impl Column {
    /// A column with `header`, sized by `size`, of importance `priority`.
    pub fn new(header: impl Into<String>, size: Size, priority: u8) -> Column {
        Column {
            header: header.into(),
            size,
            priority,
        }
    }
}

/// A table's columns fitted to the pane: which are shown, how wide, what is hidden.
#[derive(Debug, Clone)]
pub struct Fitted {
    headers: Vec<String>,
    wants: Vec<Want>,
    widths: Vec<Option<u16>>,
    selectable: bool,
}

impl Fitted {
    /// Fits `columns` to the rows' texts `texts` (a text per column; a multi-line text is
    /// measured by its widest line) for a table drawn bordered in `area`, with room for
    /// the selection mark when `selectable`.
    pub fn new<R: AsRef<[String]>>(
        columns: &[Column],
        texts: &[R],
        area: Rect,
        selectable: bool,
    ) -> Fitted {
        let cells = |i: usize| texts.iter().map(move |t| t.as_ref()[i].as_str());
        let wants: Vec<Want> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| match c.size {
                Size::Content { cap, min } => {
                    Want::content(&c.header, cells(i), cap, min, c.priority)
                }
                Size::Whole { cap } => Want::content(&c.header, cells(i), cap, cap, c.priority),
                Size::Fixed(w) => Want::fixed(w, c.priority),
                Size::Rest { min } => Want::rest(&c.header, cells(i), min, c.priority),
            })
            .collect();
        let mark = if selectable { MARK_WIDTH } else { 0 };
        let inner = area.width.saturating_sub(2 + mark);
        let widths = columns::fit(inner, SPACING, &wants);
        Fitted {
            headers: columns.iter().map(|c| c.header.clone()).collect(),
            wants,
            widths,
            selectable,
        }
    }

    /// Whether column `i` is shown.
    pub fn shown(&self, i: usize) -> bool {
        self.widths.get(i).is_some_and(Option::is_some)
    }

    /// Whether column `i` is shown as wide as its widest cell (nothing in it is cut).
    pub fn whole(&self, i: usize) -> bool {
        matches!(self.widths.get(i), Some(Some(w)) if *w >= self.wants[i].width)
    }

    /// `text` cut to the width of column `i` (each line, with an ellipsis where cut).
    pub fn cut(&self, i: usize, text: &str) -> String {
        match self.widths.get(i) {
            Some(Some(w)) => columns::cut(text, *w),
            _ => String::new(),
        }
    }

    /// The headers of the columns left out, in the table's order.
    pub fn hidden(&self) -> Vec<&str> {
        self.headers
            .iter()
            .zip(&self.widths)
            .filter(|(h, w)| w.is_none() && !h.is_empty())
            .map(|(h, _)| h.trim_end_matches('▼'))
            .collect()
    }

    /// What the table's bottom border says when columns are left out: ` +2 cols: IMAGE
    /// ID, CREATED ` when that fits in a pane `width` wide, ` +2 cols ` otherwise.
    pub fn note(&self, width: u16) -> Option<String> {
        let hidden = self.hidden();
        if hidden.is_empty() {
            return None;
        }
        let count = format!(" +{} col{}", hidden.len(), plural(hidden.len()));
        let named = format!("{count}: {} ", hidden.join(", "));
        // Room for the corners and a stretch of border on the left.
        if named.chars().count() + 4 <= usize::from(width) {
            Some(named)
        } else {
            Some(format!("{count} "))
        }
    }

    /// A row of the cells of the shown columns (`cells` has one per column).
    pub fn row<'a>(&self, cells: impl IntoIterator<Item = Cell<'a>>) -> Row<'a> {
        Row::new(
            cells
                .into_iter()
                .enumerate()
                .filter(|(i, _)| self.shown(*i))
                .map(|(_, c)| c),
        )
    }

    /// Draws the table of `rows` in `block` over `area`: the header, the fitted widths,
    /// the note of the hidden columns on the bottom border, and, when selectable, the row
    /// `selected` marked (ratatui scrolls to it).
    pub fn render<'a>(
        &self,
        rows: impl IntoIterator<Item = Row<'a>>,
        block: Block<'a>,
        theme: &Theme,
        selected: Option<usize>,
        (area, buf): (Rect, &mut Buffer),
    ) {
        let header = Row::new(
            self.headers
                .iter()
                .enumerate()
                .filter(|(i, _)| self.shown(*i))
                .map(|(i, h)| Cell::from(self.cut(i, h))),
        )
        .style(theme.style(Role::Header));
        let constraints: Vec<Constraint> = self
            .widths
            .iter()
            .flatten()
            .map(|w| Constraint::Length(*w))
            .collect();
        let block = match self.note(area.width) {
            Some(note) => block.title_bottom(
                Line::from(note)
                    .right_aligned()
                    .style(theme.style(Role::Dim)),
            ),
            None => block,
        };
        let table = Table::new(rows, constraints)
            .header(header)
            .block(block)
            .column_spacing(SPACING);
        if self.selectable {
            let table = table
                .row_highlight_style(theme.style(Role::Selection))
                .highlight_symbol(MARK)
                .highlight_spacing(HighlightSpacing::Always);
            // A local state: ratatui scrolls it to show the selection; nothing is kept.
            let mut state = TableState::default().with_selected(selected);
            StatefulWidget::render(table, area, buf, &mut state);
        } else {
            Widget::render(table, area, buf);
        }
    }
}

/// The selection mark before the selected row.
const MARK: &str = "▶ ";

/// Its width in cells.
const MARK_WIDTH: u16 = 2;

/// Cells between two columns.
const SPACING: u16 = 1;

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Vec<[String; 3]> {
        vec![["web-frontend-1", "Up 3 seconds", "333333333333"].map(String::from)]
    }

    fn columns() -> [Column; 3] {
        [
            Column::new("NAME", Size::Content { cap: 32, min: 10 }, 0),
            Column::new("STATUS", Size::Content { cap: 32, min: 12 }, 1),
            Column::new("CONTAINER ID", Size::Whole { cap: 12 }, 2),
        ]
    }

    #[test]
    fn a_narrow_pane_leaves_the_least_important_column_out_and_names_it() {
        // Borders (2), the mark (2), 14 + 1 + 12 for the name and the status.
        let f = Fitted::new(&columns(), &texts(), Rect::new(0, 0, 31, 5), true);
        assert!(f.whole(0) && f.whole(1) && !f.shown(2));
        assert_eq!(f.hidden(), vec!["CONTAINER ID"]);
        assert_eq!(f.note(31).as_deref(), Some(" +1 col: CONTAINER ID "));
        assert_eq!(f.note(20).as_deref(), Some(" +1 col "));
        assert_eq!(f.cut(2, "333333333333"), "");
    }

    #[test]
    fn a_wide_pane_shows_everything_with_no_note() {
        let f = Fitted::new(&columns(), &texts(), Rect::new(0, 0, 250, 5), false);
        assert!((0..3).all(|i| f.whole(i)));
        assert_eq!(f.note(250), None);
    }

    #[test]
    fn the_table_draws_the_fitted_columns_and_the_note() {
        let theme = Theme::preset("default").expect("theme");
        let area = Rect::new(0, 0, 33, 4);
        let f = Fitted::new(&columns(), &texts(), area, true);
        let mut buf = Buffer::empty(area);
        let rows = texts().into_iter().map(|t| {
            let cells: Vec<Cell> = (0..3).map(|i| Cell::from(f.cut(i, &t[i]))).collect();
            f.row(cells)
        });
        f.render(rows, Block::bordered(), &theme, Some(0), (area, &mut buf));
        let lines: Vec<String> = (0..4)
            .map(|y| (0..33).map(|x| buf[(x, y)].symbol().to_string()).collect())
            .collect();
        // The mark's room, NAME as wide as the name, one space, STATUS.
        assert_eq!(
            lines[1],
            format!("│{:<31}│", format!("  {:<14} STATUS", "NAME"))
        );
        assert_eq!(
            lines[2],
            format!("│{:<31}│", "▶ web-frontend-1 Up 3 seconds")
        );
        assert_eq!(
            lines[3],
            format!("└{}{}┘", "─".repeat(9), " +1 col: CONTAINER ID ")
        );
    }
}
