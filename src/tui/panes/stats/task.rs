//! The Stats pane's background side: a sampler of every running container's stats, once a
//! second while the pane shows. The containers are the poller's last list (their records
//! are not read again for a sample: only their cgroup and network counters).

use crate::engine::{Container, ContainerId, Engine, StatsProbe, StatsSample};
use crate::tui::action::{Action, Effect};
use crate::tui::tasks::{Listed, PaneTasks, Sampler, Tx, spawn_sampler};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

/// The running sampler, if any: what the runner keeps to perform `WatchStats`.
pub struct StatsTask {
    /// The container poller's last list: the containers to sample.
    listed: Listed,
    sampler: Option<Sampler>,
}

impl StatsTask {
    /// No sampler running yet; it will sample the containers of `listed`.
    pub fn new(listed: Listed) -> StatsTask {
        StatsTask {
            listed,
            sampler: None,
        }
    }
}

impl PaneTasks for StatsTask {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        let Effect::WatchStats(on) = effect else {
            return Some(effect);
        };
        self.stop();
        if on {
            let listed = self.listed.clone();
            self.sampler = Some(spawn_stats_sampler(engine.clone(), listed, tx.clone()));
        }
        None
    }

    fn stop(&mut self) {
        if let Some(s) = self.sampler.take() {
            s.task.abort();
        }
    }
}

/// Samples the stats of every running container of `listed` once a second until aborted
/// (the runner aborts it when the container list leaves the screen). Each container's
/// counter files stay open between ticks in a [`StatsProbe`], rebuilt when the container
/// restarts or changes, and dropped when it is no longer listed as running (all of them
/// with the sampler).
fn spawn_stats_sampler(engine: Engine, listed: Listed, tx: Tx) -> Sampler {
    let probes = Mutex::new(Probes::new());
    spawn_sampler(
        Duration::from_secs(1),
        move || {
            let list = listed.borrow().clone();
            let mut probes = probes.lock().unwrap_or_else(|p| p.into_inner());
            sample_all(&engine, &list, &mut probes)
        },
        move |sampled| {
            tx.send(Action::StatsSampled(sampled.unwrap_or_default()))
                .is_ok()
        },
    )
}

/// The probes kept across ticks, by container id.
type Probes = HashMap<ContainerId, StatsProbe>;

/// One sample of each running container of `list`, through `probes`: a probe is built for
/// a container new to the list or whose record no longer fits its probe (restarted,
/// renamed), and the probes of containers gone from the running list are dropped (closing
/// their files).
fn sample_all(engine: &Engine, list: &[Container], probes: &mut Probes) -> Vec<StatsSample> {
    let running: Vec<&Container> = list.iter().filter(|c| c.state.status.has_shim()).collect();
    let ids: HashSet<&ContainerId> = running.iter().map(|c| c.id()).collect();
    probes.retain(|id, _| ids.contains(id));
    running
        .into_iter()
        .map(|c| {
            let probe = probes
                .entry(c.config.id.clone())
                .and_modify(|p| {
                    if !p.fits(c) {
                        *p = engine.stats_probe(c);
                    }
                })
                .or_insert_with(|| engine.stats_probe(c));
            probe.sample()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Status;

    fn running(n: u8, pid: i32) -> Container {
        let mut c = crate::tui::update_tests::container(n, &format!("c{n}"), Status::Running);
        c.state.pid = pid;
        c
    }

    #[test]
    fn probes_are_kept_rebuilt_on_a_new_process_and_dropped_with_the_container() {
        let root = tempfile::tempdir().expect("tempdir");
        let engine = Engine::open(root.path(), Default::default()).expect("engine");
        // Live processes to tie the probes to: this test process and init.
        let me = std::process::id() as i32;
        let (a, b) = (running(1, me), running(2, me));
        let mut probes = Probes::new();
        let sampled = sample_all(&engine, &[a.clone(), b.clone()], &mut probes);
        assert_eq!(sampled.len(), 2);
        assert!(sampled.iter().all(|s| s.running));
        assert_eq!(probes.len(), 2);

        // `a` restarted (a new first process), `b` no longer listed.
        let a2 = running(1, 1);
        assert!(!probes[a.id()].fits(&a2));
        let sampled = sample_all(&engine, std::slice::from_ref(&a2), &mut probes);
        assert_eq!(sampled.len(), 1);
        assert_eq!(probes.len(), 1, "b's probe is dropped");
        assert!(
            probes[a2.id()].fits(&a2),
            "a's probe follows its new process"
        );

        // Stopped: not sampled, its probe dropped.
        let mut stopped = a2.clone();
        stopped.state.status = Status::Exited;
        assert!(sample_all(&engine, &[stopped], &mut probes).is_empty());
        assert!(probes.is_empty());
    }
}
