//! Short names for layers, as Docker's overlay2 has them: `l/<short>` is a symlink to
//! `../layers/<chain-id>/diff`, and `layers/<chain-id>/link` holds `<short>`. The overlay
//! mount is made from `l/` with these relative names, so the lower dirs of an image of
//! [`MAX_LAYERS`] layers fit the one page the kernel takes for mount options (full paths
//! overflow it past about 44 layers).
//!
//! The stack of an image also ends at its topmost layer with an opaque marker at its root
//! (`root-opaque` beside `diff/`): overlayfs ignores opaque on a layer's root, so the layers
//! below are left out of the mount instead.

use super::ImageError;
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::store::Paths;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The marker file beside `diff/` of a layer whose root is opaque.
pub const ROOT_OPAQUE_FILE: &str = "root-opaque";
/// The file beside `diff/` holding the layer's short name.
const LINK_FILE: &str = "link";
/// Characters of a short name (80 random bits): 125 of them fit a page with room to spare.
const SHORT_LEN: usize = 20;
/// The most layers an image may have, Docker's limit (its overlay2 driver's too).
pub const MAX_LAYERS: usize = 125;

/// `l/`, beside `layers/` (which holds only layers, by chain id).
pub fn links_dir(paths: &Paths) -> PathBuf {
    paths.layer_links()
}

fn valid_short(name: &str) -> bool {
    name.len() == SHORT_LEN && name.bytes().all(|b| b.is_ascii_hexdigit())
}

fn read_short(layer: &Path) -> Option<String> {
    let name = fs::read_to_string(layer.join(LINK_FILE)).ok()?;
    let name = name.trim();
    valid_short(name).then(|| name.to_string())
}

/// The short name of layer `chain_id`, made (with its symlink) if it has none yet; a
/// missing symlink is made again. Safe against another process doing the same at once.
pub fn ensure_link(paths: &Paths, chain_id: &str) -> Result<String> {
    let layer = paths.layers().join(chain_id);
    let links = links_dir(paths);
    let target = Path::new("../layers").join(chain_id).join("diff");
    if let Some(name) = read_short(&layer) {
        let link = links.join(&name);
        if fs::symlink_metadata(&link).is_err() {
            fs::create_dir_all(&links).at(&links)?;
            match std::os::unix::fs::symlink(&target, &link) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                    return Err(EngineError::io(link, e));
                }
                _ => {}
            }
        }
        return Ok(name);
    }
    fs::create_dir_all(&links).at(&links)?;
    let (name, link) = loop {
        let name = crate::engine::ids::random_id()[..SHORT_LEN].to_string();
        let link = links.join(&name);
        match std::os::unix::fs::symlink(&target, &link) {
            Ok(()) => break (name, link),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(EngineError::io(link, e)),
        }
    };
    // Published with a hard link, which never replaces: of two racing processes, one wins
    // and the other takes its name and drops its own symlink.
    let tmp = layer.join(format!("{LINK_FILE}.{name}"));
    fs::write(&tmp, &name).at(&tmp)?;
    let published = fs::hard_link(&tmp, layer.join(LINK_FILE));
    let _ = fs::remove_file(&tmp);
    match published {
        Ok(()) => Ok(name),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let _ = fs::remove_file(&link);
            read_short(&layer).ok_or_else(|| {
                ImageError::UnreadableLink {
                    chain_id: chain_id.to_string(),
                }
                .into()
            })
        }
        Err(e) => {
            let _ = fs::remove_file(&link);
            Err(EngineError::io(layer.join(LINK_FILE), e))
        }
    }
}

/// Removes the short link of layer `chain_id` (before its directory is deleted).
pub fn remove_link(paths: &Paths, chain_id: &str) {
    if let Some(name) = read_short(&paths.layers().join(chain_id)) {
        let _ = fs::remove_file(links_dir(paths).join(name));
    }
}

/// The layers of `chains` (bottom first) that a container sees: from the topmost one whose
/// root is opaque (if any) up.
pub fn visible<'a>(paths: &Paths, chains: &'a [String]) -> &'a [String] {
    let from = chains
        .iter()
        .rposition(|c| paths.layers().join(c).join(ROOT_OPAQUE_FILE).exists())
        .unwrap_or(0);
    &chains[from..]
}

/// The overlay lower dirs of an image of `chains` (bottom first), as names relative to
/// [`links_dir`] (the mount is made from there), with the root-opaque cut applied.
pub fn lower_dirs(paths: &Paths, chains: &[String]) -> Result<Vec<PathBuf>> {
    let shown = visible(paths, chains);
    if shown.len() > MAX_LAYERS {
        return Err(too_many_layers(shown.len()));
    }
    // The mount is made from there even for an image without layers.
    let links = links_dir(paths);
    fs::create_dir_all(&links).at(&links)?;
    shown
        .iter()
        .map(|c| ensure_link(paths, c).map(PathBuf::from))
        .collect()
}

/// The error for an image of `n` layers.
pub fn too_many_layers(n: usize) -> EngineError {
    EngineError::Invalid(format!(
        "the image has {n} layers, more than berth can mount ({MAX_LAYERS}, as Docker)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_short_stable_and_point_at_the_layer() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(dir.path());
        paths.ensure().expect("ensure");
        let chain = "c".repeat(64);
        fs::create_dir_all(paths.layers().join(&chain).join("diff")).expect("mkdir");
        let a = ensure_link(&paths, &chain).expect("link");
        assert_eq!(a.len(), SHORT_LEN);
        assert_eq!(ensure_link(&paths, &chain).expect("again"), a);
        let link = links_dir(&paths).join(&a);
        assert_eq!(
            fs::canonicalize(&link).expect("resolves"),
            fs::canonicalize(paths.layers().join(&chain).join("diff")).expect("diff")
        );
        fs::remove_file(&link).expect("rm");
        assert_eq!(ensure_link(&paths, &chain).expect("remade"), a);
        assert!(link.exists());
        remove_link(&paths, &chain);
        assert!(!link.exists());
    }

    #[test]
    fn a_root_opaque_layer_hides_the_ones_below() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(dir.path());
        let chains: Vec<String> = ["a", "b", "c"].iter().map(|c| c.repeat(64)).collect();
        for c in &chains {
            fs::create_dir_all(paths.layers().join(c).join("diff")).expect("mkdir");
        }
        assert_eq!(visible(&paths, &chains), &chains[..]);
        fs::write(paths.layers().join(&chains[1]).join(ROOT_OPAQUE_FILE), b"").expect("mark");
        assert_eq!(visible(&paths, &chains), &chains[1..]);
        assert_eq!(lower_dirs(&paths, &chains).expect("lowers").len(), 2);
    }
}
