//! Unpacked layers: `layers/<chain-id>/diff`, shared by every image that has them.
//!
//! A layer is unpacked into a staging directory under `tmp/` and renamed into place only once
//! it is complete and its digest checked, so a half-unpacked layer never appears in `layers/`.

use super::{links, unpack};
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::store::Paths;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

/// The file next to `diff/` holding the layer's size in bytes.
const SIZE_FILE: &str = "size";

/// Chain ids (hex, no prefix) for diff ids (`sha256:<hex>`), bottom first, as OCI defines
/// them: chain(1) = diff(1), chain(n) = sha256(chain(n-1) + " " + diff(n)).
pub fn chain_ids(diff_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(diff_ids.len());
    for d in diff_ids {
        let next = match out.last() {
            None => d.clone(),
            Some(prev) => format!(
                "sha256:{}",
                hex::encode(Sha256::digest(format!("sha256:{prev} {d}").as_bytes()))
            ),
        };
        out.push(next.trim_start_matches("sha256:").to_string());
    }
    out
}

/// Wraps `reader` in the decompressor its first bytes call for (gzip, zstd, or none).
pub fn decompress<'a>(reader: impl Read + 'a) -> Result<Box<dyn Read + 'a>> {
    let mut buf = BufReader::with_capacity(64 * 1024, reader);
    let head = buf
        .fill_buf()
        .map_err(|e| EngineError::Invalid(format!("cannot read layer: {e}")))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(buf)))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let z = zstd::stream::read::Decoder::with_buffer(buf)
            .map_err(|e| EngineError::Invalid(format!("cannot read zstd layer: {e}")))?;
        Ok(Box::new(z))
    } else {
        Ok(Box::new(buf))
    }
}

/// A layer unpacked into staging, not yet visible under `layers/`. Dropping it removes it.
#[derive(Debug)]
pub struct StagedLayer {
    dir: Option<PathBuf>,
    /// `sha256:` digest of the uncompressed tar.
    pub diff_id: String,
    /// Size of its files.
    pub size: u64,
    /// It has an opaque marker at its root: the layers below it are hidden.
    pub root_opaque: bool,
}

impl StagedLayer {
    /// Unpacks the uncompressed tar stream `reader` into a staging dir; `diff_id` is the
    /// digest the caller computed over the same stream (see `finish`).
    pub fn unpack(paths: &Paths, reader: impl Read) -> Result<StagedLayer> {
        let dir = paths.scratch("layer");
        let diff = dir.join("diff");
        fs::create_dir_all(&diff).at(&diff)?;
        let mut staged = StagedLayer {
            dir: Some(dir),
            diff_id: String::new(),
            size: 0,
            root_opaque: false,
        };
        let unpacked = unpack::unpack(reader, &diff)?;
        staged.size = unpacked.size;
        staged.root_opaque = unpacked.root_opaque;
        Ok(staged)
    }

    /// Moves the layer into `layers/<chain_id>/` unless an identical one is already there.
    pub fn commit(mut self, paths: &Paths, chain_id: &str) -> Result<()> {
        let Some(dir) = self.dir.take() else {
            return Ok(());
        };
        let dest = paths.layers().join(chain_id);
        if dest.join("diff").is_dir() {
            let _ = fs::remove_dir_all(&dir);
            return Ok(());
        }
        let size_file = dir.join(SIZE_FILE);
        fs::write(&size_file, self.size.to_string()).at(&size_file)?;
        if self.root_opaque {
            let marker = dir.join(links::ROOT_OPAQUE_FILE);
            fs::write(&marker, b"").at(&marker)?;
        }
        if dest.exists() {
            // A leftover without diff/ (should not happen): replace it.
            fs::remove_dir_all(&dest).at(&dest)?;
        }
        fs::rename(&dir, &dest).at(&dest)?;
        links::ensure_link(paths, chain_id)?;
        Ok(())
    }
}

impl Drop for StagedLayer {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

/// The recorded size of a layer (0 if unknown).
pub fn layer_size(paths: &Paths, chain_id: &str) -> u64 {
    fs::read_to_string(paths.layers().join(chain_id).join(SIZE_FILE))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_ids_follow_the_oci_definition() {
        let d1 = format!("sha256:{}", "a".repeat(64));
        let d2 = format!("sha256:{}", "b".repeat(64));
        let ids = chain_ids(&[d1.clone(), d2.clone()]);
        assert_eq!(ids[0], "a".repeat(64));
        let want = hex::encode(Sha256::digest(format!("{d1} {d2}").as_bytes()));
        assert_eq!(ids[1], want);
        assert_ne!(chain_ids(&[d2, d1])[1], want, "order matters");
    }
}
