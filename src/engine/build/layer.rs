//! Making a layer: a tar written into a blob as it is built, then unpacked (with the image
//! unpacker's path checks) into staging, and both stored under the index lock. A RUN's
//! layer is its container's read-write upper directory, overlay whiteouts turned back
//! into OCI ones (`.wh.NAME`, `.wh..wh..opq`).

use super::state::{ImageState, LAYER_TAR, LayerRef};
use crate::engine::Engine;
use crate::engine::build::BuildFault;
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::image::blobs::BlobWriter;
use crate::engine::image::index::Index;
use crate::engine::image::layers::{StagedLayer, chain_ids};
use crate::engine::image::unpack::{OPAQUE_MARKER, WHITEOUT_PREFIX};
use std::fs;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

/// A new layer: what it is and the size of its files.
#[derive(Debug, Clone)]
pub struct Made {
    /// The layer as the manifest lists it.
    pub layer: LayerRef,
    /// Bytes of its unpacked files.
    pub size: u64,
}

/// A layer tar being written straight into the content store's staging.
pub struct LayerBuilder {
    tar: tar::Builder<BlobWriter>,
}

fn tar_err(e: std::io::Error) -> EngineError {
    BuildFault::LayerWrite(e).into()
}

impl LayerBuilder {
    /// Starts an empty layer.
    pub fn new(engine: &Engine) -> Result<LayerBuilder> {
        let mut tar = tar::Builder::new(engine.blobs().writer()?);
        tar.follow_symlinks(false);
        tar.mode(tar::HeaderMode::Complete);
        Ok(LayerBuilder { tar })
    }

    /// The tar being written.
    pub fn tar(&mut self) -> &mut tar::Builder<BlobWriter> {
        &mut self.tar
    }

    /// Finishes the tar, unpacks and stores it as the layer above `parent`'s.
    pub fn finish(self, engine: &Engine, parent: &ImageState) -> Result<Made> {
        let mut blob = self.tar.into_inner().map_err(tar_err)?;
        blob.flush().map_err(tar_err)?;
        let tmp = blob.tmp_path().to_path_buf();
        let file = fs::File::open(&tmp).at(&tmp)?;
        let mut staged = StagedLayer::unpack(engine.paths(), std::io::BufReader::new(file))?;
        let diff_id = blob.digest();
        staged.diff_id = diff_id.clone();
        let size = staged.size;
        let mut diffs: Vec<String> = parent.layers.iter().map(|l| l.diff_id.clone()).collect();
        diffs.push(diff_id.clone());
        let chain = chain_ids(&diffs).pop().unwrap_or_default();
        let _lock = Index::lock(engine.paths())?;
        let (digest, blob_size) = blob.commit(None)?;
        staged.commit(engine.paths(), &chain)?;
        Ok(Made {
            layer: LayerRef {
                diff_id,
                digest,
                size: blob_size,
                media_type: LAYER_TAR.into(),
            },
            size,
        })
    }
}

/// Appends the changes in overlay upper directory `upper` to `tar`.
pub fn append_upper(tar: &mut tar::Builder<BlobWriter>, upper: &Path) -> Result<()> {
    walk(tar, upper, Path::new(""))
}

fn walk(tar: &mut tar::Builder<BlobWriter>, dir: &Path, rel: &Path) -> Result<()> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .at(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<std::io::Result<_>>()
        .at(dir)?;
    names.sort();
    for name in names {
        let host = dir.join(&name);
        let r = rel.join(&name);
        let meta = fs::symlink_metadata(&host).at(&host)?;
        if meta.file_type().is_char_device() && meta.rdev() == 0 {
            let wh = rel.join(format!("{WHITEOUT_PREFIX}{}", name.to_string_lossy()));
            empty_file(tar, &wh, &meta)?;
            continue;
        }
        tar.append_path_with_name(&host, &r)
            .map_err(|e| EngineError::io(&host, e))?;
        if meta.is_dir() {
            if is_opaque(&host) {
                empty_file(tar, &r.join(OPAQUE_MARKER), &meta)?;
            }
            walk(tar, &host, &r)?;
        }
    }
    Ok(())
}

fn empty_file(tar: &mut tar::Builder<BlobWriter>, name: &Path, meta: &fs::Metadata) -> Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_size(0);
    h.set_mode(0o644);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(meta.mtime().max(0) as u64);
    tar.append_data(&mut h, name, std::io::empty())
        .map_err(tar_err)
}

fn is_opaque(dir: &Path) -> bool {
    let Ok(p) = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    let mut buf = [0u8; 4];
    // SAFETY: valid NUL-terminated strings and a buffer of the given length.
    let len = unsafe {
        libc::lgetxattr(
            p.as_ptr(),
            c"trusted.overlay.opaque".as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    len == 1 && buf[0] == b'y'
}
