//! Keeping an idle shim small: once the shim has had nothing to do for a moment (its poll
//! loop waited half a second), its code and read-only data pages (mapped from the berth
//! binary and libc, MBs because the kernel maps 64 KiB or more around every page fault) are
//! dropped from its resident set. They stay in the page cache, shared with every other
//! berth process, and fault back in when the shim next runs them;
//! what stays resident is the shim's own memory (heap, stack, relocated data).

use std::io::BufRead;

/// One mapping of `/proc/self/smaps`.
struct Mapping {
    start: usize,
    end: usize,
    /// Private, read-only, backed by a file.
    clean_candidate: bool,
    /// Pages copied on write (relocations): these hold data the file does not.
    anonymous_kb: u64,
}

/// The mappings [`drop_clean_file_pages`] emptied, to empty again after a short burst
/// of work (the shim's once-a-second CPU sample) without reading `/proc/self/smaps` again.
#[derive(Debug, Default)]
pub struct CleanPages(Vec<(usize, usize)>);

impl CleanPages {
    /// Drops the pages of the same mappings again (one `madvise` each).
    pub fn drop_again(&self) {
        for &(start, end) in &self.0 {
            dont_need(start, end);
        }
    }
}

fn dont_need(start: usize, end: usize) {
    // SAFETY: the range is a whole private, read-only file mapping of this process with no
    // anonymous (written) page, so dropping its pages loses nothing: they are read back
    // from the same file on the next access.
    unsafe {
        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
    }
}

/// Drops the clean file-backed pages of this process from its resident set
/// (`madvise(MADV_DONTNEED)` on every private read-only file mapping none of whose pages
/// was ever written); returns those mappings. Best effort: any failure leaves the pages
/// where they are.
pub fn drop_clean_file_pages() -> CleanPages {
    let Ok(file) = std::fs::File::open("/proc/self/smaps") else {
        return CleanPages::default();
    };
    let mut maps: Vec<Mapping> = Vec::new();
    for line in std::io::BufReader::new(file).lines().map_while(Result::ok) {
        if let Some(m) = parse_header(&line) {
            maps.push(m);
        } else if let (Some(kb), Some(m)) = (line.strip_prefix("Anonymous:"), maps.last_mut()) {
            m.anonymous_kb = kb.trim().trim_end_matches("kB").trim().parse().unwrap_or(1);
        }
    }
    let clean: Vec<(usize, usize)> = maps
        .iter()
        .filter(|m| m.clean_candidate && m.anonymous_kb == 0)
        .map(|m| (m.start, m.end))
        .collect();
    for &(start, end) in &clean {
        dont_need(start, end);
    }
    CleanPages(clean)
}

/// `start-end perms offset dev inode path` -> the mapping, for header lines only.
fn parse_header(line: &str) -> Option<Mapping> {
    let mut fields = line.split_whitespace();
    let (start, end) = fields.next()?.split_once('-')?;
    let start = usize::from_str_radix(start, 16).ok()?;
    let end = usize::from_str_radix(end, 16).ok()?;
    let perms = fields.next()?;
    if perms.len() != 4 {
        return None;
    }
    let path = fields.nth(3).unwrap_or("");
    let p = perms.as_bytes();
    Some(Mapping {
        start,
        end,
        clean_candidate: p[0] == b'r' && p[1] == b'-' && p[3] == b'p' && path.starts_with('/'),
        anonymous_kb: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_candidates() {
        let text =
            parse_header("5619cd290000-5619cdc42000 r-xp 0034f000 fe:00 5728934    /usr/bin/berth")
                .expect("header");
        assert_eq!(text.start, 0x5619cd290000);
        assert!(text.clean_candidate);
        let data = parse_header("5619cdc95000-5619cdc98000 rw-p 00d52000 fe:00 5728934 /x")
            .expect("header");
        assert!(!data.clean_candidate);
        let anon = parse_header("7ffd735c4000-7ffd735e5000 rw-p 00000000 00:00 0 [stack]")
            .expect("header");
        assert!(!anon.clean_candidate);
        let vdso =
            parse_header("7fc0106a8000-7fc0106aa000 r-xp 00000000 00:00 0 [vdso]").expect("h");
        assert!(!vdso.clean_candidate);
        assert!(parse_header("Rss:                4724 kB").is_none());
        assert!(parse_header("VmFlags: rd ex mr mw me").is_none());
    }
}
