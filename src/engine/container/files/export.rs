//! `export`: the container's whole filesystem (image layers + its changes) as one tar.

use super::archive::{self, WalkOptions};
use super::rootfs::running_root;
use crate::engine::Engine;
use crate::engine::container::files::FilesError;
use crate::engine::error::Result;
use std::io::Write;
use std::path::Path;

impl Engine {
    /// Writes the container's merged filesystem as a tar stream to `out`. For a running
    /// container its volumes, bind mounts and `/proc`-like filesystems are left out (their
    /// mount points appear as empty directories), as in Docker.
    pub fn export_container(&self, name_or_id: &str, out: &mut (dyn Write + Send)) -> Result<u64> {
        let c = self.container(name_or_id)?;
        let running = running_root(&c).is_some();
        self.with_rootfs(&c, move |root| {
            let mut b = archive::builder(out);
            let opts = WalkOptions {
                one_file_system: running,
                skip_virtual: running,
            };
            let n = archive::append_tree(&mut b, &root.join("."), Path::new(""), opts)?;
            b.finish().map_err(FilesError::Archive)?;
            Ok(n)
        })
    }
}
