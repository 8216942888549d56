//! Go's text/tabwriter (space padding, no flags), which Docker uses for every table.
//!
//! Cells are terminated by `\t`; the text after a line's last tab is not part of a column.
//! A column block is a run of consecutive lines that have a cell in that column; its width is
//! the widest cell plus `padding`, at least `min_width`. Widths count characters.

/// Docker's table settings: `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`.
pub const DOCKER: Settings = Settings {
    min_width: 10,
    padding: 3,
};

/// The two settings that matter with space padding.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Minimal cell width, padding included.
    pub min_width: usize,
    /// Spaces added to the widest cell of a column.
    pub padding: usize,
}

/// Aligns `text` (lines separated by `\n`, cells by `\t`) as Go's tabwriter would.
pub fn align(text: &str, settings: Settings) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut widths = Vec::new();
    format_block(&lines, 0, lines.len(), &mut widths, settings, &mut out);
    out
}

fn cell_width(cell: &str) -> usize {
    cell.chars().count()
}

/// Go's `Writer.format`: finds the column blocks of column `widths.len()` in `line0..line1`.
fn format_block(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    s: Settings,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        // A block starts here: print the lines before it with the current widths.
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = s.min_width;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(cell_width(lines[this][column]) + s.padding);
            this += 1;
        }
        widths.push(width);
        format_block(lines, line0, this, widths, s, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &[usize],
    out: &mut String,
) {
    for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j < widths.len() {
                let pad = widths[j].saturating_sub(cell_width(cell));
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_get_min_width_and_padding() {
        let out = align("A\tBB\tC\nxxxxxxxxxxx\ty\tz\n", DOCKER);
        assert_eq!(
            out,
            // 11 + 3 = 14 wide; the second column is only 2 wide, so min_width (10) wins.
            "A             BB        C\nxxxxxxxxxxx   y         z\n"
        );
    }

    #[test]
    fn blocks_break_on_lines_without_the_column() {
        let s = Settings {
            min_width: 0,
            padding: 1,
        };
        assert_eq!(
            align("a\tb\nno tabs\nlonger\tc\n", s),
            "a b\nno tabs\nlonger c\n"
        );
    }
}
