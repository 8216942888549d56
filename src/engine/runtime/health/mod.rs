//! The healthcheck as the shim runs it: a [`Poller`] in the shim's loop that starts a
//! probe (like an `exec`) on Docker's schedule, kills one that outlives its timeout, and
//! writes what it found to the container's `health.json` (atomically; the engine reads it
//! as `State.Health`). A change to healthy or unhealthy is a `health_status` event.
//!
//! Schedule, as Docker's: the first probe one interval after the start, the next one
//! interval after the last ended; during the start period, while still starting, the start
//! interval instead. Failures within the start period do not count until a probe passed.

mod probe;

use super::supervise::{ExecContext, Poller};
use crate::engine::Engine;
use crate::engine::container::record::files;
use crate::engine::container::{Health, HealthConfig, HealthResult, HealthStatus};
use crate::engine::engine_event::EngineEvent;
use crate::engine::store::{read_json, write_record_exchanged};
use nix::poll::PollFlags;
use nix::unistd::Pid;
use probe::Probe;
use std::os::fd::{AsRawFd, RawFd};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often probes that could not get a pidfd are looked at.
const REAP_POLL: Duration = Duration::from_millis(100);
/// The token of the running probe's exit; output streams are 0 and 1, killed probes
/// waiting to be reaped come after.
const EXIT: usize = 2;
const DYING: usize = 3;

/// One run's healthcheck.
pub struct HealthMonitor<'a> {
    check: HealthConfig,
    argv: Vec<String>,
    target: Pid,
    exec: ExecContext<'a>,
    engine: &'a Engine,
    path: PathBuf,
    health: Health,
    run_started: Instant,
    next_probe: Instant,
    probe: Option<Probe>,
    /// Probes killed for their timeout, until their helper is reaped.
    dying: Vec<Probe>,
}

impl<'a> HealthMonitor<'a> {
    /// The monitor of a run whose first process is `target`, or `None` when the container
    /// has no healthcheck. The health starts over (starting, no failures); the log of the
    /// last run stays, as in Docker.
    pub fn start(engine: &'a Engine, target: Pid, exec: ExecContext<'a>) -> Option<Self> {
        let check = exec.config.active_healthcheck()?.clone();
        let argv = check.probe_argv()?;
        let path = engine
            .paths()
            .container(&exec.config.id)
            .join(files::HEALTH);
        let previous: Option<Health> = read_json(&path).ok();
        let health = Health {
            log: previous.map(|h| h.log).unwrap_or_default(),
            ..Health::default()
        };
        let now = Instant::now();
        let mut m = HealthMonitor {
            check,
            argv,
            target,
            exec,
            engine,
            path,
            health,
            run_started: now,
            next_probe: now,
            probe: None,
            dying: Vec::new(),
        };
        m.next_probe = now + m.interval();
        m.write();
        Some(m)
    }

    /// Docker's interval now: the start interval while starting within the start period.
    fn interval(&self) -> Duration {
        let in_start = self.run_started.elapsed() < self.check.start_period_or_default();
        if in_start && self.health.status == HealthStatus::Starting {
            self.check.start_interval_or_default()
        } else {
            self.check.interval_or_default()
        }
    }

    fn write(&self) {
        let _ = write_record_exchanged(&self.path, &self.health);
    }

    /// Records one probe's result (started at `started`), tells a change of health, and
    /// schedules the next probe.
    fn record(&mut self, result: HealthResult, started: Instant) {
        let before = self.health.status;
        let in_start_period =
            started.duration_since(self.run_started) < self.check.start_period_or_default();
        self.health
            .record(result, self.check.retries_or_default(), in_start_period);
        self.write();
        let now = self.health.status;
        if now != before && now != HealthStatus::Starting {
            self.engine.emit(EngineEvent::ContainerHealthStatus {
                id: &self.exec.config.id,
                name: &self.exec.config.name,
                healthy: now == HealthStatus::Healthy,
            });
        }
        self.next_probe = Instant::now() + self.interval();
    }

    /// The running probe's helper exited: its result.
    fn finish_probe(&mut self) {
        if let Some(mut p) = self.probe.take() {
            let result = p.result();
            self.record(result, p.started);
        }
    }

    /// After the run: a running probe is killed and, as in Docker, a stopped container's
    /// health is unhealthy.
    pub fn stop(mut self) {
        if let Some(mut p) = self.probe.take() {
            p.kill();
            self.dying.push(p);
        }
        for p in &mut self.dying {
            // Its pid namespace is gone with the container: the helper ends at once.
            for _ in 0..50 {
                if p.try_reap() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        self.health.status = HealthStatus::Unhealthy;
        self.write();
    }
}

impl Poller for HealthMonitor<'_> {
    fn interest(&mut self) -> Vec<(RawFd, PollFlags, usize)> {
        let mut v: Vec<(RawFd, PollFlags, usize)> = self
            .probe
            .iter()
            .flat_map(|p| p.fds())
            .map(|(fd, token)| (fd, PollFlags::POLLIN, token))
            .collect();
        for (i, p) in self.dying.iter().enumerate() {
            if let Some(pf) = &p.pidfd {
                v.push((pf.as_raw_fd(), PollFlags::POLLIN, DYING + i));
            }
        }
        v
    }

    fn ready(&mut self, token: usize, _revents: PollFlags) {
        match token {
            0 | 1 => {
                if let Some(p) = self.probe.as_mut() {
                    p.read(token);
                }
            }
            EXIT => {
                if self.probe.as_mut().is_some_and(Probe::try_reap) {
                    self.finish_probe();
                }
            }
            _ => {
                if let Some(p) = self.dying.get_mut(token - DYING) {
                    p.try_reap();
                }
            }
        }
    }

    fn tick(&mut self) -> Option<Duration> {
        let now = Instant::now();
        self.dying.retain_mut(|p| !p.try_reap());
        let timeout = self.check.timeout_or_default();
        if let Some(p) = self.probe.as_mut() {
            if p.pidfd.is_none() && p.try_reap() {
                self.finish_probe();
            } else if now >= p.started + timeout {
                p.kill();
                let result = HealthResult {
                    start: p.start,
                    end: chrono::Utc::now(),
                    exit_code: -1,
                    output: format!(
                        "Health check exceeded timeout ({})",
                        probe::go_duration(timeout)
                    ),
                };
                let started = p.started;
                if let Some(p) = self.probe.take() {
                    self.dying.push(p);
                }
                self.record(result, started);
            }
        }
        if self.probe.is_none() && Instant::now() >= self.next_probe {
            match Probe::start(self.argv.clone(), self.target, &self.exec) {
                Ok(p) => self.probe = Some(p),
                Err(result) => self.record(result, now),
            }
        }
        let now = Instant::now();
        let due = match &self.probe {
            Some(p) => p.started + timeout,
            None => self.next_probe,
        };
        let mut wait = due.saturating_duration_since(now);
        let unwatched = self
            .probe
            .iter()
            .chain(&self.dying)
            .any(|p| p.pidfd.is_none());
        if unwatched {
            wait = wait.min(REAP_POLL);
        }
        Some(wait)
    }
}
