//! The container's root filesystem storage: overlayfs (copy-on-write over the shared image
//! layers) when the kernel has it, else a private copy of the layers (`rw/rootfs`), as
//! Docker's `vfs` driver does. `BERTH_STORAGE_DRIVER=vfs` forces the copy (for tests).

use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt, lchown};
use std::path::{Path, PathBuf};

/// How container roots are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// overlayfs: image layers as lower dirs, `rw/upper` on top.
    Overlay,
    /// A full copy of the layers per container.
    Copy,
}

/// The driver for new containers.
pub fn driver() -> Driver {
    match std::env::var("BERTH_STORAGE_DRIVER").as_deref() {
        Ok("vfs") | Ok("copy") => return Driver::Copy,
        Ok("overlay") | Ok("overlay2") => return Driver::Overlay,
        _ => {}
    }
    let listed = fs::read_to_string("/proc/filesystems")
        .map(|f| {
            f.lines()
                .any(|l| l.split_whitespace().last() == Some("overlay"))
        })
        .unwrap_or(false);
    if listed || overlay_module_loads() {
        Driver::Overlay
    } else {
        Driver::Copy
    }
}

/// Whether the kernel can load overlayfs now: on a fresh Debian host it is a module that
/// nothing has loaded yet, so it is missing from /proc/filesystems. `fsopen` asks for the
/// filesystem type by name, which loads its module as a mount would.
fn overlay_module_loads() -> bool {
    // SAFETY: fsopen reads the NUL-terminated name; the descriptor it returns is closed.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_fsopen,
            c"overlay".as_ptr(),
            libc::c_uint::from(1u8), // FSOPEN_CLOEXEC
        )
    };
    if fd < 0 {
        return false;
    }
    // SAFETY: `fd` was just returned by the kernel and is not used elsewhere.
    unsafe { libc::close(fd as i32) };
    true
}

/// Where a copied root lives, if the container uses one.
pub fn copied_root(container_dir: &Path) -> PathBuf {
    container_dir.join("rw").join("rootfs")
}

/// Whether `md` is an overlay whiteout (a 0/0 character device).
fn is_whiteout(md: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    md.file_type().is_char_device() && md.rdev() == 0
}

fn is_opaque(dir: &Path) -> bool {
    xattr_get(dir, "trusted.overlay.opaque").as_deref() == Some(b"y".as_slice())
}

fn xattr_get(path: &Path, name: &str) -> Option<Vec<u8>> {
    let p = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).ok()?;
    let n = std::ffi::CString::new(name).ok()?;
    let mut buf = [0u8; 16];
    // SAFETY: valid NUL-terminated strings and a buffer of the given length.
    let len =
        unsafe { libc::lgetxattr(p.as_ptr(), n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    (len >= 0).then(|| buf[..len as usize].to_vec())
}

fn remove_any(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(md) if md.is_dir() => {
            let _ = fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// Applies one unpacked layer (overlay whiteout conventions) onto `dest`.
fn apply_layer(src: &Path, dest: &Path) -> io::Result<()> {
    for entry in fs::read_dir(src)? {
        let entry = entry?;
        let from = entry.path();
        let to = dest.join(entry.file_name());
        let md = fs::symlink_metadata(&from)?;
        if is_whiteout(&md) {
            remove_any(&to);
            continue;
        }
        if md.is_dir() {
            if fs::symlink_metadata(&to).is_ok_and(|m| !m.is_dir()) || is_opaque(&from) {
                remove_any(&to);
            }
            if !to.exists() {
                fs::create_dir(&to)?;
            }
            apply_layer(&from, &to)?;
            fs::set_permissions(&to, fs::Permissions::from_mode(md.mode() & 0o7777))?;
            lchown(&to, Some(md.uid()), Some(md.gid()))?;
            continue;
        }
        remove_any(&to);
        if md.file_type().is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&from)?, &to)?;
        } else if md.is_file() {
            fs::copy(&from, &to)?;
            fs::set_permissions(&to, fs::Permissions::from_mode(md.mode() & 0o7777))?;
        } else {
            // Sockets, fifos and devices are not part of image layers berth unpacks.
            continue;
        }
        lchown(&to, Some(md.uid()), Some(md.gid()))?;
    }
    Ok(())
}

/// Builds `rw/rootfs` from the layers, bottom first. Built beside and renamed into place,
/// so a crash never leaves half a root.
pub fn copy_layers(layers: &[PathBuf], container_dir: &Path) -> io::Result<()> {
    let root = copied_root(container_dir);
    let scratch = container_dir.join("rw").join("rootfs.partial");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch)?;
    for l in layers {
        apply_layer(l, &scratch)?;
    }
    fs::rename(&scratch, &root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_stack_with_whiteouts() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (l1, l2, c) = (
            dir.path().join("l1"),
            dir.path().join("l2"),
            dir.path().join("c"),
        );
        fs::create_dir_all(l1.join("etc")).expect("mkdir");
        fs::write(l1.join("etc/gone"), "x").expect("write");
        fs::write(l1.join("etc/kept"), "old").expect("write");
        fs::create_dir_all(l2.join("etc")).expect("mkdir");
        fs::write(l2.join("etc/kept"), "new").expect("write");
        nix::sys::stat::mknod(
            &l2.join("etc/gone"),
            nix::sys::stat::SFlag::S_IFCHR,
            nix::sys::stat::Mode::empty(),
            0,
        )
        .expect("whiteout (needs root)");
        fs::create_dir_all(c.join("rw")).expect("mkdir");
        copy_layers(&[l1, l2], &c).expect("copy");
        let root = copied_root(&c);
        assert_eq!(
            fs::read_to_string(root.join("etc/kept")).expect("read"),
            "new"
        );
        assert!(!root.join("etc/gone").exists());
    }
}
