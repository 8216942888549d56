//! `exec`: a new process inside a running container, started by the container's shim.
//!
//! The shim forks a helper that joins the container's cgroup and its ipc, uts, net, pid and
//! mount namespaces, then forks the process itself (the first child that lands in the
//! container's pid namespace), which takes the container's identity and capabilities and
//! execs. The helper waits for it and exits with its code, so the shim sees one child per
//! exec. Both are made non-dumpable before they enter the container, so nothing inside can
//! open the berth binary through `/proc/PID/exe` before the exec replaces it.

use super::cgroups::Cgroup;
use super::init::{Failure, find_executable};
use super::launch::{LaunchError, ShimStdio, stdio, tty_stdio};
use super::privileges::Privileges;
use super::user;
use crate::engine::container::ContainerConfig;
use nix::sched::{CloneFlags, setns};
use nix::sys::wait::waitpid;
use nix::unistd::{self, ForkResult, Pid};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};

/// What to run (`berth exec` flags).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExecRequest {
    /// Command and arguments.
    pub argv: Vec<String>,
    /// Extra environment (`-e`), over the container's.
    pub env: Vec<String>,
    /// `-u` (default: the container's user).
    pub user: Option<String>,
    /// `-w` (default: the container's working directory).
    pub workdir: Option<String>,
    /// `-t`.
    pub tty: bool,
    /// `-i`.
    pub stdin: bool,
}

/// A started exec'd process, as the shim holds it.
pub struct ExecProcess {
    /// The helper's pid (its exit code is the process's).
    pub pid: Pid,
    /// The shim's ends of its stdio.
    pub stdio: ShimStdio,
}

fn err(message: impl std::fmt::Display) -> LaunchError {
    LaunchError {
        code: 126,
        message: message.to_string(),
    }
}

/// Starts `req` in the container whose first process is `target`.
pub fn spawn(
    req: &ExecRequest,
    target: Pid,
    config: &ContainerConfig,
    cgroup: &Cgroup,
    privileges: &Privileges,
) -> Result<ExecProcess, LaunchError> {
    spawn_with(req, target, config, cgroup, privileges, false)
}

/// Starts a healthcheck probe: as `spawn`, and the process leads a process group of its
/// own, so a probe past its timeout is killed with whatever it started.
pub fn spawn_probe(
    req: &ExecRequest,
    target: Pid,
    config: &ContainerConfig,
    cgroup: &Cgroup,
    privileges: &Privileges,
) -> Result<ExecProcess, LaunchError> {
    spawn_with(req, target, config, cgroup, privileges, true)
}

fn spawn_with(
    req: &ExecRequest,
    target: Pid,
    config: &ContainerConfig,
    cgroup: &Cgroup,
    privileges: &Privileges,
    own_group: bool,
) -> Result<ExecProcess, LaunchError> {
    if req.argv.is_empty() {
        return Err(LaunchError {
            code: 125,
            message: "no command specified for exec".into(),
        });
    }
    let ns = ["ipc", "uts", "net", "pid", "mnt"]
        .iter()
        .map(|n| {
            File::open(format!("/proc/{target}/ns/{n}"))
                .map_err(|e| err(format!("container is not running ({n} namespace: {e})")))
        })
        .collect::<Result<Vec<File>, _>>()?;
    let (child_stdio, mut shim_stdio) = stdio(req.stdin, req.tty)?;
    let (console_shim, console_child) = if req.tty {
        let (a, b) =
            std::os::unix::net::UnixStream::pair().map_err(|e| err(format!("socketpair: {e}")))?;
        (Some(a), Some(b))
    } else {
        (None, None)
    };
    let (err_r, err_w) =
        unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| err(format!("pipe: {e}")))?;
    let child_fds = [
        child_stdio.stdin.as_raw_fd(),
        child_stdio.stdout.as_raw_fd(),
        child_stdio.stderr.as_raw_fd(),
    ];
    // SAFETY: the shim is single-threaded; the child only runs this crate's code and exits.
    match unsafe { unistd::fork() } {
        Ok(ForkResult::Parent { child }) => {
            drop(err_w);
            drop(child_stdio);
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            while let Ok(n) = unistd::read(&err_r, &mut chunk) {
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            if !buf.is_empty() {
                let _ = waitpid(child, None);
                let text = String::from_utf8_lossy(&buf);
                let (code, message) = text.split_once('\n').unwrap_or(("126", &text));
                return Err(LaunchError {
                    code: code.parse().unwrap_or(126),
                    message: message.to_string(),
                });
            }
            if let Some(sock) = console_shim {
                let master = super::console::receive(&sock).map_err(err)?;
                shim_stdio = tty_stdio(master, req.stdin)?;
            }
            Ok(ExecProcess {
                pid: child,
                stdio: shim_stdio,
            })
        }
        Ok(ForkResult::Child) => {
            // The shim's ends stay with the shim: a copy held here would keep the
            // process's stdin open after the client closed it.
            drop(shim_stdio);
            drop(err_r);
            drop(console_shim);
            let target = Target {
                req,
                ns: &ns,
                config,
                cgroup,
                privileges,
                own_group,
            };
            let code = helper(&target, child_fds, err_w, console_child.as_ref());
            // SAFETY: leaving the forked helper without running the shim's destructors.
            unsafe { libc::_exit(code) }
        }
        Err(e) => Err(err(format!("fork: {e}"))),
    }
}

/// A failure of the exec helper before the command runs: Docker's 126.
fn f(m: impl std::fmt::Display) -> Failure {
    Failure {
        code: 126,
        message: m.to_string(),
    }
}

/// What the helper enters and runs.
struct Target<'a> {
    req: &'a ExecRequest,
    ns: &'a [File],
    config: &'a ContainerConfig,
    cgroup: &'a Cgroup,
    privileges: &'a Privileges,
    /// The process leads a process group of its own (a probe).
    own_group: bool,
}

/// The forked helper: enter the container, fork the process, wait for it. Returns the
/// process's exit code; failures before the fork are reported on the error pipe.
fn helper(
    t: &Target,
    stdio: [i32; 3],
    err_w: OwnedFd,
    console: Option<&std::os::unix::net::UnixStream>,
) -> i32 {
    match enter_and_fork(t, stdio, &err_w, console) {
        Ok(child) => {
            // Only the process keeps its pipes open now: the shim sees EOF on the error
            // pipe as soon as it has exec'd, and on its output when it is done.
            drop(err_w);
            waitpid(child, None)
                .map(super::supervise::exit_code)
                .unwrap_or(255)
        }
        Err(Failure { code, message }) => {
            let _ = unistd::write(&err_w, format!("{code}\n{message}").as_bytes());
            code
        }
    }
}

/// Joins the container and forks the process; returns its pid.
fn enter_and_fork(
    t: &Target,
    stdio: [i32; 3],
    err_w: &OwnedFd,
    console: Option<&std::os::unix::net::UnixStream>,
) -> Result<Pid, Failure> {
    let _ = nix::sys::prctl::set_dumpable(false);
    let _ = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL);
    // This helper is a fork of the single-threaded shim: it can join by itself.
    t.cgroup.join_self().map_err(|e| f(e.to_string()))?;
    let kinds = [
        CloneFlags::CLONE_NEWIPC,
        CloneFlags::CLONE_NEWUTS,
        CloneFlags::CLONE_NEWNET,
        CloneFlags::CLONE_NEWPID,
        CloneFlags::CLONE_NEWNS,
    ];
    for (file, kind) in t.ns.iter().zip(kinds) {
        setns(file, kind).map_err(|e| f(format!("join the container's namespaces: {e}")))?;
    }
    // SAFETY: single-threaded helper; the child execs or exits.
    match unsafe { unistd::fork() } {
        Ok(ForkResult::Parent { child }) => {
            for fd in stdio {
                let _ = unistd::close(fd);
            }
            Ok(child)
        }
        Ok(ForkResult::Child) => match process(t, stdio, console) {
            Ok(never) => match never {},
            Err(Failure { code, message }) => {
                let _ = unistd::write(err_w, format!("{code}\n{message}").as_bytes());
                // SAFETY: leaving the forked child without running destructors.
                unsafe { libc::_exit(code) }
            }
        },
        Err(e) => Err(f(format!("fork: {e}"))),
    }
}

/// The exec'd process, inside the container: identity, directory, stdio, exec.
fn process(
    t: &Target,
    stdio: [i32; 3],
    console: Option<&std::os::unix::net::UnixStream>,
) -> Result<std::convert::Infallible, Failure> {
    let (req, config, privileges) = (t.req, t.config, t.privileges);
    if t.own_group {
        unistd::setpgid(Pid::from_raw(0), Pid::from_raw(0))
            .map_err(|e| f(format!("setpgid: {e}")))?;
    }
    let spec = req.user.clone().unwrap_or_else(|| config.user.clone());
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let group = std::fs::read_to_string("/etc/group").unwrap_or_default();
    let id = user::resolve_for_process(&spec, &passwd, &group).map_err(f)?;
    let mut env = config.env.clone();
    for e in &req.env {
        let key = e.split('=').next().unwrap_or_default();
        env.retain(|x| x.split('=').next() != Some(key));
        env.push(e.clone());
    }
    if !env.iter().any(|e| e.starts_with("HOME=")) {
        env.push(format!("HOME={}", id.home));
    }
    if req.tty && !env.iter().any(|e| e.starts_with("TERM=")) {
        env.push("TERM=xterm".into());
    }
    let cwd = req
        .workdir
        .clone()
        .unwrap_or_else(|| config.working_dir.clone());
    let cwd = if cwd.is_empty() { "/".to_string() } else { cwd };
    // Inside the container's root, magic links refused (see `inroot`).
    let root = super::inroot::Root::open(std::path::Path::new("/")).map_err(f)?;
    let dir = root
        .open_in(
            &cwd,
            nix::fcntl::OFlag::O_PATH | nix::fcntl::OFlag::O_DIRECTORY,
        )
        .map_err(|e| f(format!("chdir to '{cwd}': {e}")))?;
    unistd::fchdir(&dir).map_err(|e| f(format!("chdir to '{cwd}': {e}")))?;
    drop((dir, root));
    let path_var = env
        .iter()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .to_string();
    let exe = find_executable(&req.argv[0], &path_var)?;
    let slave = console
        .map(|sock| super::console::open_in_container(sock).map_err(f))
        .transpose()?;
    for (i, fd) in stdio.iter().enumerate() {
        let fd = slave.as_ref().map_or(*fd, |s| s.as_raw_fd());
        // SAFETY: dup2 of fds this process owns onto the standard streams.
        if unsafe { libc::dup2(fd, i as i32) } < 0 {
            return Err(f(format!("dup2: {}", std::io::Error::last_os_error())));
        }
    }
    if slave.is_some() {
        super::tty::make_controlling().map_err(f)?;
    }
    super::init::drop_privileges(&id, privileges)?;
    super::init::seccomp_last(privileges)?;
    Err(super::init::exec_program(&exe, &req.argv, &env))
}
