//! Table columns sized to their content: each column asks for the width of its widest
//! cell (up to a cap) and may shrink to a minimum; when even the minimums do not fit, the
//! least important columns are left out, so what matters most is never cut to a stub.
//! One column of a table may take the rest of the width (a command line, an answer).

use unicode_width::UnicodeWidthStr;

/// What one column asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Want {
    /// The width of its widest cell (header included), capped by the caller.
    pub width: u16,
    /// The narrowest it may be drawn (cells are cut with an ellipsis below `width`).
    pub min: u16,
    /// Lower is more important: the highest is left out first.
    pub priority: u8,
    /// Whether it takes what the other shown columns leave (up to `width`) rather than
    /// its share by priority; such a column being cut never leaves another out.
    pub rest: bool,
}

impl Want {
    /// A column as wide as its widest cell among `cells` and `header`, at most `cap`,
    /// shrinking to `min`.
    pub fn content<'a>(
        header: &str,
        cells: impl Iterator<Item = &'a str>,
        cap: u16,
        min: u16,
        priority: u8,
    ) -> Want {
        let width = widest(header, cells).min(cap);
        Want {
            width,
            min: min.min(width),
            priority,
            rest: false,
        }
    }

    /// A column of `width` cells, shown whole or not at all.
    pub fn fixed(width: u16, priority: u8) -> Want {
        Want {
            width,
            min: width,
            priority,
            rest: false,
        }
    }

    /// A column that takes the width the others leave, up to its widest cell, and at least
    /// `min` (or its widest cell, when narrower).
    pub fn rest<'a>(
        header: &str,
        cells: impl Iterator<Item = &'a str>,
        min: u16,
        priority: u8,
    ) -> Want {
        let width = widest(header, cells);
        Want {
            width,
            min: min.min(width),
            priority,
            rest: true,
        }
    }
}

/// The display width of the widest line among `cells` and `header`.
fn widest<'a>(header: &str, cells: impl Iterator<Item = &'a str>) -> u16 {
    let header = header.lines().map(UnicodeWidthStr::width).max();
    cells
        .flat_map(str::lines)
        .map(UnicodeWidthStr::width)
        .chain(header)
        .max()
        .unwrap_or(0)
        .min(u16::MAX as usize) as u16
}

/// The width of each column in `available` cells with `spacing` between columns; `None`
/// for a column left out. Columns are taken in order of importance while their minimums
/// fit; the space left goes out by importance up to each column's width, then to the
/// columns that take the rest; then, as long as a column is cut while a less important
/// one is shown, the least important one goes.
pub fn fit(available: u16, spacing: u16, wants: &[Want]) -> Vec<Option<u16>> {
    let mut order: Vec<usize> = (0..wants.len()).collect();
    order.sort_by_key(|i| (wants[*i].priority, *i));
    let used = |shown: &[usize], widths: &dyn Fn(usize) -> u16| -> u32 {
        let cells: u32 = shown.iter().map(|i| widths(*i) as u32).sum();
        cells + spacing as u32 * (shown.len() as u32).saturating_sub(1)
    };
    let mut shown: Vec<usize> = Vec::new();
    for &i in &order {
        shown.push(i);
        if used(&shown, &|j| wants[j].min) > available as u32 {
            shown.pop();
        }
    }
    loop {
        let mut widths: Vec<u16> = wants.iter().map(|w| w.min).collect();
        let mut spare = (available as u32).saturating_sub(used(&shown, &|j| wants[j].min));
        let by_share = shown.iter().filter(|i| !wants[**i].rest);
        let by_rest = shown.iter().filter(|i| wants[**i].rest);
        for &i in by_share.chain(by_rest) {
            let give = ((wants[i].width - wants[i].min) as u32).min(spare);
            widths[i] += give as u16;
            spare -= give;
        }
        let cut = shown
            .iter()
            .filter(|i| !wants[**i].rest && widths[**i] < wants[**i].width)
            .map(|i| wants[*i].priority)
            .min();
        let least = shown.last().copied();
        match (cut, least) {
            (Some(p), Some(l)) if wants[l].priority > p => {
                shown.pop();
            }
            _ => {
                return (0..wants.len())
                    .map(|i| shown.contains(&i).then_some(widths[i]))
                    .collect();
            }
        }
    }
}

/// `text` cut to `width` cells, line by line, the last one `…` where cut.
pub fn cut(text: &str, width: u16) -> String {
    if !text.contains('\n') {
        return cut_line(text, width);
    }
    text.split('\n')
        .map(|line| cut_line(line, width))
        .collect::<Vec<_>>()
        .join("\n")
}

fn cut_line(text: &str, width: u16) -> String {
    let width = width as usize;
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(width: u16, min: u16, priority: u8) -> Want {
        Want {
            width,
            min,
            priority,
            rest: false,
        }
    }

    #[test]
    fn everything_fits_at_full_width() {
        let w = [want(10, 5, 0), want(20, 8, 1)];
        assert_eq!(fit(40, 1, &w), vec![Some(10), Some(20)]);
    }

    #[test]
    fn the_important_column_keeps_its_width_and_the_other_shrinks() {
        let w = [want(10, 5, 0), want(20, 8, 1)];
        assert_eq!(fit(25, 1, &w), vec![Some(10), Some(14)]);
    }

    #[test]
    fn the_least_important_column_goes_first() {
        let w = [want(12, 12, 3), want(10, 6, 0), want(20, 10, 1)];
        assert_eq!(fit(25, 1, &w), vec![None, Some(10), Some(14)]);
    }

    #[test]
    fn nothing_is_cut_while_a_less_important_column_is_shown() {
        // The status would be cut to make room for the sparkline: the sparkline goes.
        let w = [want(6, 6, 0), want(24, 12, 1), want(15, 15, 4)];
        assert_eq!(fit(40, 1, &w), vec![Some(6), Some(24), None]);
        assert_eq!(fit(47, 1, &w), vec![Some(6), Some(24), Some(15)]);
    }

    #[test]
    fn the_rest_goes_to_the_column_that_takes_it_without_leaving_others_out() {
        // A history: the command line takes what LAYER, CREATED and SIZE leave.
        let rest = Want {
            width: 120,
            min: 16,
            priority: 0,
            rest: true,
        };
        let w = [want(5, 5, 1), want(14, 14, 3), rest, want(7, 7, 2)];
        assert_eq!(fit(60, 1, &w), vec![Some(5), Some(14), Some(31), Some(7)]);
        // Narrower: the least important column goes before the command line drops
        // below its minimum.
        assert_eq!(fit(32, 1, &w), vec![Some(5), None, Some(18), Some(7)]);
        // Wide: the command line is as wide as its longest, no wider.
        assert_eq!(fit(250, 1, &w), vec![Some(5), Some(14), Some(120), Some(7)]);
    }

    #[test]
    fn content_measures_the_widest_line_and_header() {
        let cells = ["0.0.0.0:18088 → 172.18.0.2:80/tcp\n:::18088 → x", "-"];
        let w = Want::content("PUBLISHED", cells.into_iter(), 60, 60, 2);
        assert_eq!(w.width, 33);
        assert_eq!(
            Want::content("STATUS", ["Up"].into_iter(), 60, 4, 1).width,
            6
        );
    }

    #[test]
    fn cut_marks_what_it_cut() {
        assert_eq!(cut("web-frontend-1", 8), "web-fro…");
        assert_eq!(cut("web", 8), "web");
        assert_eq!(cut("abc\nabcdefgh", 4), "abc\nabc…");
        assert_eq!(cut("名前名前", 5), "名前…");
    }
}
