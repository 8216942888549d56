//! Finds the line of a key in a YAML text from its path (`services`, `web`, `ports`, `0`):
//! the values we check come from a parsed tree that has no positions, so a message points
//! at the line by walking the text's indentation. Best effort: block-style YAML (what
//! compose files are) is found exactly; flow style gives the line of the nearest key found.

/// One step of a path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Renders a path as Compose does in messages: `services.web.ports[0]`.
pub fn path_text(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Parses serde_path_to_error's path text (`services.web.ports[0]`) into steps.
pub fn parse_path(text: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in text.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() && key != "?" {
            steps.push(Step::Key(key.to_string()));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(n) = rest[1..end].parse() {
                steps.push(Step::Index(n));
            }
            rest = &rest[end + 1..];
        }
    }
    steps
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// Whether `line` (indentation stripped, `- ` allowed before) starts with key `k:`.
fn has_key(line: &str, k: &str) -> bool {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    for quoted in [k.to_string(), format!("\"{k}\""), format!("'{k}'")] {
        if let Some(rest) = t.strip_prefix(quoted.as_str())
            && rest.trim_start().starts_with(':')
        {
            return true;
        }
    }
    false
}

/// The 1-based line of `path` in `text`, or of its deepest step found; 0 if none is.
pub fn line_of(text: &str, path: &[Step]) -> usize {
    search(text, path).0
}

/// The 1-based line of `path` in `text` if every step of it is there.
pub fn exact_line(text: &str, path: &[Step]) -> Option<usize> {
    match search(text, path) {
        (line, steps) if steps == path.len() && line > 0 => Some(line),
        _ => None,
    }
}

/// The line of the deepest step found, and how many steps were found.
fn search(text: &str, path: &[Step]) -> (usize, usize) {
    let mut steps = 0usize;
    let lines: Vec<&str> = text.lines().collect();
    // The block being searched: lines [from, to) deeper than `parent_indent`.
    let (mut from, mut to) = (0usize, lines.len());
    let mut parent_indent: Option<usize> = None;
    let mut found = 0usize;
    for step in path {
        let mut hit = None;
        match step {
            Step::Key(k) => {
                for (i, line) in lines.iter().enumerate().take(to).skip(from) {
                    if !is_content(line) {
                        continue;
                    }
                    let ind = indent(line);
                    if parent_indent.is_some_and(|p| ind <= p) && i > from {
                        break;
                    }
                    if has_key(line, k) {
                        hit = Some((
                            i,
                            ind + line.trim_start().len()
                                - line.trim_start().trim_start_matches("- ").len(),
                        ));
                        break;
                    }
                }
            }
            Step::Index(n) => {
                let mut count = 0;
                let mut item_indent = None;
                for (i, line) in lines.iter().enumerate().take(to).skip(from) {
                    if !is_content(line) {
                        continue;
                    }
                    let ind = indent(line);
                    if parent_indent.is_some_and(|p| ind < p) && i > from {
                        break;
                    }
                    if line.trim_start().starts_with('-') && item_indent.is_none_or(|x| x == ind) {
                        item_indent = Some(ind);
                        if count == *n {
                            hit = Some((i, ind));
                            break;
                        }
                        count += 1;
                    }
                }
            }
        }
        let Some((i, ind)) = hit else {
            break;
        };
        steps += 1;
        found = i + 1;
        // A key's value starts on its own line (or continues it); an item's too.
        from = if matches!(step, Step::Index(_)) {
            i
        } else {
            i + 1
        };
        parent_indent = Some(ind);
        to = lines.len();
    }
    (found, steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "services:\n  web:\n    image: x\n    ports:\n      - \"80:80\"\n      - bad\n  db:\n    ports:\n      - 1\n";

    #[test]
    fn paths_round_trip_and_find_their_lines() {
        let p = parse_path("services.web.ports[1]");
        assert_eq!(path_text(&p), "services.web.ports[1]");
        assert_eq!(line_of(TEXT, &p), 6);
        assert_eq!(line_of(TEXT, &parse_path("services.db.ports[0]")), 9);
        assert_eq!(line_of(TEXT, &parse_path("services.web.image")), 3);
        // A key that is not there: the line of the deepest one that is.
        assert_eq!(line_of(TEXT, &parse_path("services.db.image")), 7);
    }
}
