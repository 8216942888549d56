//! An image's file tree per layer, as dive shows it: what each layer added, changed and
//! removed, which file versions are visible after any layer, and the space wasted by file
//! versions that later layers overwrite or remove.
//!
//! Computed from the unpacked layer directories (overlay format: a 0/0 character device
//! is a whiteout, `trusted.overlay.opaque=y` marks an opaque directory; the OCI `.wh.`
//! names are understood too) by a background task, never while drawing. Symlinks are
//! never followed.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// What a layer did to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// The path did not exist below.
    Added,
    /// The path existed below and this layer replaced it.
    Changed,
    /// This layer deleted the path (a whiteout, or an opaque directory hiding it).
    Removed,
}

/// One change of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Path inside the image (relative, no leading `/`).
    pub path: PathBuf,
    /// Added, changed or removed.
    pub kind: ChangeKind,
    /// Bytes the layer stores for it (for a removal: the bytes it hides).
    pub size: u64,
    /// Whether it is a directory.
    pub dir: bool,
}

/// One version of a path: put there by `layer`, hidden again by `gone_at` (if ever).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Path inside the image.
    pub path: PathBuf,
    /// Size in bytes (0 for directories).
    pub size: u64,
    /// Whether it is a directory.
    pub dir: bool,
    /// The layer (bottom first) that put it there.
    pub layer: usize,
    /// The layer that overwrote or removed it.
    pub gone_at: Option<usize>,
}

impl Version {
    /// Whether this version is what a container sees with layers `0..=top`.
    pub fn visible_at(&self, top: usize) -> bool {
        self.layer <= top && self.gone_at.is_none_or(|g| g > top)
    }
}

/// The whole analysis of one image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerTree {
    /// Changes of each layer, bottom first, in tree order.
    pub changes: Vec<Vec<Change>>,
    /// Every version of every path, in tree order (then by layer).
    pub versions: Vec<Version>,
    /// Bytes of file versions overwritten or removed by a later layer.
    pub wasted: u64,
    /// How many file versions that is.
    pub wasted_files: usize,
    /// Per layer: bytes of its files that later layers overwrite or remove.
    pub layer_wasted: Vec<u64>,
}

/// What a directory entry of a layer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    File(u64),
    Dir { opaque: bool },
    Whiteout,
}

/// Analyses the layer directories `dirs` (bottom first).
pub fn compute(dirs: &[PathBuf]) -> Result<LayerTree, String> {
    let mut tree = LayerTree {
        layer_wasted: vec![0; dirs.len()],
        ..LayerTree::default()
    };
    // Live versions by path: index into `versions`.
    let mut live: BTreeMap<PathBuf, usize> = BTreeMap::new();
    let mut versions: Vec<Version> = Vec::new();
    for (layer, dir) in dirs.iter().enumerate() {
        let mut entries = BTreeMap::new();
        scan(dir, Path::new(""), &mut entries)?;
        let mut changes = Vec::new();
        for (path, node) in &entries {
            if let Node::Dir { opaque: true } = node {
                // An opaque directory hides what lower layers had inside it.
                let below: Vec<PathBuf> = descendants(&live, path)
                    .filter(|p| !entries.contains_key(p))
                    .collect();
                for p in below {
                    let hidden = bury(&mut tree, &mut live, &mut versions, &p, layer, false);
                    if let Some((size, dir)) = hidden {
                        changes.push(change(&p, ChangeKind::Removed, size, dir));
                    }
                }
            }
            match node {
                Node::Whiteout => {
                    if let Some((size, dir)) =
                        bury(&mut tree, &mut live, &mut versions, path, layer, true)
                    {
                        changes.push(change(path, ChangeKind::Removed, size, dir));
                    }
                }
                Node::File(_) | Node::Dir { .. } => {
                    let (size, dir) = match node {
                        Node::File(s) => (*s, false),
                        _ => (0, true),
                    };
                    let existed = live.get(path).map(|&i| versions[i].dir);
                    match existed {
                        // A directory seen again only holds changes below it.
                        Some(true) if dir => continue,
                        Some(was_dir) => {
                            bury(&mut tree, &mut live, &mut versions, path, layer, was_dir);
                            changes.push(change(path, ChangeKind::Changed, size, dir));
                        }
                        None => changes.push(change(path, ChangeKind::Added, size, dir)),
                    }
                    live.insert(path.clone(), versions.len());
                    versions.push(Version {
                        path: path.clone(),
                        size,
                        dir,
                        layer,
                        gone_at: None,
                    });
                }
            }
        }
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        tree.changes.push(changes);
    }
    versions.sort_by(|a, b| a.path.cmp(&b.path).then(a.layer.cmp(&b.layer)));
    tree.versions = versions;
    Ok(tree)
}

fn change(path: &Path, kind: ChangeKind, size: u64, dir: bool) -> Change {
    Change {
        path: path.to_path_buf(),
        kind,
        size,
        dir,
    }
}

/// Live paths strictly below `dir` (contiguous after it: paths order by components).
fn descendants<'a>(
    live: &'a BTreeMap<PathBuf, usize>,
    dir: &'a Path,
) -> impl Iterator<Item = PathBuf> + 'a {
    use std::ops::Bound::{Excluded, Unbounded};
    live.range::<Path, _>((Excluded(dir), Unbounded))
        .map(|(p, _)| p)
        .take_while(move |p| p.starts_with(dir))
        .cloned()
}

/// Hides the live version of `path` (and, with `subtree`, everything below it) at
/// `layer`, counting the hidden file bytes as wasted. Returns the bytes hidden and whether
/// `path` was a directory, or `None` when nothing lived there.
fn bury(
    tree: &mut LayerTree,
    live: &mut BTreeMap<PathBuf, usize>,
    versions: &mut [Version],
    path: &Path,
    layer: usize,
    subtree: bool,
) -> Option<(u64, bool)> {
    let top = *live.get(path)?;
    let mut gone = vec![path.to_path_buf()];
    if subtree {
        gone.extend(descendants(live, path));
    }
    let mut bytes = 0;
    for p in gone {
        if let Some(i) = live.remove(&p) {
            let v = &mut versions[i];
            v.gone_at = Some(layer);
            if !v.dir {
                bytes += v.size;
                tree.wasted += v.size;
                tree.wasted_files += 1;
                tree.layer_wasted[v.layer] += v.size;
            }
        }
    }
    Some((bytes, versions[top].dir))
}

/// Reads one layer directory recursively into `out` (relative path -> node).
fn scan(root: &Path, rel: &Path, out: &mut BTreeMap<PathBuf, Node>) -> Result<(), String> {
    let dir = root.join(rel);
    let read = fs::read_dir(&dir).map_err(|e| format!("cannot read '{}': {e}", dir.display()))?;
    for entry in read {
        let entry = entry.map_err(|e| format!("cannot read '{}': {e}", dir.display()))?;
        let name = entry.file_name();
        let path = rel.join(&name);
        let full = root.join(&path);
        let md = fs::symlink_metadata(&full)
            .map_err(|e| format!("cannot read '{}': {e}", full.display()))?;
        let name = name.to_string_lossy();
        if name == ".wh..wh..opq" {
            out.insert(rel.to_path_buf(), Node::Dir { opaque: true });
            continue;
        }
        if let Some(hidden) = name.strip_prefix(".wh.") {
            out.insert(rel.join(hidden), Node::Whiteout);
            continue;
        }
        let ft = md.file_type();
        if ft.is_char_device() && md.rdev() == 0 {
            out.insert(path, Node::Whiteout);
        } else if ft.is_dir() {
            let opaque = is_opaque(&full);
            let slot = out.entry(path.clone()).or_insert(Node::Dir { opaque });
            if opaque {
                *slot = Node::Dir { opaque };
            }
            scan(root, &path, out)?;
        } else {
            out.insert(path, Node::File(md.len()));
        }
    }
    Ok(())
}

/// Whether `dir` carries `trusted.overlay.opaque=y`.
fn is_opaque(dir: &Path) -> bool {
    let Ok(p) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    let mut buf = [0u8; 4];
    // SAFETY: both strings are NUL-terminated and the buffer has the length passed.
    let n = unsafe {
        libc::lgetxattr(
            p.as_ptr(),
            c"trusted.overlay.opaque".as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    n == 1 && buf[0] == b'y'
}
