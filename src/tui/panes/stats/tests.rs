//! Unit tests of the Stats/Top side of `App::update`: the bounded history ring, scroll
//! back, sorting the container list and the processes, and when the watchers run.

mod render;

use crate::engine::ProcessInfo;
use crate::engine::StatsSample;
use crate::engine::{Container, Status};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, AppSettings, ContainerSort, Pane};
use crate::tui::keymap::{Keymap, UserAction};
use crate::tui::panes::stats::state::{Metrics, spark};
use crate::tui::panes::top::state::TopSort;
use std::time::{Duration, Instant};

fn container(n: u8, name: &str) -> Container {
    crate::tui::update_tests::container(n, name, Status::Running)
}

fn sample(id: &str, at: Instant, cpu_ns: u64, mem: u64) -> StatsSample {
    StatsSample {
        id: crate::engine::ContainerId::from_trusted(id),
        cpu_total_ns: cpu_ns,
        memory_usage: mem,
        memory_limit: 1000,
        running: true,
        at: Some(at),
        ..Default::default()
    }
}

fn user(a: &mut App, u: UserAction) -> Vec<Effect> {
    a.update(Action::User(u))
}

#[test]
fn history_is_a_bounded_ring_that_scrolls_back() {
    let mut m = Metrics::new(5);
    let t0 = Instant::now();
    for i in 0..9u64 {
        let at = t0 + Duration::from_secs(i);
        m.push(vec![sample("a", at, i * 100_000_000, i)], Some("a"));
    }
    let s = &m.series["a"];
    assert_eq!(s.points.len(), 5, "only the capacity is kept");
    assert_eq!(s.points.back().map(|p| p.mem), Some(8));
    assert_eq!(s.points.front().map(|p| p.mem), Some(4));
    assert!((s.points[0].cpu - 10.0).abs() < 0.01);
    m.scroll(Some("a"), 2);
    assert_eq!(
        m.window("a", 2).iter().map(|p| p.mem).collect::<Vec<_>>(),
        vec![5, 6]
    );
    // Scrolled back, the view stays on the same moment when a sample arrives.
    m.push(
        vec![sample("a", t0 + Duration::from_secs(9), 0, 9)],
        Some("a"),
    );
    assert_eq!(m.offset, 3);
    m.scroll(Some("a"), 100);
    assert_eq!(m.offset, 4, "never past the oldest point");
    m.retain(&[]);
    assert!(m.series.is_empty());
    assert_eq!(spark(&[0.0, 50.0, 100.0], 100.0, 2), "▅█");
}

#[test]
fn cycle_sort_orders_containers_by_cpu_memory_name_and_back_to_age() {
    let mut a = App::new(
        Keymap::default(),
        AppSettings::default(),
        chrono::Utc::now(),
    );
    let list = vec![
        container(3, "web"),
        container(2, "db"),
        container(1, "cache"),
    ];
    let ids: Vec<String> = list.iter().map(|c| c.id().to_string()).collect();
    a.update(Action::ContainersListed(Ok(list)));
    let t0 = Instant::now();
    // CPU: db busiest; memory: cache biggest.
    for (i, (cpu, mem)) in [(1, 10), (9, 20), (5, 900)].iter().enumerate() {
        for s in 0..2u64 {
            let at = t0 + Duration::from_secs(s);
            a.update(Action::StatsSampled(vec![sample(
                &ids[i],
                at,
                s * cpu * 10_000_000,
                *mem,
            )]));
        }
    }
    let names = |a: &App| {
        a.containers
            .list
            .iter()
            .map(|c| c.name().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), ["web", "db", "cache"]);
    user(&mut a, UserAction::CycleSort);
    assert_eq!(a.containers.sort, ContainerSort::Cpu);
    assert_eq!(names(&a), ["db", "cache", "web"]);
    assert_eq!(
        a.selected_container().map(|c| c.name()),
        Some("web"),
        "the selection follows"
    );
    user(&mut a, UserAction::CycleSort);
    assert_eq!(names(&a), ["cache", "db", "web"]);
    user(&mut a, UserAction::CycleSort);
    assert_eq!(a.containers.sort, ContainerSort::Name);
    assert_eq!(names(&a), ["cache", "db", "web"]);
    user(&mut a, UserAction::CycleSort);
    assert_eq!(names(&a), ["web", "db", "cache"], "age: the engine's order");
}

fn process(pid: i32, cpu: f64, rss_kb: u64, command: &str) -> ProcessInfo {
    ProcessInfo {
        pid,
        ppid: 0,
        uid: 0,
        user: "root".into(),
        cpu_percent: cpu,
        rss_kb,
        vsz_kb: 0,
        started: None,
        tty: "?".into(),
        cpu_seconds: 0,
        state: 'S',
        command: command.into(),
    }
}

#[test]
fn top_watcher_runs_only_while_visible_and_processes_sort() {
    let mut a = App::new(
        Keymap::default(),
        AppSettings::default(),
        chrono::Utc::now(),
    );
    a.update(Action::ContainersListed(Ok(vec![container(1, "web")])));
    let fx = user(&mut a, UserAction::FocusTop);
    let generation = a.top.generation;
    assert!(fx.contains(&Effect::WatchTop {
        container: Some("web".into()),
        generation
    }));
    let procs = vec![
        process(3, 1.0, 10, "b"),
        process(1, 9.0, 5, "c"),
        process(2, 4.0, 50, "a"),
    ];
    // A stale watcher's list is dropped.
    a.update(Action::TopListed {
        generation: generation - 1,
        result: Ok(procs.clone()),
    });
    assert!(a.top.procs.is_empty());
    a.update(Action::TopListed {
        generation,
        result: Ok(procs),
    });
    let pids = |a: &App| a.top.procs.iter().map(|p| p.pid).collect::<Vec<_>>();
    assert_eq!(pids(&a), [1, 2, 3], "by cpu");
    for (sort, want) in [
        (TopSort::Memory, [2, 3, 1]),
        (TopSort::Command, [2, 3, 1]),
        (TopSort::Pid, [1, 2, 3]),
    ] {
        user(&mut a, UserAction::CycleSort);
        assert_eq!(a.top.sort, sort);
        assert_eq!(pids(&a), want, "{sort:?}");
    }
    // Leaving for the Images pane stops both watchers; coming back starts them again.
    let fx = user(&mut a, UserAction::FocusImages);
    assert!(fx.contains(&Effect::WatchStats(false)), "{fx:?}");
    assert!(fx.contains(&Effect::WatchTop {
        container: None,
        generation: a.top.generation
    }));
    let fx = user(&mut a, UserAction::NextPane);
    assert_eq!(
        a.focus,
        Pane::Networks,
        "the Networks pane fills the screen too"
    );
    assert!(!fx.contains(&Effect::WatchStats(true)), "{fx:?}");
    let fx = user(&mut a, UserAction::NextPane);
    assert_eq!(
        a.focus,
        Pane::Volumes,
        "the Volumes pane fills the screen too"
    );
    assert!(!fx.contains(&Effect::WatchStats(true)), "{fx:?}");
    let fx = user(&mut a, UserAction::NextPane);
    assert_eq!(a.focus, Pane::Containers);
    assert!(fx.contains(&Effect::WatchStats(true)), "{fx:?}");
    assert!(fx.iter().any(|e| matches!(
        e,
        Effect::WatchTop {
            container: Some(_),
            ..
        }
    )));
    // The Logs pane under the list: no Top watcher.
    let fx = user(&mut a, UserAction::NextPane);
    assert_eq!(a.detail, Pane::Logs);
    assert!(fx.contains(&Effect::WatchTop {
        container: None,
        generation: a.top.generation
    }));
}
