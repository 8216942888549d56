//! Property test of layer unpacking: tars of hostile entries (`..`, absolute and climbing
//! symlinks, hard links through planted symlinks, whiteouts of anything) never create,
//! change or link anything outside the layer directory (`fuzzing::layer_unpack` checks).

use proptest::prelude::*;

/// One tar entry: its type flag, path and link target.
#[derive(Debug, Clone)]
struct Entry {
    kind: u8,
    path: String,
    link: String,
}

fn path() -> impl Strategy<Value = String> {
    let comp = prop::sample::select(vec![
        "a",
        "b",
        "..",
        ".",
        "",
        ".wh.a",
        ".wh..wh..opq",
        ".wh...",
        ".wh.",
        "outside",
        "sentinel",
        "root",
    ]);
    (any::<bool>(), prop::collection::vec(comp, 1..5)).prop_map(|(abs, comps)| {
        let p = comps.join("/");
        if abs { format!("/{p}") } else { p }
    })
}

fn entry() -> impl Strategy<Value = Entry> {
    // Regular file, hard link, symlink, directory, fifo, char device.
    let kind = prop::sample::select(vec![b'0', b'1', b'2', b'5', b'6', b'3']);
    (kind, path(), path()).prop_map(|(kind, path, link)| Entry { kind, path, link })
}

/// A tar of `entries`, names written into the header as they are (`tar::Builder` would
/// refuse `..`, which is the point here).
fn tar_of(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let mut h = tar::Header::new_old();
        let old = h.as_old_mut();
        let n = e.path.len().min(99);
        old.name[..n].copy_from_slice(&e.path.as_bytes()[..n]);
        let n = e.link.len().min(99);
        old.linkname[..n].copy_from_slice(&e.link.as_bytes()[..n]);
        old.linkflag[0] = e.kind;
        let body: &[u8] = if e.kind == b'0' { b"escaped\n" } else { b"" };
        h.set_mode(0o644);
        h.set_size(body.len() as u64);
        h.set_cksum();
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(body);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::engine::fuzzing::cases(128)))]
    #[test]
    fn nothing_lands_outside_the_layer(entries in prop::collection::vec(entry(), 1..8)) {
        crate::engine::fuzzing::layer_unpack(&tar_of(&entries));
    }

    #[test]
    fn cleaned_paths_stay_below_the_root(raw in prop::collection::vec(any::<u8>(), 0..64)) {
        crate::engine::fuzzing::layer_path(&raw);
    }

    #[test]
    fn cleaned_hostile_paths_stay_below_the_root(p in path()) {
        crate::engine::fuzzing::layer_path(p.as_bytes());
    }
}
