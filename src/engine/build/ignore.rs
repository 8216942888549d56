//! `.dockerignore`: Docker's patterns (Go `filepath.Match` per path segment, `**` for any
//! number of directories, `!` for exceptions, the last matching line wins, a pattern that
//! matches a directory excludes everything below it).
//!
//! Written by hand: the `ignore` crate implements gitignore, whose rules differ (a pattern
//! without a slash matches at any depth there, only at the root here), and Docker's rules
//! are a few dozen lines.

/// One line of `.dockerignore`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    exception: bool,
    segments: Vec<String>,
}

/// The patterns of a `.dockerignore` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignore {
    patterns: Vec<Pattern>,
}

impl Ignore {
    /// Parses the file's text.
    pub fn parse(text: &str) -> Ignore {
        let mut patterns = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exception, pat) = match line.strip_prefix('!') {
                Some(p) => (true, p.trim()),
                None => (false, line),
            };
            let segments: Vec<String> = pat
                .split('/')
                .filter(|s| !s.is_empty() && *s != ".")
                .map(str::to_string)
                .collect();
            if segments.is_empty() {
                continue;
            }
            patterns.push(Pattern {
                exception,
                segments,
            });
        }
        Ignore { patterns }
    }

    /// Whether `rel` (a path relative to the context, `/`-separated) is excluded.
    pub fn excluded(&self, rel: &str) -> bool {
        let parts: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
        if parts.is_empty() {
            return false;
        }
        let mut excluded = false;
        for p in &self.patterns {
            // A pattern matches the path or any directory above it.
            let hit = (1..=parts.len()).any(|n| match_segments(&p.segments, &parts[..n]));
            if hit {
                excluded = !p.exception;
            }
        }
        excluded
    }

    /// Whether any exception could re-include something below the excluded directory
    /// `rel` (so a walk must still look inside it).
    pub fn may_reinclude_below(&self, rel: &str) -> bool {
        let depth = rel.split('/').filter(|s| !s.is_empty()).count();
        self.patterns.iter().any(|p| {
            p.exception && (p.segments.len() > depth || p.segments.iter().any(|s| s == "**"))
        })
    }
}

/// Matches pattern segments against path segments; `**` takes any number of segments.
pub fn match_segments(pat: &[String], path: &[&str]) -> bool {
    match pat.first() {
        None => path.is_empty(),
        Some(s) if s == "**" => (0..=path.len()).any(|i| match_segments(&pat[1..], &path[i..])),
        Some(s) => {
            !path.is_empty()
                && fnmatch(s.as_bytes(), path[0].as_bytes())
                && match_segments(&pat[1..], &path[1..])
        }
    }
}

/// Go's `filepath.Match` for one segment: `*`, `?`, `[...]` (with `^`/`!` negation and
/// ranges) and `\` escapes.
pub fn fnmatch(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|i| fnmatch(&p[1..], &s[i..])),
        Some(b'?') => !s.is_empty() && fnmatch(&p[1..], &s[1..]),
        Some(b'[') => {
            let Some(&c) = s.first() else { return false };
            let mut i = 1;
            let negate = matches!(p.get(1), Some(b'^') | Some(b'!'));
            if negate {
                i += 1;
            }
            let mut matched = false;
            let mut first = true;
            while i < p.len() && (p[i] != b']' || first) {
                first = false;
                let mut lo = p[i];
                if lo == b'\\' && i + 1 < p.len() {
                    i += 1;
                    lo = p[i];
                }
                let mut hi = lo;
                if p.get(i + 1) == Some(&b'-') && p.get(i + 2).is_some_and(|&b| b != b']') {
                    hi = p[i + 2];
                    i += 2;
                }
                if lo <= c && c <= hi {
                    matched = true;
                }
                i += 1;
            }
            if i >= p.len() {
                return false; // unterminated class: Go reports an error; match nothing
            }
            matched != negate && fnmatch(&p[i + 1..], &s[1..])
        }
        Some(b'\\') if p.len() > 1 => !s.is_empty() && s[0] == p[1] && fnmatch(&p[2..], &s[1..]),
        Some(&c) => !s.is_empty() && s[0] == c && fnmatch(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_semantics() {
        let ig = Ignore::parse(
            "# comment\n*.log\n!keep.log\nbuild/\n**/*.tmp\n/secret\ndocs/*.md\n!docs/README.md\n",
        );
        assert!(ig.excluded("a.log"));
        assert!(!ig.excluded("keep.log"));
        assert!(
            !ig.excluded("sub/a.log"),
            "no slash still means the root only"
        );
        assert!(ig.excluded("build"));
        assert!(ig.excluded("build/out/x"), "below an excluded directory");
        assert!(ig.excluded("x.tmp"));
        assert!(ig.excluded("deep/down/x.tmp"));
        assert!(ig.excluded("secret"));
        assert!(ig.excluded("docs/a.md"));
        assert!(!ig.excluded("docs/README.md"));
        assert!(!ig.excluded("src/main.rs"));
        assert!(ig.may_reinclude_below("docs"));
    }

    #[test]
    fn segment_globs() {
        assert!(fnmatch(b"a?c", b"abc"));
        assert!(fnmatch(b"[a-c]x", b"bx"));
        assert!(!fnmatch(b"[^a-c]x", b"bx"));
        assert!(fnmatch(b"\\*", b"*"));
        assert!(!fnmatch(b"\\*", b"a"));
        assert!(fnmatch(b"*.rs", b"main.rs"));
        assert!(!fnmatch(b"*.rs", b"main.rsx"));
    }
}
