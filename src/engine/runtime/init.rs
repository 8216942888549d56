//! The container's first process, from clone to exec: build the root filesystem and set the
//! hostname, join the container's cgroup, wait for the shim's go-ahead, then take its
//! identity, capabilities and no_new_privs, and exec.
//!
//! Runs in the child of `clone(2)` with new pid, mount, uts, ipc and network namespaces.
//! Errors are written to the error pipe as `code\nmessage` and the child exits with that
//! code: 127 command not found, 126 not executable, 125 anything else.

use super::error::RuntimeError;
use super::privileges::Privileges;
use super::rootfs::{self, RootfsPlan};
use super::user;
use nix::fcntl::OFlag;
use nix::sys::signal::{SigSet, SigmaskHow, Signal};
use nix::unistd;
use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// What the first process becomes.
#[derive(Debug, Clone)]
pub struct InitPlan {
    /// The root filesystem to build.
    pub rootfs: RootfsPlan,
    /// argv (entrypoint + cmd).
    pub argv: Vec<String>,
    /// Environment `K=V`.
    pub env: Vec<String>,
    /// Working directory.
    pub cwd: String,
    /// `user[:group]`.
    pub user: String,
    /// Hostname.
    pub hostname: String,
    /// Capabilities, no_new_privs and the seccomp filter.
    pub privileges: Privileges,
    /// The cgroup the process joins before it execs.
    pub cgroup: super::cgroups::Cgroup,
}

/// The child's ends of the pipes the shim made (all opened close-on-exec).
pub struct ChildFds {
    /// The shim writes one byte (or closes) when the child may go on.
    pub sync: OwnedFd,
    /// The child writes its failure here; a successful exec closes it.
    pub error: OwnedFd,
    /// Becomes fd 0.
    pub stdin: OwnedFd,
    /// Becomes fd 1.
    pub stdout: OwnedFd,
    /// Becomes fd 2.
    pub stderr: OwnedFd,
    /// With `-t`: the socket to send the terminal master on; the stdio fds above are then
    /// placeholders, replaced by the terminal made inside the container.
    pub console: Option<std::os::unix::net::UnixStream>,
}

/// A setup failure with Docker's exit code.
pub struct Failure {
    /// 125, 126 or 127.
    pub code: i32,
    /// One line.
    pub message: String,
}

impl From<RuntimeError> for Failure {
    fn from(e: RuntimeError) -> Failure {
        fail(e)
    }
}

impl From<super::seccomp::SeccompError> for Failure {
    fn from(e: super::seccomp::SeccompError) -> Failure {
        fail(e)
    }
}

fn fail(message: impl std::fmt::Display) -> Failure {
    Failure {
        code: 125,
        message: message.to_string(),
    }
}

/// The body of the cloned child. Only returns (with the exit status) when setup failed.
pub fn child_main(plan: &InitPlan, fds: &ChildFds) -> isize {
    match setup_and_exec(plan, fds) {
        Ok(never) => match never {},
        Err(f) => {
            let msg = format!("{}\n{}", f.code, f.message);
            let _ = unistd::write(&fds.error, msg.as_bytes());
            f.code as isize
        }
    }
}

fn dup_onto(fd: RawFd, target: RawFd) -> Result<(), Failure> {
    // SAFETY: dup2 on fds this process owns; the target numbers are the standard streams.
    let r = unsafe { libc::dup2(fd, target) };
    if r < 0 {
        return Err(fail(format!("dup2: {}", std::io::Error::last_os_error())));
    }
    Ok(())
}

/// From clone to exec, as named stages; returns only on failure.
fn setup_and_exec(plan: &InitPlan, fds: &ChildFds) -> Result<std::convert::Infallible, Failure> {
    reset_process_state();
    build_container(plan)?;
    let id = resolve_identity(&plan.user)?;
    let env = process_env(plan, &id);
    enter_working_dir(&plan.cwd, &id)?;
    let exe = resolve_program(&plan.argv, &env)?;
    wait_for_go_ahead(fds)?;
    drop_privileges(&id, &plan.privileges)?;
    attach_stdio(fds)?;
    seccomp_last(&plan.privileges)?;
    Err(exec_program(&exe, &plan.argv, &env))
}

/// Dies with the shim; default signal handling and an empty mask; not dumpable until the
/// exec.
fn reset_process_state() {
    let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGKILL);
    // Until its exec this process is the berth binary: non-dumpable, so nothing in the
    // container can open it through /proc/PID/exe (the CVE-2019-5736 shape). exec resets it.
    let _ = nix::sys::prctl::set_dumpable(false);
    let _ = nix::sys::signal::sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None);
    // SAFETY: restoring default dispositions before exec; no handlers are running.
    unsafe {
        let _ = nix::sys::signal::signal(Signal::SIGPIPE, nix::sys::signal::SigHandler::SigDfl);
    }
}

/// Into the container's cgroup (its limits are written already) while the host's
/// /sys/fs/cgroup is still in view; then the hostname, loopback and root filesystem. They
/// are built while the shim sets up the network and writes the record: only berth's own
/// code runs before the go-ahead.
fn build_container(plan: &InitPlan) -> Result<(), Failure> {
    plan.cgroup.join_self()?;
    unistd::sethostname(&plan.hostname).map_err(|e| RuntimeError::call("sethostname", e))?;
    rootfs::loopback_up()?;
    rootfs::setup(&plan.rootfs)?;
    Ok(())
}

/// `--user` resolved with the container's own passwd and group files.
fn resolve_identity(spec: &str) -> Result<user::Identity, Failure> {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let group = std::fs::read_to_string("/etc/group").unwrap_or_default();
    Ok(user::resolve_for_process(spec, &passwd, &group)?)
}

/// The process's environment: the container's, with Docker's PATH, HOSTNAME and HOME
/// where it sets none.
fn process_env(plan: &InitPlan, id: &user::Identity) -> Vec<String> {
    let mut env = plan.env.clone();
    if !env.iter().any(|e| e.starts_with("PATH=")) {
        env.insert(
            0,
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
        );
    }
    if !env.iter().any(|e| e.starts_with("HOSTNAME=")) {
        env.insert(1.min(env.len()), format!("HOSTNAME={}", plan.hostname));
    }
    if !env.iter().any(|e| e.starts_with("HOME=")) {
        env.push(format!("HOME={}", id.home));
    }
    env
}

/// Changes into the working directory, made (and given to the user) if missing. Opened
/// inside the (new) root by the kernel, magic links refused: a working directory such as
/// /proc/self/fd/N cannot lead to a descriptor of the host (CVE-2024-21626).
fn enter_working_dir(cwd: &str, id: &user::Identity) -> Result<(), Failure> {
    let cwd = if cwd.is_empty() { "/" } else { cwd };
    let root = super::inroot::Root::open(Path::new("/"))?;
    let dir = match root.open_in(cwd, OFlag::O_PATH | OFlag::O_DIRECTORY) {
        Ok(fd) => fd,
        Err(nix::errno::Errno::ENOENT) => {
            let fd = root
                .mkdir_all(cwd)
                .map_err(|e| fail(format!("create working directory: {e}")))?;
            let _ = unistd::chown(
                &super::inroot::fd_path(&fd),
                Some(id.uid.into()),
                Some(id.gid.into()),
            );
            fd
        }
        Err(nix::errno::Errno::ELOOP) => {
            return Err(fail(format!(
                "the working directory '{cwd}' is invalid: it leads through a /proc magic link or too many symlinks"
            )));
        }
        Err(e) => return Err(fail(format!("working directory '{cwd}': {}", e.desc()))),
    };
    unistd::fchdir(&dir).map_err(|e| fail(format!("chdir to '{cwd}': {e}")))
}

/// The executable of the command, found in the environment's PATH.
fn resolve_program(argv: &[String], env: &[String]) -> Result<String, Failure> {
    let program = argv.first().ok_or_else(|| fail("no command specified"))?;
    let path_var = env
        .iter()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or("/usr/bin:/bin");
    find_executable(program, path_var)
}

/// Waits for the shim to have set up the network and written the record.
fn wait_for_go_ahead(fds: &ChildFds) -> Result<(), Failure> {
    let mut go = [0u8; 1];
    match unistd::read(&fds.sync, &mut go) {
        Ok(1) => Ok(()),
        _ => Err(fail("the shim went away before the container started")),
    }
}

/// The standard streams: the terminal made inside the container (`-t`, its master sent to
/// the shim) or the pipes the shim made.
fn attach_stdio(fds: &ChildFds) -> Result<(), Failure> {
    match &fds.console {
        Some(sock) => {
            let slave = super::console::open_in_container(sock)?;
            for n in 0..3 {
                dup_onto(slave.as_raw_fd(), n)?;
            }
            super::tty::make_controlling()?;
        }
        None => {
            dup_onto(fds.stdin.as_raw_fd(), 0)?;
            dup_onto(fds.stdout.as_raw_fd(), 1)?;
            dup_onto(fds.stderr.as_raw_fd(), 2)?;
        }
    }
    Ok(())
}

/// Takes the identity `id` and keeps only the capabilities of `p` (bounding set included):
/// what every process berth starts in a container goes through, followed by
/// [`seccomp_last`] just before its exec. Without no_new_privs, installing a seccomp filter
/// takes CAP_SYS_ADMIN, so the filter is installed here, before the capabilities go (as
/// runc does); the profile allows every call made after it.
pub fn drop_privileges(id: &user::Identity, p: &Privileges) -> Result<(), Failure> {
    if !p.no_new_privs
        && let Some(bpf) = &p.seccomp
    {
        super::seccomp::install(bpf)?;
    }
    super::caps::limit_bounding(&p.caps)?;
    let gids: Vec<unistd::Gid> = id
        .groups
        .iter()
        .map(|g| unistd::Gid::from_raw(*g))
        .collect();
    unistd::setgroups(&gids).map_err(|e| fail(format!("setgroups: {e}")))?;
    unistd::setgid(unistd::Gid::from_raw(id.gid)).map_err(|e| fail(format!("setgid: {e}")))?;
    unistd::setuid(unistd::Uid::from_raw(id.uid)).map_err(|e| fail(format!("setuid: {e}")))?;
    Ok(super::caps::set_process_sets(&p.caps)?)
}

/// With no_new_privs asked for: sets it and installs the seccomp filter, the last thing
/// before the exec (nothing the container's process does before it is filtered).
pub fn seccomp_last(p: &Privileges) -> Result<(), Failure> {
    if !p.no_new_privs {
        return Ok(());
    }
    nix::sys::prctl::set_no_new_privs().map_err(|e| fail(format!("no_new_privs: {e}")))?;
    match &p.seccomp {
        Some(bpf) => Ok(super::seccomp::install(bpf)?),
        None => Ok(()),
    }
}

/// Execs `exe` with `argv` and `env`, nothing of the caller's descriptors but 0-2 carried
/// over. Returns only on failure, with Docker's code (127 not found, 126 otherwise).
pub fn exec_program(exe: &str, argv: &[String], env: &[String]) -> Failure {
    crate::engine::procfs::cloexec_from(3);
    let c =
        |s: &str| CString::new(s).map_err(|_| fail(format!("argument contains a NUL byte: '{s}'")));
    let prepared = (|| -> Result<(CString, Vec<CString>, Vec<CString>), Failure> {
        Ok((
            c(exe)?,
            argv.iter().map(|a| c(a)).collect::<Result<_, _>>()?,
            env.iter().map(|a| c(a)).collect::<Result<_, _>>()?,
        ))
    })();
    let (exe_c, argv_c, envp) = match prepared {
        Ok(p) => p,
        Err(f) => return f,
    };
    let Err(e) = unistd::execve(&exe_c, &argv_c, &envp);
    Failure {
        code: if e == nix::errno::Errno::ENOENT {
            127
        } else {
            126
        },
        message: format!(
            "exec: \"{}\": {}",
            argv.first().map(String::as_str).unwrap_or(exe),
            e.desc().to_lowercase()
        ),
    }
}

/// Finds `program` like execvp: a name with a slash is used as is, others are searched in PATH.
pub fn find_executable(program: &str, path_var: &str) -> Result<String, Failure> {
    let check = |p: &Path| -> Option<Result<String, Failure>> {
        let md = std::fs::metadata(p).ok()?;
        if md.is_dir() || md.permissions().mode() & 0o111 == 0 {
            return Some(Err(Failure {
                code: 126,
                message: format!("exec: \"{program}\": permission denied"),
            }));
        }
        Some(Ok(p.display().to_string()))
    };
    if program.contains('/') {
        return check(Path::new(program)).unwrap_or_else(|| {
            Err(Failure {
                code: 127,
                message: format!("exec: \"{program}\": stat {program}: no such file or directory"),
            })
        });
    }
    let mut denied = None;
    for dir in path_var.split(':').filter(|d| !d.is_empty()) {
        match check(&Path::new(dir).join(program)) {
            Some(Ok(p)) => return Ok(p),
            Some(Err(f)) => denied = denied.or(Some(f)),
            None => {}
        }
    }
    Err(denied.unwrap_or(Failure {
        code: 127,
        message: format!("exec: \"{program}\": executable file not found in $PATH"),
    }))
}
