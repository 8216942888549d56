//! The shim: one small supervisor process per running container (`berth __shim ...`).
//!
//! It runs in a process group of its own, creates the cgroup, launches the container's
//! first process, reports success or failure to whoever spawned it (one line on its
//! stdout pipe), then supervises: writes the log, serves attach clients on its unix
//! socket, records the exit, applies the restart policy and `--rm`, and cleans up. It is single-threaded (a plain poll loop) so it
//! can clone the container's process again for restarts, and stays small when idle.

use super::cgroups::Cgroup;
use super::cpu_samples::CpuSampler;
use super::launch;
use super::logwriter::LogWriter;
use super::privileges::Privileges;
use super::supervise::{self, Client, ExecContext, Run};
use crate::engine::container::record::{self, files, log_path, update_state};
use crate::engine::container::{Container, Status};
use crate::engine::network::service::Service;
use crate::engine::{Engine, EngineOptions, procfs};
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::time::{Duration, Instant};

/// Entry point of `berth __shim ROOT ID ATTACH`.
pub fn main(args: &[String]) -> i32 {
    let [root, id, attach] = args else {
        eprintln!("usage: berth __shim ROOT ID ATTACH");
        return 2;
    };
    // The spawner put this process in a process group of its own (so a terminal's signals
    // miss it) and does not wait for it: there is no daemonizing fork.
    // Let go of whatever the spawner inherited (a shell's pipes would otherwise stay open
    // for as long as the container runs).
    // SAFETY: close_range closes descriptors this fresh process does not use.
    unsafe { libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32) };
    // SAFETY: fd 1 is the ready pipe the spawner gave us; we own it from here on.
    let ready = unsafe { File::from_raw_fd(1) };
    // With ATTACH, stdin is the spawner's attach connection: keep it on a new descriptor.
    let attached = (attach == "1")
        .then(|| {
            // SAFETY: duplicates fd 0 (close-on-exec) onto a free descriptor >= 3.
            let fd = unsafe { libc::fcntl(0, libc::F_DUPFD_CLOEXEC, 3) };
            // SAFETY: the kernel just gave us this descriptor and nothing else owns it.
            (fd >= 0).then(|| unsafe { UnixStream::from_raw_fd(fd) })
        })
        .flatten();
    // The log's rotation comes from the container's own configuration, merged at create.
    let engine = Engine::open_existing(Path::new(root), EngineOptions::default());
    let dir = engine.paths().container(id);
    redirect_stdio(&dir.join("shim.log"));
    let Ok(c) = record::load(engine.paths(), id) else {
        return 1;
    };
    let mut shim = Shim {
        engine,
        container: c,
        ready: Some(ready),
        attached,
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| shim.run()));
    if let Err(payload) = outcome {
        // The panic message is in shim.log already (the hook above); the container
        // would die with this process (PDEATHSIG), so end it and say so in its record.
        let message = super::guard::panic_message(payload.as_ref());
        super::guard::record_panic(&shim.engine, &shim.container.config, &message);
        shim.report(&format!("error 125 berth shim failed: {message}"));
        return 1;
    }
    0
}

/// stdin and stderr from/to /dev/null (fd 1 stays the ready pipe until the report is
/// written); a panic's message goes to the shim's own log, `shim.log`, which exists only
/// once there is something in it (no file per container start for an empty log).
fn redirect_stdio(shim_log: &Path) {
    if let Ok(null) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
    {
        // SAFETY: dup2 onto the standard input and error descriptors.
        unsafe {
            libc::dup2(null.as_raw_fd(), 0);
            libc::dup2(null.as_raw_fd(), 2);
        }
    }
    let path = shim_log.to_path_buf();
    std::panic::set_hook(Box::new(move |info| {
        use std::io::Write;
        if let Ok(mut log) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
        {
            let _ = writeln!(log, "berth shim {}: {info}", std::process::id());
        }
    }));
}

/// Binds the shim's socket, making the runtime directory when it is not there yet.
fn bind(socket_path: &Path) -> std::io::Result<UnixListener> {
    let dir = socket_path.parent().unwrap_or(Path::new("/"));
    let _ = std::fs::remove_file(socket_path);
    match UnixListener::bind(socket_path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::engine::store::private::ensure_private(dir)?;
            UnixListener::bind(socket_path)
        }
        other => other,
    }
}

/// Gives up what the container held on the host: the log (flushed), the published ports,
/// the attach socket's path and the cgroup. Done before the record says the container
/// stopped, because a `start` (or `restart`) that sees it stopped binds the same ports and
/// creates the same socket and cgroup at once, and a late cleanup would remove the new
/// shim's (or a port still held would fail its start).
fn release(log: &mut LogWriter, net: &mut Service, socket_path: &Path, cgroup: &Cgroup) {
    let _ = log.finish();
    net.release_ports();
    let _ = std::fs::remove_file(socket_path);
    // The runtime directory stays for the next start (as /run/docker does): making and
    // removing it cost two directory operations and an inode per container run.
    cgroup.remove();
}

struct Shim {
    engine: Engine,
    container: Container,
    ready: Option<File>,
    /// The spawner's attach connection (`run` without `-d`, `start -a`).
    attached: Option<UnixStream>,
}

impl Shim {
    /// Tells the spawner how the start went (first run only), then points fd 1 at /dev/null.
    fn report(&mut self, line: &str) {
        if let Some(mut r) = self.ready.take() {
            let _ = r.write_all(format!("{line}\n").as_bytes());
            if let Ok(null) = File::open("/dev/null") {
                // SAFETY: replaces fd 1 (the ready pipe, owned by `r`) with /dev/null.
                unsafe { libc::dup2(null.as_raw_fd(), 1) };
            }
            std::mem::forget(r); // fd 1 now refers to /dev/null; do not close it
        }
    }

    fn run(&mut self) {
        let paths = self.engine.paths().clone();
        let config = self.container.config.clone();
        let id = config.id.clone();
        let me = std::process::id() as i32;
        let my_start = procfs::start_time(me).unwrap_or(0);
        let cgroup = Cgroup::for_config(&config);
        let socket_path = paths.shim_socket(&id);

        let setup = (|| -> Result<(UnixListener, LogWriter), String> {
            cgroup
                .create(&config.resources)
                .map_err(|e| e.to_string())?;
            let listener =
                bind(&socket_path).map_err(|e| format!("bind {}: {e}", socket_path.display()))?;
            let rotation = config.log_config.rotation().map_err(|e| e.to_string())?;
            let log = LogWriter::open(&log_path(&paths, &id), rotation)
                .map_err(|e| format!("open log: {e}"))?;
            Ok((listener, log))
        })();
        let net = setup.and_then(|(l, w)| Service::start(&paths, &config).map(|s| (l, w, s)));
        let (listener, mut log, mut net) = match net {
            Ok(v) => v,
            Err(message) => {
                let _ = update_state(&paths, &id, |s| {
                    s.error = message.clone();
                    s.exit_code = 125;
                    s.shim_pid = 0;
                });
                self.report(&format!("error 125 {message}"));
                cgroup.remove();
                let _ = std::fs::remove_file(&socket_path);
                return;
            }
        };

        // The spawner is attached before the process starts, so it misses no output.
        let mut clients: Vec<Client> = self.attached.take().into_iter().map(Client::new).collect();
        let _ = listener.set_nonblocking(true);

        let mut first = true;
        let mut final_code = None;
        // What the record said before this start, put back if the start fails (a start
        // that never ran shows no start time).
        let mut before: Option<(Option<chrono::DateTime<chrono::Utc>>, u64)> = None;
        let host_network = config.network_mode == "host";
        // Capabilities and the compiled seccomp filter: the same for every start and exec.
        let privileges = Privileges::for_container(
            &config.security,
            cgroup.guards_devices(),
            &paths.runtime.join("seccomp"),
        )
        .map_err(|message| launch::LaunchError { code: 125, message });
        loop {
            let mut dns_socket = None;
            let launched = privileges
                .clone()
                .and_then(|p| launch::plan(&paths, &config, &cgroup, &p))
                .and_then(|plan| {
                    launch::launch(
                        &plan,
                        config.open_stdin,
                        config.tty,
                        host_network,
                        &mut |pid| {
                            // Interfaces first (the namespace is new on every start), then the record.
                            dns_socket = crate::engine::network::setup::container(
                                &paths,
                                &config,
                                pid.as_raw(),
                            )?;
                            let pid_start = procfs::start_time(pid.as_raw()).unwrap_or(0);
                            let _ = update_state(&paths, &id, |s| {
                                before = Some((s.started_at, s.pid_start));
                                s.status = Status::Running;
                                s.pid = pid.as_raw();
                                s.pid_start = pid_start;
                                s.shim_pid = me;
                                s.shim_start = my_start;
                                s.boot_id = procfs::boot_id();
                                s.started_at = Some(chrono::Utc::now());
                                s.exit_code = 0;
                                s.error.clear();
                                s.oom_killed = false;
                            });
                            Ok(())
                        },
                    )
                });
            net.set_dns(dns_socket.take());
            let l = match launched {
                Ok(l) => l,
                Err(e) => {
                    if !first {
                        let _ = log.write(1, format!("{}\n", e.message).as_bytes());
                    }
                    release(&mut log, &mut net, &socket_path, &cgroup);
                    let _ = update_state(&paths, &id, |s| {
                        s.status = if first {
                            Status::Created
                        } else {
                            Status::Exited
                        };
                        s.pid = 0;
                        s.shim_pid = 0;
                        if let Some((started_at, pid_start)) = before.take() {
                            s.started_at = started_at;
                            s.pid_start = pid_start;
                        }
                        s.exit_code = e.code;
                        s.error = e.message.clone();
                        s.finished_at = Some(chrono::Utc::now());
                    });
                    if first {
                        self.report(&format!("error {} {}", e.code, e.message));
                    }
                    final_code = Some(e.code);
                    break;
                }
            };
            if first {
                self.report(&format!("ok {}", l.pid));
                self.engine
                    .emit("container", "start", &id, &[("name", &config.name)]);
            }
            first = false;
            before = None;
            let exec_privileges = privileges.as_ref().cloned().unwrap_or_default();
            let mut cpu = CpuSampler::start(&cgroup, &paths.cpu_samples(&id));
            let code = Run {
                pid: l.pid,
                stdio: l.stdio,
                log: &mut log,
                listener: &listener,
                clients: &mut clients,
                exec: ExecContext {
                    config: &config,
                    cgroup: &cgroup,
                    privileges: &exec_privileges,
                },
                extra: Some(&mut net),
                cpu: cpu.as_mut(),
            }
            .until_exit();
            if let Some(c) = cpu {
                c.remove();
            }
            let oom = cgroup.oom_killed();
            let dir = paths.container(&id);
            let stop_requested = dir.join(files::STOP_REQUESTED).exists();
            let restarts = record::load(&paths, &id)
                .map(|c| c.state.restart_count)
                .unwrap_or(0);
            let restart = !config.auto_remove
                && config
                    .restart
                    .should_restart(code, restarts, stop_requested);
            if !restart {
                release(&mut log, &mut net, &socket_path, &cgroup);
            }
            let _ = update_state(&paths, &id, |s| {
                s.status = if restart {
                    Status::Restarting
                } else {
                    Status::Exited
                };
                s.pid = 0;
                s.exit_code = code;
                s.oom_killed = oom;
                s.finished_at = Some(chrono::Utc::now());
                if !restart {
                    s.shim_pid = 0;
                }
            });
            let code_s = code.to_string();
            self.engine.emit(
                "container",
                "die",
                &id,
                &[("name", &config.name), ("exitCode", &code_s)],
            );
            if oom {
                self.engine
                    .emit("container", "oom", &id, &[("name", &config.name)]);
            }
            if !restart {
                // Clients hear the exit only once everything is cleaned up (and, with
                // `--rm`, removed), so `run --rm` and `wait` return to a settled state.
                final_code = Some(code);
                break;
            }
            supervise::send_exit(&mut clients, code);
            // Docker's back-off: 100 ms doubling, at most a minute; a stop request cancels it.
            let delay =
                Duration::from_millis(100u64 << restarts.min(10)).min(Duration::from_secs(60));
            let until = Instant::now() + delay;
            let mut cancelled = false;
            while Instant::now() < until {
                if dir.join(files::STOP_REQUESTED).exists() {
                    cancelled = true;
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            if cancelled {
                release(&mut log, &mut net, &socket_path, &cgroup);
                let _ = update_state(&paths, &id, |s| {
                    s.status = Status::Exited;
                    s.shim_pid = 0;
                });
                break;
            }
            let _ = update_state(&paths, &id, |s| s.restart_count += 1);
            self.engine
                .emit("container", "restart", &id, &[("name", &config.name)]);
        }
        drop(listener);
        // With `--rm` the container leaves the state root before clients hear the exit
        // (`run --rm` returns to a settled state); deleting its files can take a while on
        // a busy disk and is done after.
        let retired = config
            .auto_remove
            .then(|| crate::engine::lifecycle::remove::retire_exited(&self.engine, &config));
        if config.auto_remove {
            // As in Docker, `--rm` takes the anonymous volumes too (named ones stay).
            crate::engine::lifecycle::remove::remove_anonymous_volumes(&self.engine, &config);
        }
        if let Some(code) = final_code {
            supervise::send_exit(&mut clients, code);
        }
        if let Some(retired) = retired {
            crate::engine::lifecycle::remove::purge(&paths, &config, retired);
        }
    }
}
