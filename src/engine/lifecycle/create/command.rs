//! What a new container runs: its entrypoint and command, working directory and user,
//! from the image and the user's options, checked before anything is recorded.

use super::CreateOptions;
use super::kernel_fs::under_proc;
use crate::engine::error::{EngineError, Result};
use oci_spec::image::Config;

/// The process settings of a container.
pub(super) struct Process {
    /// ENTRYPOINT (or `--entrypoint`).
    pub entrypoint: Vec<String>,
    /// CMD (or the arguments after the image).
    pub cmd: Vec<String>,
    /// The absolute working directory.
    pub working_dir: String,
    /// `user[:group]`, empty for root.
    pub user: String,
}

/// Works out and checks the process of a container of image `img`.
pub(super) fn plan(img: &Config, opts: &CreateOptions) -> Result<Process> {
    let (entrypoint, cmd) = match &opts.entrypoint {
        Some(ep) if ep.is_empty() => (Vec::new(), opts.cmd.clone()),
        Some(ep) => (vec![ep.clone()], opts.cmd.clone()),
        None => (
            img.entrypoint().clone().unwrap_or_default(),
            if opts.cmd.is_empty() {
                img.cmd().clone().unwrap_or_default()
            } else {
                opts.cmd.clone()
            },
        ),
    };
    if entrypoint.is_empty() && cmd.is_empty() {
        return Err(EngineError::Invalid(format!(
            "no command specified: image '{}' has no CMD or ENTRYPOINT; give a command after the image name",
            opts.image
        )));
    }
    let working_dir = opts
        .working_dir
        .clone()
        .or_else(|| img.working_dir().clone())
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| "/".into());
    check_working_dir(&working_dir)?;
    let user = opts
        .user
        .clone()
        .or_else(|| img.user().clone())
        .unwrap_or_default();
    check_user(&user)?;
    Ok(Process {
        entrypoint,
        cmd,
        working_dir,
        user,
    })
}

/// Docker's rule (an absolute path), and no directory of `/proc`: a working directory
/// there (`/proc/self/fd/N`, `/proc/1/cwd`) could lead to a descriptor or a directory
/// outside the container (CVE-2024-21626), and berth refuses it before anything runs.
pub(crate) fn check_working_dir(dir: &str) -> Result<()> {
    if !dir.starts_with('/') {
        return Err(EngineError::Invalid(format!(
            "the working directory '{dir}' is invalid, it needs to be an absolute path"
        )));
    }
    if under_proc(dir) {
        return Err(EngineError::Invalid(format!(
            "the working directory '{dir}' is invalid: a working directory in /proc could lead outside the container"
        )));
    }
    Ok(())
}

/// The largest user or group id Linux (and runc) take: ids above, such as 4294967295
/// (`-1`), are refused by `setuid`/`setgid` with a bare EINVAL.
pub const MAX_ID: u64 = i32::MAX as u64;

/// Checks the numeric parts of `user[:group]` (names are looked up when the container
/// starts, in its own /etc/passwd and /etc/group).
pub(crate) fn check_user(user: &str) -> Result<()> {
    let (u, g) = user.split_once(':').unwrap_or((user, ""));
    for (part, what) in [(u, "user"), (g, "group")] {
        let numeric = part.starts_with('-') || part.bytes().all(|b| b.is_ascii_digit());
        if part.is_empty() || !numeric {
            continue;
        }
        if part.parse::<u64>().map_or(true, |n| n > MAX_ID) {
            return Err(EngineError::Invalid(format!(
                "invalid {what} '{part}' in user '{user}': uids and gids must be in range 0-{MAX_ID}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_out_of_range_are_refused() {
        for bad in ["4294967295", "-1", "0:4294967295", "1000:-1", "2147483648"] {
            let e = check_user(bad).expect_err(bad).to_string();
            assert!(e.contains("must be in range 0-2147483647"), "{bad}: {e}");
        }
        for good in ["", "root", "1000", "1000:1000", "web:staff", "2147483647"] {
            check_user(good).expect(good);
        }
    }

    #[test]
    fn working_dirs_in_proc_or_relative_are_refused() {
        for bad in [
            "/proc/self/fd/3",
            "/proc/1/cwd",
            "//proc/self/cwd",
            "/x/../proc/self",
        ] {
            let e = check_working_dir(bad).expect_err(bad).to_string();
            assert!(e.contains("could lead outside the container"), "{bad}: {e}");
        }
        assert!(check_working_dir("app").is_err());
        for good in ["/", "/app", "/procfs", "/data/proc"] {
            check_working_dir(good).expect(good);
        }
    }
}
