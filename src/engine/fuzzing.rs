//! Entry points for the fuzz targets (`fuzz/`, the `fuzzing` feature) and the property
//! tests beside each module: one function per input format, taking raw bytes. Each runs
//! the engine's own parser on them and asserts what must hold for any input (beyond "does
//! not panic"); a violated property panics, which is what a fuzzer reports.
//!
//! Compiled for tests too, so the entry points keep compiling with the code they call.

use crate::engine::build::{instruction, words};
use crate::engine::image::reference::{Reference, RemoteReference};
use crate::engine::image::unpack;
use crate::engine::network::dns;
use crate::engine::observe::{jsonfile, logs};
use hickory_proto::op::{Message, MessageType};
use hickory_proto::rr::RecordType;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A Dockerfile: lexer and parser, then word splitting and variable expansion of every
/// instruction's arguments. Instructions come in file order with valid line numbers.
pub fn dockerfile(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(df) = instruction::parse(src, "Dockerfile") else {
        return;
    };
    let lines = src.split('\n').count();
    let vars: BTreeMap<String, String> = [("A", "1"), ("EMPTY", ""), ("P", "/usr/bin")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut last = 0;
    for ins in &df.instructions {
        assert!(
            ins.line > last && ins.line <= lines,
            "line {} after {last} of {lines}",
            ins.line
        );
        last = ins.line;
        assert_eq!(ins.keyword, ins.keyword.to_ascii_uppercase());
        if let Ok(ws) = words::split(&ins.args, df.escape) {
            for w in ws {
                let _ = words::expand(&w, &vars, df.escape);
            }
        }
    }
}

/// An image reference (`NAME[:TAG]`, `NAME[:TAG]@sha256:...`). A parsed reference formats
/// to text that parses back to an equal reference, and so does its full name.
pub fn reference(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(r) = Reference::parse(s) {
        let again = Reference::parse(&r.to_string()).expect("a formatted reference parses");
        assert_eq!(again, r, "'{s}' formats as '{r}'");
        let full = format!("{}:{}", r.full_name(), r.tag);
        let from_full = Reference::parse(&full).expect("a full name parses");
        assert_eq!(from_full, r, "'{s}' has the full name '{full}'");
        assert_eq!(format!("{}/{}", r.domain(), r.path()), r.full_name());
    }
    if let Ok(rr) = RemoteReference::parse(s) {
        let text = rr.to_string();
        let again = RemoteReference::parse(&text).expect("a formatted reference parses");
        assert_eq!(again.digest, rr.digest, "'{s}' formats as '{text}'");
        assert_eq!(again.reference.name, rr.reference.name, "'{s}' -> '{text}'");
        if rr.explicit_tag || rr.digest.is_none() {
            assert_eq!(again.reference, rr.reference, "'{s}' -> '{text}'");
        }
    }
}

/// A tar entry path as a layer names it: the cleaned components never climb out of the
/// layer (no `..`, no empty or `.` component, no `/` inside one).
pub fn layer_path(data: &[u8]) {
    let Ok(comps) = unpack::clean_path(data) else {
        return;
    };
    for c in comps {
        let b = c.as_encoded_bytes();
        assert!(
            !b.is_empty() && b != b"." && b != b".." && !b.contains(&b'/'),
            "{:?} cleans to the component {c:?}",
            String::from_utf8_lossy(data)
        );
    }
}

/// A layer tar, unpacked into a fresh directory: whatever the entries ask (`..`, absolute
/// symlinks, hardlinks to planted symlinks, whiteouts), nothing is created, changed or
/// linked outside that directory.
pub fn layer_unpack(data: &[u8]) {
    let scratch = Scratch::new();
    let _ = unpack::unpack(data, &scratch.root);
    scratch.assert_confined();
}

/// A DNS message as the embedded server receives it, over UDP and TCP, answered by a
/// resolver that knows every name (a few addresses, up to dozens for long names). Every
/// reply parses back with the query's id; a UDP reply over the client's size is truncated.
pub fn dns(data: &[u8]) {
    let mut resolve = |name: &str, _: RecordType| -> Vec<Ipv4Addr> {
        (0..name.len() % 48)
            .map(|i| Ipv4Addr::new(10, 0, 0, i as u8))
            .collect()
    };
    for tcp in [false, true] {
        let reply = if tcp {
            dns::answer_tcp(data, &mut resolve)
        } else {
            dns::answer(data, &mut resolve)
        };
        let dns::Reply::Answer(bytes) = reply else {
            continue;
        };
        let q = Message::from_vec(data).expect("an answered query parses");
        let r = Message::from_vec(&bytes).expect("a reply parses back");
        assert_eq!(r.metadata.id, q.metadata.id);
        assert_eq!(r.metadata.message_type, MessageType::Response);
        if !tcp && bytes.len() > usize::from(q.max_payload()) {
            assert!(r.metadata.truncation, "a {} byte UDP reply", bytes.len());
        }
    }
    if let Some(bytes) = dns::error_reply(data, hickory_proto::op::ResponseCode::ServFail) {
        let r = Message::from_vec(&bytes).expect("an error reply parses back");
        let q = Message::from_vec(data).expect("a query with an error reply parses");
        assert_eq!(r.metadata.id, q.metadata.id);
    }
}

/// One json-file log line: the fast reader accepts only lines serde_json reads the same way.
pub fn json_log(data: &[u8]) {
    let mut scratch = String::new();
    let Some(fast) = jsonfile::parse(data, &mut scratch) else {
        return;
    };
    let line = data.strip_suffix(b"\n").unwrap_or(data);
    let slow = logs::parse_line(line).unwrap_or_else(|| {
        panic!(
            "the fast reader accepts what serde_json refuses: {:?}",
            String::from_utf8_lossy(data)
        )
    });
    assert_eq!(
        (fast.text, fast.time, fast.stream),
        (slow.text.as_str(), slow.time.as_str(), slow.stream),
        "{:?}",
        String::from_utf8_lossy(data)
    );
}

/// A scratch directory for one unpack: `root` (the layer) beside `outside` (a file that
/// must stay as it is); removed on drop.
struct Scratch {
    base: PathBuf,
    root: PathBuf,
    sentinel: PathBuf,
    /// The sentinel's mode, owner and group when it was written.
    owner: (u32, u32, u32),
}

const SENTINEL: &[u8] = b"untouched\n";

impl Scratch {
    fn new() -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let base = std::env::temp_dir().join(format!("berth-fuzz-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("root");
        let outside = base.join("outside");
        std::fs::create_dir_all(&root).expect("create the scratch root");
        std::fs::create_dir_all(&outside).expect("create the outside dir");
        let sentinel = outside.join("sentinel");
        std::fs::write(&sentinel, SENTINEL).expect("write the sentinel");
        let meta = std::fs::metadata(&sentinel).expect("stat the sentinel");
        Scratch {
            base,
            root,
            sentinel,
            owner: (meta.mode(), meta.uid(), meta.gid()),
        }
    }

    /// Panics if anything beside `root` appeared or the sentinel changed (content, mode,
    /// owner, or a new hard link to it).
    fn assert_confined(&self) {
        let names = |dir: &Path| -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(dir)
                .expect("list the scratch dir")
                .map(|e| {
                    e.expect("a dir entry")
                        .file_name()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(&self.base), ["outside", "root"], "next to the layer");
        let outside = self.sentinel.parent().expect("the outside dir");
        assert_eq!(names(outside), ["sentinel"], "in the outside dir");
        let meta = std::fs::symlink_metadata(&self.sentinel).expect("stat the sentinel");
        assert!(meta.is_file());
        assert_eq!(meta.nlink(), 1, "a hard link to the sentinel");
        assert_eq!(
            (meta.mode(), meta.uid(), meta.gid()),
            self.owner,
            "the sentinel's mode and owner"
        );
        let content = std::fs::read(&self.sentinel).expect("read the sentinel");
        assert_eq!(content, SENTINEL, "the sentinel's content");
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

/// The property tests' case count: `default` (small enough for CI), or `PROPTEST_CASES`
/// from the environment when set, for a longer run by hand.
#[cfg(test)]
pub(crate) fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
