//! Where everything lives under the state root and the runtime directory.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The default state root.
pub const DEFAULT_ROOT: &str = "/var/lib/berth";
/// The default runtime directory (sockets, pid files); cleared by a reboot.
pub const DEFAULT_RUNTIME: &str = "/run/berth";

/// The layout of one state root and its runtime directory.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The state root, e.g. `/var/lib/berth`.
    pub root: PathBuf,
    /// The runtime directory, `/run/berth`, shared by every root.
    pub runtime: PathBuf,
    /// What the names of this root's sockets start with: empty for the default root, else
    /// a hash of the root and `-`, so two roots never share sockets.
    socket_prefix: String,
}

impl Paths {
    /// The layout for `root`. Every root keeps its sockets in `/run/berth` itself (no
    /// directory per root to make and remove), a non-default root's named after a hash of
    /// it, so socket paths stay short.
    pub fn new(root: &Path) -> Paths {
        let socket_prefix = if root == Path::new(DEFAULT_ROOT) {
            String::new()
        } else {
            let digest = Sha256::digest(root.as_os_str().as_encoded_bytes());
            format!("{}-", &hex::encode(digest)[..12])
        };
        Paths {
            root: root.to_path_buf(),
            runtime: PathBuf::from(DEFAULT_RUNTIME),
            socket_prefix,
        }
    }
    /// `blobs/sha256/` — the content store.
    pub fn blobs(&self) -> PathBuf {
        self.root.join("blobs").join("sha256")
    }
    /// `layers/` — unpacked layers by chain id.
    pub fn layers(&self) -> PathBuf {
        self.root.join("layers")
    }
    /// `l/` — a short symlink per layer (`l/<short>` -> `../layers/<chain-id>/diff`), the
    /// directory overlay mounts are made from (see `image::links`).
    pub fn layer_links(&self) -> PathBuf {
        self.root.join("l")
    }
    /// `images/` — the image index.
    pub fn images(&self) -> PathBuf {
        self.root.join("images")
    }
    /// `containers/`.
    pub fn containers(&self) -> PathBuf {
        self.root.join("containers")
    }
    /// `containers/<id>/`.
    pub fn container(&self, id: &str) -> PathBuf {
        self.containers().join(id)
    }
    /// `volumes/`.
    pub fn volumes(&self) -> PathBuf {
        self.root.join("volumes")
    }
    /// `events.log` — the append-only event journal.
    pub fn events(&self) -> PathBuf {
        self.root.join("events.log")
    }
    /// `init/` — the init layer every container stacks over its image's layers: the mount
    /// points berth itself needs (empty /proc, /dev, /sys and /etc files). Read-only and
    /// the same for every container, so it is made once and shared.
    pub fn init_layer(&self) -> PathBuf {
        self.root.join("init")
    }
    /// `spare/` — emptied directories of removed containers, kept for new ones (see
    /// `container::spares`).
    pub fn spares(&self) -> PathBuf {
        self.root.join("spare")
    }
    /// `tmp/` — scratch space on the same filesystem as the store (for atomic renames).
    pub fn tmp(&self) -> PathBuf {
        self.root.join("tmp")
    }
    /// A fresh path under `tmp/` named `{kind}-{random}` and marked as this process's (the
    /// sweep removes what a process that died left there).
    pub fn scratch(&self, kind: &str) -> PathBuf {
        self.tmp().join(super::sweep::owned(&format!(
            "{kind}-{}",
            &crate::engine::ids::random_id()[..16]
        )))
    }
    /// The attach/control socket of a container's shim.
    pub fn shim_socket(&self, id: &str) -> PathBuf {
        self.runtime.join(format!(
            "{}{}.sock",
            self.socket_prefix,
            &id[..id.len().min(12)]
        ))
    }
    /// The file where a container's shim keeps its last two CPU-time samples (see
    /// `runtime::cpu_samples`), beside its socket.
    pub fn cpu_samples(&self, id: &str) -> PathBuf {
        self.runtime.join(format!(
            "{}{}.cpu",
            self.socket_prefix,
            &id[..id.len().min(12)]
        ))
    }
    /// `mnt/` — the empty directory every container's root filesystem is mounted on. The
    /// mount is made inside the container's own mount namespace, so on the host it stays
    /// empty and one directory serves all containers (no directory to make per start).
    pub fn rootfs_mountpoint(&self) -> PathBuf {
        self.root.join("mnt")
    }
    /// Creates the directories of the state root, all of them private (0700), and closes
    /// those of a root made by an older berth. The runtime directory is made (private) by
    /// the first shim that needs it, so berth used only for images leaves nothing in /run;
    /// an existing one is closed here too.
    pub fn ensure(&self) -> super::StoreResult<()> {
        use super::private::{MODE, ensure_private};
        use std::os::unix::fs::PermissionsExt;
        // `mnt/` is made last: when it is there, so is the rest (one lookup per command),
        // and a root that only root can enter is a root whose directories were closed.
        let closed = |p: &std::path::Path| {
            std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o777 == MODE)
        };
        let runtime_ok = || closed(&self.runtime) || !self.runtime.exists();
        if self.rootfs_mountpoint().is_dir() && closed(&self.root) && runtime_ok() {
            return Ok(());
        }
        if !runtime_ok() {
            ensure_private(&self.runtime)?;
        }
        // Layers hold the images' setuid programs and file capabilities: no host user
        // may walk to them (nor to containers' files, volumes or unpacked downloads).
        for d in [
            self.root.clone(),
            self.blobs(),
            self.layers(),
            self.images(),
            self.containers(),
            self.volumes(),
            self.tmp(),
        ] {
            ensure_private(&d)?;
        }
        let mnt = self.rootfs_mountpoint();
        std::fs::create_dir_all(&mnt).map_err(|e| super::StoreError::io(mnt, e))
    }
}
