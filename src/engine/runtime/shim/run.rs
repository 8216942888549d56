//! The shim's life as named stages: hold what the container needs on the host, start its
//! process (again on each restart), supervise one run, decide on a restart (backing off as
//! Docker does), and finish (`--rm`, the exit told to clients).

use super::super::launch::{self, LaunchError, Launched};
use super::super::supervise::{self, Client, ExecContext, Run};
use super::super::{cgroups::Cgroup, cpu_samples::CpuSampler, error::RuntimeError};
use super::super::{health::HealthMonitor, logwriter::LogWriter, privileges::Privileges};
use super::{Held, bind, release};
use crate::engine::container::record::{self, files, log_path, update_state};
use crate::engine::container::{Container, ContainerConfig, Status};
use crate::engine::engine_event::EngineEvent;
use crate::engine::network::service::Service;
use crate::engine::store::Paths;
use crate::engine::{ContainerId, Engine, procfs};
use chrono::{DateTime, Utc};
use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What the record said before a start (start time, pid start), put back if the start
/// fails: a start that never ran shows no start time.
type Before = Option<(Option<DateTime<Utc>>, u64)>;

/// One container's shim.
pub(super) struct Shim {
    /// The engine on the container's state root.
    pub(super) engine: Engine,
    /// The container's configuration.
    pub(super) config: ContainerConfig,
    paths: Paths,
    id: ContainerId,
    cgroup: Cgroup,
    socket_path: PathBuf,
    /// This process's pid and start time (recorded so others can tell it is alive).
    me: i32,
    my_start: u64,
    /// The spawner's ready pipe, until the first start is reported.
    ready: Option<File>,
    /// The spawner's attach connection (`run` without `-d`, `start -a`).
    attached: Option<UnixStream>,
}

impl Shim {
    /// The shim of `container`, reporting on `ready`.
    pub(super) fn new(
        engine: Engine,
        container: Container,
        ready: File,
        attached: Option<UnixStream>,
    ) -> Shim {
        let paths = engine.paths().clone();
        let config = container.config;
        let me = std::process::id() as i32;
        Shim {
            id: config.id.clone(),
            cgroup: Cgroup::for_config(&config),
            socket_path: paths.shim_socket(&config.id),
            my_start: procfs::start_time(me).unwrap_or(0),
            me,
            paths,
            config,
            engine,
            ready: Some(ready),
            attached,
        }
    }

    /// Tells the spawner how the start went (first run only), then points fd 1 at /dev/null.
    pub(super) fn report(&mut self, line: &str) {
        if let Some(mut r) = self.ready.take() {
            let _ = r.write_all(format!("{line}\n").as_bytes());
            if let Ok(null) = File::open("/dev/null") {
                // SAFETY: replaces fd 1 (the ready pipe, owned by `r`) with /dev/null.
                unsafe { libc::dup2(null.as_raw_fd(), 1) };
            }
            std::mem::forget(r); // fd 1 now refers to /dev/null; do not close it
        }
    }

    /// The whole life: hold, then start and supervise until no restart is due, then finish.
    pub(super) fn run(&mut self) {
        let Some(mut held) = self.hold() else {
            return;
        };
        // The spawner is attached before the process starts, so it misses no output.
        let mut clients: Vec<Client> = self.attached.take().into_iter().map(Client::new).collect();
        let _ = held.listener.set_nonblocking(true);
        // Capabilities and the compiled seccomp filter: the same for every start and exec.
        let privileges = Privileges::for_container(
            &self.config.security,
            self.cgroup.guards_devices(),
            &self.paths.runtime.join("seccomp"),
        )
        .map_err(|e| LaunchError {
            code: 125,
            message: e.to_string(),
        });
        let mut first = true;
        let final_code = loop {
            let launched = match self.start(&mut held, &privileges) {
                Ok(l) => l,
                Err((e, before)) => break Some(self.start_failed(&mut held, first, e, before)),
            };
            if first {
                self.report(&format!("ok {}", launched.pid));
                self.engine.emit(EngineEvent::ContainerStart {
                    id: &self.id,
                    name: &self.config.name,
                });
            }
            first = false;
            let code = self.supervise(&mut held, &mut clients, launched, &privileges);
            let Some(restarts) = self.after_exit(&mut held, code) else {
                break Some(code);
            };
            supervise::send_exit(&mut clients, code);
            if !self.back_off(&mut held, restarts) {
                break None;
            }
        };
        drop(held.listener);
        self.finish(&mut clients, final_code);
    }

    /// Takes what the container holds on the host for all its runs: the cgroup (limits
    /// written), the attach socket, the log, the published ports. On failure the start is
    /// reported failed and what was taken is given back.
    fn hold(&mut self) -> Option<Held> {
        match self.acquire() {
            Ok(held) => Some(held),
            Err(e) => {
                let message = e.to_string();
                let _ = update_state(&self.paths, &self.id, |s| {
                    s.error = message.clone();
                    s.exit_code = 125;
                    s.shim_pid = 0;
                });
                self.report(&format!("error 125 {message}"));
                self.cgroup.remove();
                let _ = std::fs::remove_file(&self.socket_path);
                None
            }
        }
    }

    fn acquire(&self) -> Result<Held, RuntimeError> {
        self.cgroup.create(&self.config.resources)?;
        let listener = bind(&self.socket_path)
            .map_err(|e| RuntimeError::file("bind", &self.socket_path, e))?;
        let rotation = self
            .config
            .log_config
            .rotation()
            .map_err(|e| RuntimeError::LogOptions(e.to_string()))?;
        let log_file = log_path(&self.paths, &self.id);
        let log = LogWriter::open(&log_file, rotation)
            .map_err(|e| RuntimeError::file("open log", &log_file, e))?;
        let net = Service::start(&self.paths, &self.config)?;
        Ok(Held { listener, log, net })
    }

    /// Launches the container's process: its interfaces are made and the record says
    /// running (with its pid) before it may exec. On failure, what the record said before.
    fn start(
        &mut self,
        held: &mut Held,
        privileges: &Result<Privileges, LaunchError>,
    ) -> Result<Launched, (LaunchError, Before)> {
        let (paths, config, id) = (&self.paths, &self.config, &self.id);
        let (me, my_start) = (self.me, self.my_start);
        let mut before: Before = None;
        let mut dns_socket = None;
        let launched = privileges
            .clone()
            .and_then(|p| launch::plan(paths, config, &self.cgroup, &p))
            .and_then(|plan| {
                launch::launch(
                    &plan,
                    config.open_stdin,
                    config.tty,
                    config.network_mode == "host",
                    &mut |pid| {
                        // Interfaces first (the namespace is new on every start), then the record.
                        dns_socket =
                            crate::engine::network::setup::container(paths, config, pid.as_raw())?;
                        let pid_start = procfs::start_time(pid.as_raw()).unwrap_or(0);
                        let _ = update_state(paths, id, |s| {
                            before = Some((s.started_at, s.pid_start));
                            s.status = Status::Running;
                            s.pid = pid.as_raw();
                            s.pid_start = pid_start;
                            s.shim_pid = me;
                            s.shim_start = my_start;
                            s.boot_id = procfs::boot_id();
                            s.started_at = Some(Utc::now());
                            s.exit_code = 0;
                            s.error.clear();
                            s.oom_killed = false;
                        });
                        Ok(())
                    },
                )
            });
        held.net.set_dns(dns_socket.take());
        launched.map_err(|e| (e, before))
    }

    /// A start that failed: the record says why (and what it said before); the spawner
    /// hears it on a first start, the log on a restart. Returns the exit code.
    fn start_failed(
        &mut self,
        held: &mut Held,
        first: bool,
        e: LaunchError,
        before: Before,
    ) -> i32 {
        if !first {
            let _ = held.log.write(1, format!("{}\n", e.message).as_bytes());
        }
        release(
            &mut held.log,
            &mut held.net,
            &self.socket_path,
            &self.cgroup,
        );
        let mut before = before;
        let _ = update_state(&self.paths, &self.id, |s| {
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
            s.finished_at = Some(Utc::now());
        });
        if first {
            self.report(&format!("error {} {}", e.code, e.message));
        }
        e.code
    }

    /// One run: the poll loop until the process has exited; returns its exit code.
    fn supervise(
        &mut self,
        held: &mut Held,
        clients: &mut Vec<Client>,
        launched: Launched,
        privileges: &Result<Privileges, LaunchError>,
    ) -> i32 {
        let exec_privileges = privileges.as_ref().cloned().unwrap_or_default();
        let mut cpu = CpuSampler::start(&self.cgroup, &self.paths.cpu_samples(&self.id));
        let exec = || ExecContext {
            config: &self.config,
            cgroup: &self.cgroup,
            privileges: &exec_privileges,
        };
        let mut health = HealthMonitor::start(&self.engine, launched.pid, exec());
        let mut extra: Vec<&mut dyn supervise::Poller> = vec![&mut held.net];
        if let Some(h) = health.as_mut() {
            extra.push(h);
        }
        let code = Run {
            pid: launched.pid,
            stdio: launched.stdio,
            log: &mut held.log,
            listener: &held.listener,
            clients,
            exec: exec(),
            extra,
            cpu: cpu.as_mut(),
        }
        .until_exit();
        if let Some(h) = health {
            h.stop();
        }
        if let Some(c) = cpu {
            c.remove();
        }
        code
    }

    /// Records the exit (and an OOM kill) and decides on a restart by the restart policy:
    /// Some(restarts so far) when one is due; otherwise the host's resources are released.
    fn after_exit(&mut self, held: &mut Held, code: i32) -> Option<u32> {
        let oom = self.cgroup.oom_killed();
        let stop_requested = self.stop_requested();
        let restarts = record::load(&self.paths, &self.id)
            .map(|c| c.state.restart_count)
            .unwrap_or(0);
        let restart = !self.config.auto_remove
            && self
                .config
                .restart
                .should_restart(code, restarts, stop_requested);
        if !restart {
            release(
                &mut held.log,
                &mut held.net,
                &self.socket_path,
                &self.cgroup,
            );
        }
        let _ = update_state(&self.paths, &self.id, |s| {
            s.status = if restart {
                Status::Restarting
            } else {
                Status::Exited
            };
            s.pid = 0;
            s.exit_code = code;
            s.oom_killed = oom;
            s.finished_at = Some(Utc::now());
            if !restart {
                s.shim_pid = 0;
            }
        });
        let name = self.config.name.as_str();
        self.engine.emit(EngineEvent::ContainerDie {
            id: &self.id,
            name,
            exit_code: code,
        });
        if oom {
            self.engine
                .emit(EngineEvent::ContainerOom { id: &self.id, name });
        }
        restart.then_some(restarts)
    }

    /// Docker's back-off before a restart: 100 ms doubling, at most a minute. A stop
    /// request cancels it (the container is then exited, false); otherwise the restart is
    /// counted (true).
    fn back_off(&mut self, held: &mut Held, restarts: u32) -> bool {
        let delay = Duration::from_millis(100u64 << restarts.min(10)).min(Duration::from_secs(60));
        let until = Instant::now() + delay;
        while Instant::now() < until {
            if self.stop_requested() {
                release(
                    &mut held.log,
                    &mut held.net,
                    &self.socket_path,
                    &self.cgroup,
                );
                let _ = update_state(&self.paths, &self.id, |s| {
                    s.status = Status::Exited;
                    s.shim_pid = 0;
                });
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = update_state(&self.paths, &self.id, |s| s.restart_count += 1);
        self.engine.emit(EngineEvent::ContainerRestart {
            id: &self.id,
            name: &self.config.name,
        });
        true
    }

    /// Whether `stop` (or `rm -f`) asked this container to stop.
    fn stop_requested(&self) -> bool {
        self.paths
            .container(&self.id)
            .join(files::STOP_REQUESTED)
            .exists()
    }

    /// After the last run: with `--rm` the container leaves the state root before clients
    /// hear the exit (`run --rm` returns to a settled state); deleting its files can take a
    /// while on a busy disk and is done after.
    fn finish(&self, clients: &mut Vec<Client>, final_code: Option<i32>) {
        let retired = self
            .config
            .auto_remove
            .then(|| crate::engine::lifecycle::remove::retire_exited(&self.engine, &self.config));
        if self.config.auto_remove {
            // As in Docker, `--rm` takes the anonymous volumes too (named ones stay).
            crate::engine::lifecycle::remove::remove_anonymous_volumes(&self.engine, &self.config);
        }
        if let Some(code) = final_code {
            supervise::send_exit(clients, code);
        }
        if let Some(retired) = retired {
            crate::engine::lifecycle::remove::purge(&self.paths, &self.config, retired);
        }
    }
}
