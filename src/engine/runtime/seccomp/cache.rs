//! Compiled filters kept under the runtime directory (`/run/berth/seccomp/<key>.bpf`),
//! keyed by everything the program depends on: the profile, the capabilities, the
//! architecture, the kernel release and libseccomp's version. libseccomp takes tens of
//! milliseconds to compile Docker's profile for three architectures, more than the rest of
//! a container's start; the same container settings then cost one small read. The
//! directory is on tmpfs: a reboot (maybe into another kernel) empties it.

use super::profile::Profile;
use caps::CapsHashSet;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The key of a compiled program.
fn key(profile: &Profile, caps: &CapsHashSet) -> String {
    let mut names: Vec<String> = caps.iter().map(|c| c.to_string()).collect();
    names.sort();
    let version = libseccomp::ScmpVersion::current()
        .map(|v| format!("{}.{}.{}", v.major, v.minor, v.micro))
        .unwrap_or_default();
    let release = nix::sys::utsname::uname()
        .map(|u| u.release().to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(profile).unwrap_or_default());
    for part in [
        names.join(","),
        std::env::consts::ARCH.to_string(),
        release,
        version,
    ] {
        h.update([0]);
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The program for `profile` and `caps`: from `dir` when compiled before, else compiled
/// and kept there (a failure to keep it is no failure: the program is still returned).
pub fn compiled(
    dir: &Path,
    profile: &Profile,
    caps: &CapsHashSet,
) -> Result<Vec<u8>, super::SeccompError> {
    let path = dir.join(format!("{}.bpf", key(profile, caps)));
    if let Ok(bytes) = std::fs::read(&path)
        && !bytes.is_empty()
        && bytes.len().is_multiple_of(8)
    {
        return Ok(bytes);
    }
    let bytes = super::compile(profile, caps)?;
    if crate::engine::store::private::ensure_private(dir).is_ok() {
        let _ = crate::engine::store::atomic::write_atomic_volatile(&path, &bytes, 0o600);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compiled_program_is_kept_and_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let caps = crate::engine::runtime::caps::container_set(true);
        let profile = super::super::default::profile();
        let first = compiled(dir.path(), &profile, &caps).expect("compile");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
        assert_eq!(compiled(dir.path(), &profile, &caps).expect("read"), first);
        // Other capabilities are another program.
        let fewer: CapsHashSet = CapsHashSet::new();
        let other = compiled(dir.path(), &profile, &fewer).expect("compile");
        assert_ne!(other, first);
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 2);
    }
}
