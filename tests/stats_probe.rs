//! `Engine::stats_probe` (root only): the dashboard's Stats sampler keeps each running
//! container's counter files open and re-reads them; its samples must be what a one-off
//! `Engine::stats_of` gives, follow the container through a stop and a restart (new
//! process, new network namespace), and never keep the container's cgroup or namespace
//! from going away.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use berth::engine::{Container, Engine, StatsSample};
use harness::Berth;
use netns::NetNs;
use std::time::Duration;

fn record(engine: &Engine, name: &str) -> Container {
    engine.container(name).expect("the container's record")
}

/// The fields of a sample that do not move by themselves in an idle container.
fn steady(s: &StatsSample) -> (String, String, bool, u64, bool, u64) {
    (
        s.id.to_string(),
        s.name.clone(),
        s.running,
        s.memory_limit,
        s.memory_limited,
        s.pids,
    )
}

#[test]
fn a_probe_samples_what_stats_of_reads_and_follows_stop_and_restart() {
    let b = Berth::new();
    // Three processes (pids.current 3), a memory limit of its own, and a busy loop so the
    // CPU counter moves between two readings.
    let id = b.run_detached(&[
        "--name",
        "probed",
        "--memory",
        "64m",
        "busybox",
        "sh",
        "-c",
        "sleep 300 & sleep 300 & while :; do :; done",
    ]);
    let engine = Engine::open(&b.root(), Default::default()).expect("open the engine");
    let c = record(&engine, "probed");
    let mut probe = engine.stats_probe(&c);
    assert!(probe.fits(&c));
    // The shim's second CPU sample, for the CPU % of the last second.
    std::thread::sleep(Duration::from_millis(2200));

    let first = probe.sample();
    let once = engine.stats_of(&c);
    std::thread::sleep(Duration::from_millis(300));
    let second = probe.sample();
    assert_eq!(steady(&first), steady(&once), "{first:?}\n{once:?}");
    assert_eq!(steady(&second), steady(&once), "{second:?}\n{once:?}");
    assert_eq!(once.pids, 3, "{once:?}");
    assert_eq!(once.memory_limit, 64 << 20);
    assert!(once.memory_limited);
    assert!(
        first.cpu_total_ns <= once.cpu_total_ns && once.cpu_total_ns < second.cpu_total_ns,
        "the CPU counter grows: {} {} {}",
        first.cpu_total_ns,
        once.cpu_total_ns,
        second.cpu_total_ns
    );
    assert!(second.memory_usage > 0);
    assert!(second.recent_cpu_percent.is_some_and(|p| p > 10.0));
    assert!(once.recent_cpu_percent.is_some());

    // Stopped while the probe still holds its files: nothing is left behind, the probe no
    // longer fits the record, and one built from the new record reads a stopped container.
    b.ok(&["stop", "-t", "0", "probed"]);
    b.assert_no_leftovers(&id);
    let stopped = record(&engine, "probed");
    assert!(!probe.fits(&stopped));
    assert!(!probe.fits(&c), "its process exited");
    let mut rebuilt = engine.stats_probe(&stopped);
    let s = rebuilt.sample();
    assert!(!s.running);
    assert_eq!(steady(&s), steady(&engine.stats_of(&stopped)));

    // Started again: a new first process, a probe that fits it and reads like stats_of.
    b.ok(&["start", "probed"]);
    let again = record(&engine, "probed");
    assert_ne!(again.state.pid, c.state.pid);
    assert!(!rebuilt.fits(&again));
    let mut rebuilt = engine.stats_probe(&again);
    assert!(rebuilt.fits(&again));
    b.wait_until("three processes again", Duration::from_secs(10), || {
        rebuilt.sample().pids == 3
    });
    assert_eq!(steady(&rebuilt.sample()), steady(&engine.stats_of(&again)));
    b.ok(&["stop", "-t", "0", "probed"]);
    b.assert_no_leftovers(&id);
}

/// Bytes sent and received by the container, as the probe and as `stats_of` read them,
/// once the two agree (an idle interface can still see a stray packet between them).
fn agreeing_net(
    b: &Berth,
    engine: &Engine,
    probe: &mut berth::engine::StatsProbe,
    c: &Container,
) -> (u64, u64) {
    let mut seen = (0, 0);
    b.wait_until(
        "probe and stats_of agree on the network",
        Duration::from_secs(10),
        || {
            let p = probe.sample();
            let o = engine.stats_of(c);
            seen = (p.net_rx, p.net_tx);
            (p.net_rx, p.net_tx) == (o.net_rx, o.net_tx)
        },
    );
    seen
}

#[test]
fn after_a_restart_the_rebuilt_probe_counts_the_new_network_namespace() {
    let ns = NetNs::new();
    let b = Berth::new();
    b.docker_defaults();
    // The first run pings the bridge's gateway (traffic on eth0); a restart runs quietly in
    // a new namespace whose counters start again from nothing.
    let script =
        "if [ ! -e /pinged ]; then touch /pinged; ping -c 4 -s 1000 172.17.0.1; fi; exec sleep 300";
    let id = ns
        .ok(
            &b,
            &["run", "-d", "--name", "net", "busybox", "sh", "-c", script],
        )
        .trim()
        .to_string();
    let engine = Engine::open(&b.root(), Default::default()).expect("open the engine");
    let c = record(&engine, "net");
    let mut probe = engine.stats_probe(&c);
    b.wait_until("four pings sent", Duration::from_secs(20), || {
        probe.sample().net_tx >= 4 * 1000
    });
    let (rx, tx) = agreeing_net(&b, &engine, &mut probe, &c);
    assert!(rx >= 4 * 1000 && tx >= 4 * 1000, "rx {rx} tx {tx}");

    ns.ok(&b, &["restart", "-t", "0", "net"]);
    let again = record(&engine, "net");
    assert_ne!(again.state.pid, c.state.pid);
    assert!(
        !probe.fits(&again),
        "a new process: the probe must be rebuilt"
    );
    // Until then the old probe reads as stats_of does on the old record: its first
    // process is gone, so no network; not the old namespace its files could keep alive.
    let stale = probe.sample();
    let once = engine.stats_of(&c);
    assert_eq!((stale.net_rx, stale.net_tx), (once.net_rx, once.net_tx));
    assert_eq!((stale.net_rx, stale.net_tx), (0, 0));
    // ... and the container's cgroup by its path (the files it opened went with the old one).
    assert_eq!(
        (stale.pids, stale.memory_limit),
        (once.pids, once.memory_limit)
    );
    assert_eq!(stale.pids, 1, "{stale:?}");
    let mut probe = engine.stats_probe(&again);
    let (rx, tx) = agreeing_net(&b, &engine, &mut probe, &again);
    assert!(
        rx < 1000 && tx < 1000,
        "the new namespace's counters: rx {rx} tx {tx}"
    );
    ns.ok(&b, &["rm", "-f", "net"]);
    b.assert_no_leftovers(&id);
}
