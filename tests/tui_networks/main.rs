//! The Networks pane on ratatui's TestBackend: the topology (networks, containers with
//! address, aliases, published ports, live rx/tx), the DNS query log and the default
//! bridge's explanation, text and colours; the sample read from a real state root through
//! the engine; and, in a network namespace of the test's own, real containers asking the
//! embedded DNS server for a round-robin alias, seen in the engine's log and in the pane.

#[path = "../common/container_harness.rs"]
mod harness;
#[path = "../common/netns.rs"]
mod netns;
#[path = "../common/network_fixture.rs"]
mod network_fixture;

#[path = "../common/records.rs"]
mod records;
mod round_robin;

use berth::engine::{
    Container, ContainerId, DnsLogEntry, Engine, EngineOptions, IfBytes, Network, NetworkId,
    Outcome, PortBinding,
};
use berth::tui::action::Action;
use berth::tui::app::{App, AppSettings, Pane};
use berth::tui::keymap::Keymap;
use berth::tui::panes::networks::state::{self as networks, NetworksSample};
use berth::tui::theme::{Role, Theme};
use berth::tui::ui;
use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use harness::{Berth, wait_until};
use netns::NetNs;
use network_fixture::{config, endpoint, network, now, query, running};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::collections::BTreeMap;

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn draw(app: &App, theme: &Theme) -> Buffer {
    draw_at(app, theme, 130, 40)
}

fn draw_at(app: &App, theme: &Theme, width: u16, height: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    term.draw(|f| ui::render(app, theme, f.area(), f.buffer_mut()))
        .expect("draw");
    term.backend().buffer().clone()
}

fn screen(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    for (y, row) in screen(buf).iter().enumerate() {
        if let Some(i) = row.find(text) {
            return (row[..i].chars().count() as u16, y as u16);
        }
    }
    panic!("'{text}' not on screen:\n{}", screen(buf).join("\n"));
}

/// es1 and es2 behind the alias `search` on `app` (es1 publishing 8080), a client asking
/// for it, and a container on the default bridge.
fn topology() -> (
    Vec<Container>,
    Vec<Network>,
    BTreeMap<NetworkId, Vec<DnsLogEntry>>,
) {
    let mut es1 = config(1, "es1", "app");
    es1.net.ports = vec![PortBinding {
        host_ip: String::new(),
        host_port: 8080,
        container_port: 80,
        protocol: "tcp".into(),
    }];
    let (es1, es2) = (running(es1), running(config(2, "es2", "app")));
    let client = running(config(3, "client", "app"));
    let old = running(config(4, "old", "bridge"));
    let mut bridge = network(1, "bridge", "bridge", Some(("172.17.0.0/16", "172.17.0.1")));
    bridge.bridge = "berth0".into();
    bridge
        .endpoints
        .insert(old.id().clone(), endpoint("old", "172.17.0.2", "eth0", &[]));
    let host = network(2, "host", "host", None);
    let mut app = network(3, "app", "bridge", Some(("10.80.0.0/16", "10.80.0.1")));
    for (c, ip) in [(&es1, "10.80.0.2"), (&es2, "10.80.0.3")] {
        app.endpoints
            .insert(c.id().clone(), endpoint(c.name(), ip, "eth0", &["search"]));
    }
    app.endpoints.insert(
        client.id().clone(),
        endpoint("client", "10.80.0.4", "eth0", &[]),
    );
    let dns = BTreeMap::from([(
        app.id.clone(),
        vec![
            query(1, &client, "search", &["10.80.0.2", "10.80.0.3"]),
            query(2, &client, "search", &["10.80.0.3", "10.80.0.2"]),
            query(3, &client, "nosuch", &[]),
        ],
    )]);
    (vec![es1, es2, client, old], vec![bridge, host, app], dns)
}

fn counters(list: &[Container], rx: u64) -> BTreeMap<ContainerId, BTreeMap<String, IfBytes>> {
    list.iter()
        .map(|c| {
            let eth0 = IfBytes { rx, tx: rx / 4 };
            (c.id().clone(), BTreeMap::from([("eth0".to_string(), eth0)]))
        })
        .collect()
}

#[test]
fn pane_shows_topology_ports_rates_and_the_dns_log() {
    let (list, nets, dns) = topology();
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    app.update(Action::ContainersListed(Ok(list.clone())));
    // Open from es1 in the Containers pane: its networks are marked, app is selected.
    app.containers.selected = app
        .containers
        .list
        .iter()
        .position(|c| c.name() == "es1")
        .expect("es1");
    app.update(key('n'));
    assert_eq!(app.focus, Pane::Networks);
    for (i, rx) in [(0, 1000), (2, 5000)] {
        app.update(Action::NetworksSampled(Ok(NetworksSample {
            networks: nets.clone(),
            counters: counters(&list, rx),
            dns: dns.clone(),
            at: now() + Duration::seconds(i),
        })));
    }
    let theme = Theme::preset("default").expect("theme");
    let buf = draw(&app, &theme);
    let text = screen(&buf).join("\n");
    for want in [
        "Networks (3) · ● = networks of 'es1'",
        "NAME",
        "SUBNET",
        "GATEWAY",
        "172.17.0.0/16",
        "berth0",
        "10.80.0.0/16",
        " app · bridge · 10.80.0.0/16 via 10.80.0.1 ",
        "CONTAINER",
        "ALIASES",
        "PUBLISHED",
        "10.80.0.2/16",
        "10.80.0.3/16",
        "0.0.0.0:8080 → 10.80.0.2:80/tcp",
        "2kB/s (5kB)",
        "500B/s (1.25kB)",
        "DNS queries on app",
        "10.80.0.2, 10.80.0.3",
        "10.80.0.3, 10.80.0.2",
        "NXDOMAIN",
    ] {
        assert!(text.contains(want), "'{want}' missing:\n{text}");
    }
    // The app row is selected and marked; es1's row carries its alias and port.
    let (_, app_y) = find(&buf, "10.80.0.0/16  ");
    let row = &screen(&buf)[app_y as usize];
    assert!(row.contains("▶") && row.contains('●'), "{row}");
    let (_, es1_y) = find(&buf, "0.0.0.0:8080");
    let row = &screen(&buf)[es1_y as usize];
    assert!(row.contains("es1") && row.contains("search"), "{row}");
    // Round robin reads top to bottom, oldest first; the answers are coloured by outcome.
    let (_, first) = find(&buf, "10.80.0.2, 10.80.0.3");
    let (_, second) = find(&buf, "10.80.0.3, 10.80.0.2");
    assert!(first < second);
    let (x, y) = find(&buf, "NXDOMAIN");
    assert_eq!(
        buf[(x, y)].fg,
        theme.style(Role::Error).fg.expect("error colour")
    );
    let (x, y) = find(&buf, "10.80.0.2, 10.80.0.3");
    assert_eq!(
        buf[(x, y)].fg,
        theme.style(Role::Info).fg.expect("info colour")
    );
    let (_, client_y) = find(&buf, "nosuch");
    assert!(screen(&buf)[client_y as usize].contains("client"));
    // An 80x24 terminal: compact tables keep the names, addresses, rates and answers.
    let text = screen(&draw_at(&app, &theme, 80, 24)).join("\n");
    for want in [
        "▶ ● app",
        "es1",
        "10.80.0.3/16",
        "2kB/s",
        "10.80.0.3, 10.80.0.2",
    ] {
        assert!(text.contains(want), "'{want}' missing at 80x24:\n{text}");
    }

    // The default bridge: its container, and why names do not resolve there.
    app.update(key('g'));
    let buf = draw(&app, &theme);
    let text = screen(&buf).join("\n");
    assert!(text.contains("172.17.0.2/16"), "{text}");
    assert!(
        text.contains("names do not resolve on the default bridge network, as in Docker"),
        "{text}"
    );
    assert!(!text.contains("NXDOMAIN"), "{text}");
}

#[test]
fn sample_reads_records_and_dns_logs_from_a_state_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(dir.path(), EngineOptions::default()).expect("open");
    let (list, mut nets, _) = topology();
    let mut app_net = nets.remove(2);
    // No Linux bridge behind this record: removing it below touches no link of the host.
    app_net.bridge = String::new();
    engine.networks().expect("the built-in networks");
    let records = dir.path().join("networks");
    records::write_json(&records.join(format!("{}.json", app_net.id)), &app_net)
        .expect("save record");
    let client = &list[2];
    for (i, addrs) in [["10.80.0.2", "10.80.0.3"], ["10.80.0.3", "10.80.0.2"]]
        .iter()
        .enumerate()
    {
        let e = query(i as i64, client, "search", addrs);
        let mut line = serde_json::to_vec(&e).expect("json");
        line.push(b'\n');
        let log = records.join(format!("{}.dns.jsonl", app_net.id));
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(log)
            .expect("open log");
        std::io::Write::write_all(&mut f, &line).expect("append");
    }
    let s = networks::sample(&engine).expect("sample");
    let names: Vec<&str> = s.networks.iter().map(|n| n.name.as_str()).collect();
    assert!(
        ["bridge", "host", "none", "app"]
            .iter()
            .all(|n| names.contains(n)),
        "{names:?}"
    );
    assert_eq!(s.dns[&app_net.id].len(), 2);
    assert!(
        !s.dns.keys().any(|id| s
            .networks
            .iter()
            .any(|n| n.id == *id && !n.is_user_bridge())),
        "only user networks have DNS logs"
    );
    assert_eq!(
        engine.network_dns_log("app", 1).expect("log")[0].addresses,
        vec!["10.80.0.3", "10.80.0.2"]
    );
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    app.update(key('n'));
    app.update(Action::NetworksSampled(Ok(s)));
    app.networks.selected = app
        .networks
        .networks
        .iter()
        .position(|n| n.name == "app")
        .expect("app");
    let buf = draw(&app, &Theme::preset("default").expect("theme"));
    let text = screen(&buf).join("\n");
    for want in [
        "es1",
        "es2",
        "10.80.0.2/16",
        "10.80.0.3, 10.80.0.2",
        "Networks (4)",
    ] {
        assert!(text.contains(want), "'{want}' missing:\n{text}");
    }
    // Removing the network takes its log along.
    engine.remove_network("app").expect("rm");
    assert!(!records.join(format!("{}.dns.jsonl", app_net.id)).exists());
}

/// Inspect's address of `name` on its network.
fn address(ns: &NetNs, b: &Berth, name: &str) -> String {
    let f = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}";
    ns.ok(b, &["inspect", name, "--format", f])
        .trim()
        .to_string()
}
