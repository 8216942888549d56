//! Mount destinations (and working directories) that would cover what the kernel shows a
//! container.

/// Why a mount on `destination` is refused, if it is: over `/` (it would hide the whole
/// root) or over procfs, and for an image's VOLUME also over /sys and /dev (each would
/// replace what the kernel shows the container with an empty directory: the CVE-2019-16884
/// class). Paths are cleaned first, so `/x/../proc` is `/proc`.
pub fn mount_over_kernel_fs(destination: &str, image_volume: bool) -> Option<&'static str> {
    match cleaned(destination).as_slice() {
        [] => Some("a mount over the container's root is not allowed"),
        ["proc", ..] => Some("a mount over the container's /proc is not allowed"),
        ["sys", ..] | ["dev"] | ["dev", "pts", ..] if image_volume => {
            Some("a volume over the kernel's /sys or /dev is not allowed")
        }
        _ => None,
    }
}

/// Whether `path`, cleaned, is `/proc` or below it.
pub fn under_proc(path: &str) -> bool {
    cleaned(path).first() == Some(&"proc")
}

/// The components of an absolute path with `.` and `..` applied (`..` stops at `/`).
fn cleaned(path: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts
}

#[cfg(test)]
mod kernel_fs_tests {
    use super::mount_over_kernel_fs;

    #[test]
    fn mounts_over_kernel_filesystems_are_refused() {
        for d in ["/", "/proc", "/proc/self/attr", "/x/../proc", "//proc/"] {
            assert!(mount_over_kernel_fs(d, false).is_some(), "{d}");
        }
        for d in ["/sys", "/dev", "/dev/pts"] {
            assert!(mount_over_kernel_fs(d, true).is_some(), "{d}");
            assert!(mount_over_kernel_fs(d, false).is_none(), "{d}");
        }
        for d in ["/data", "/dev/shm", "/etc", "/procfs"] {
            assert!(mount_over_kernel_fs(d, true).is_none(), "{d}");
        }
    }
}
