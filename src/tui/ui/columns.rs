//! Table columns sized to their content: each column asks for the width of its widest
//! cell (up to a cap) and may shrink to a minimum; when even the minimums do not fit, the
//! least important columns are left out, so what matters most is never cut to a stub.

/// What one column asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Want {
    /// The width of its widest cell (header included), capped by the caller.
    pub width: u16,
    /// The narrowest it may be drawn (cells are cut with an ellipsis below `width`).
    pub min: u16,
    /// Lower is more important: the highest is left out first.
    pub priority: u8,
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
        let widest = cells
            .map(|c| c.chars().count())
            .chain(std::iter::once(header.chars().count()))
            .max()
            .unwrap_or(0);
        let width = (widest as u16).min(cap);
        Want {
            width,
            min: min.min(width),
            priority,
        }
    }
}

/// The width of each column in `available` cells with `spacing` between columns; `None`
/// for a column left out. Columns are taken in order of importance while their minimums
/// fit; the space left goes out by importance up to each column's width; then, as long as
/// a column is cut while a less important one is shown, the least important one goes.
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
        for &i in &shown {
            let give = ((wants[i].width - wants[i].min) as u32).min(spare);
            widths[i] += give as u16;
            spare -= give;
        }
        let cut = shown
            .iter()
            .filter(|i| widths[**i] < wants[**i].width)
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

/// `text` cut to `width` characters, the last one `…` when cut.
pub fn cut(text: &str, width: u16) -> String {
    let width = width as usize;
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
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
    fn cut_marks_what_it_cut() {
        assert_eq!(cut("web-frontend-1", 8), "web-fro…");
        assert_eq!(cut("web", 8), "web");
    }
}
