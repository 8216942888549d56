//! A build context named by URL (the Engine API's `remote=`, which docker-py and
//! docker-compose send for a build path that is a URL): the file is downloaded into the state
//! root's scratch space (at most [`MAX_REMOTE_CONTEXT`] bytes); a tar archive (plain, gzip
//! or zstd) is unpacked as a context sent in a request would be, and any other file is the
//! Dockerfile, with an empty context, as Docker takes it. Git repositories are refused:
//! berth runs no git.

use super::tar_context::{TarContext, looks_like_tar};
use crate::engine::Engine;
use crate::engine::error::{EngineError, IoContext, Result};
use std::io::{Read, Seek, Write};
use std::path::PathBuf;

/// The largest remote context downloaded (bytes).
pub const MAX_REMOTE_CONTEXT: u64 = 8 << 30;

/// The largest file taken as a Dockerfile (a remote file that is not an archive).
const MAX_DOCKERFILE: u64 = 4 << 20;

/// What a URL gave: a context to build in, or a Dockerfile to build with no context.
#[derive(Debug)]
pub enum RemoteContext {
    /// An archive, unpacked (removed when dropped).
    Archive(TarContext),
    /// The text of a Dockerfile.
    Dockerfile(String),
}

/// Whether `remote` names a git repository, in the forms Docker takes for one.
fn is_git(remote: &str) -> bool {
    let path = remote.split('#').next().unwrap_or(remote);
    remote.starts_with("git://")
        || remote.starts_with("git@")
        || remote.starts_with("github.com/")
        || path.ends_with(".git")
}

/// The downloaded file, removed when dropped.
struct Download {
    path: PathBuf,
    file: std::fs::File,
}

impl Drop for Download {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Engine {
    /// Downloads the build context at `remote` (an `http://` or `https://` URL) and makes
    /// it a context or a Dockerfile (see the module's doc). A failed download, a status
    /// other than success or a file over the limit is an error naming the URL, and nothing
    /// of it is left.
    pub async fn fetch_build_context(&self, remote: &str) -> Result<RemoteContext> {
        if is_git(remote) {
            return Err(EngineError::Invalid(format!(
                "git build contexts are not supported ('{remote}'): clone the repository and \
                 send it as a tar"
            )));
        }
        if !(remote.starts_with("http://") || remote.starts_with("https://")) {
            return Err(EngineError::Invalid(format!(
                "unsupported build context '{remote}': expected an http:// or https:// URL"
            )));
        }
        let failed = |why: String| {
            EngineError::Invalid(format!(
                "cannot download the build context '{remote}': {why}"
            ))
        };
        // A plain client: the registries' TLS settings are for registries, not for this.
        let client = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| failed(e.to_string()))?;
        let mut resp = client
            .get(remote)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        if !resp.status().is_success() {
            return Err(failed(format!("the server answered {}", resp.status())));
        }
        if resp
            .content_length()
            .is_some_and(|n| n > MAX_REMOTE_CONTEXT)
        {
            return Err(failed(format!(
                "it is larger than the limit of {} MiB",
                MAX_REMOTE_CONTEXT >> 20
            )));
        }
        let path = self.paths().scratch("build-remote");
        std::fs::create_dir_all(self.paths().tmp()).at(self.paths().tmp())?;
        let file = std::fs::File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .at(&path)?;
        let mut download = Download { path, file };
        let mut got: u64 = 0;
        while let Some(chunk) = resp.chunk().await.map_err(|e| failed(e.to_string()))? {
            got += chunk.len() as u64;
            if got > MAX_REMOTE_CONTEXT {
                return Err(failed(format!(
                    "it is larger than the limit of {} MiB",
                    MAX_REMOTE_CONTEXT >> 20
                )));
            }
            download.file.write_all(&chunk).at(&download.path)?;
        }
        let engine = self.clone();
        tokio::task::spawn_blocking(move || engine.open_downloaded_context(download, got))
            .await
            .map_err(|e| failed(format!("the unpacking task failed: {e}")))?
    }

    /// The downloaded file of `len` bytes as a context (an archive) or a Dockerfile.
    fn open_downloaded_context(&self, mut d: Download, len: u64) -> Result<RemoteContext> {
        let mut head = Vec::new();
        d.file.rewind().at(&d.path)?;
        (&d.file).take(512).read_to_end(&mut head).at(&d.path)?;
        d.file.rewind().at(&d.path)?;
        if looks_like_tar(&head) {
            return Ok(RemoteContext::Archive(
                self.unpack_build_context_from(&d.file)?,
            ));
        }
        if len > MAX_DOCKERFILE {
            return Err(EngineError::Invalid(format!(
                "the remote build context is neither a tar archive nor a Dockerfile (it is {len} bytes, over the {} MiB a Dockerfile may have)",
                MAX_DOCKERFILE >> 20
            )));
        }
        let mut text = String::new();
        (&d.file).read_to_string(&mut text).map_err(|_| {
            EngineError::Invalid(
                "the remote build context is neither a tar archive nor a Dockerfile (not UTF-8 text)"
                    .into(),
            )
        })?;
        Ok(RemoteContext::Dockerfile(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_repositories_are_told_apart_from_files() {
        for git in [
            "git://example.com/r",
            "git@github.com:o/r.git",
            "github.com/o/r",
            "https://example.com/o/r.git",
            "https://example.com/o/r.git#main:dir",
        ] {
            assert!(is_git(git), "{git}");
        }
        for file in [
            "https://example.com/ctx.tar.gz",
            "http://127.0.0.1:8000/Dockerfile",
        ] {
            assert!(!is_git(file), "{file}");
        }
    }
}
