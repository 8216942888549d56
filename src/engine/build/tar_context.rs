//! A build context sent as a tar archive (`build - < context.tar`, plain, gzip or zstd):
//! unpacked into the state root's scratch space for the build and removed afterwards. The
//! `tar` crate's `unpack_in` keeps every entry inside the directory (`..`, absolute paths and
//! writes through symlinks are refused); only files, directories and links are unpacked.

use crate::engine::Engine;
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::image::layers::decompress;
use std::io::Read;
use std::path::{Path, PathBuf};

/// An unpacked context; dropping it removes it.
#[derive(Debug)]
pub struct TarContext {
    dir: PathBuf,
}

impl TarContext {
    /// The context directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for TarContext {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether `data` starts like a tar archive (or a gzip or zstd stream, as Docker accepts).
/// A free function, not an `Engine` method: a pure function of the bytes a front end read.
pub fn looks_like_tar(data: &[u8]) -> bool {
    data.starts_with(&[0x1f, 0x8b])
        || data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd])
        || data.get(257..262) == Some(b"ustar".as_slice())
}

impl Engine {
    /// Unpacks a context archive for a build.
    pub fn unpack_build_context(&self, data: &[u8]) -> Result<TarContext> {
        self.unpack_build_context_from(data)
    }

    /// Unpacks a context archive read from `input` as it streams (an API client's request
    /// body), so the archive is never held in memory. A read error (a client that went
    /// away, a body over its limit) is an error and nothing of the context is left.
    pub fn unpack_build_context_from(&self, input: impl Read) -> Result<TarContext> {
        let dir = self.paths().scratch("build-context");
        std::fs::create_dir_all(&dir).at(&dir)?;
        let ctx = TarContext { dir };
        let bad =
            |e: std::io::Error| EngineError::Invalid(format!("invalid build context archive: {e}"));
        let mut archive = tar::Archive::new(decompress(input)?);
        archive.set_preserve_permissions(true);
        for entry in archive.entries().map_err(bad)? {
            let mut entry = entry.map_err(bad)?;
            // Files, directories and links only: device nodes and fifos have no place in a
            // context. `unpack_in` skips entries that would land outside the directory.
            use tar::EntryType::*;
            if matches!(
                entry.header().entry_type(),
                Regular | Continuous | Directory | Symlink | Link
            ) {
                entry.unpack_in(&ctx.dir).map_err(bad)?;
            }
        }
        Ok(ctx)
    }
}
