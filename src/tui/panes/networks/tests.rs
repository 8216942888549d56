//! Unit tests of the Networks side of `App::update`: when the watcher runs, opening the
//! pane from a container, rates from two samples, and the create, remove, connect and
//! disconnect popups with the commands they log.

mod sizes;

use crate::engine::IfBytes;
use crate::engine::{Container, Status};
use crate::engine::{Endpoint, Network};
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::app::{App, AppSettings, Pane, Popup, PromptKind};
use crate::tui::keymap::{Keymap, UserAction};
use crate::tui::panes::networks::state::NetworksSample;
use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .expect("time")
}

fn container(n: u8, name: &str, mode: &str) -> Container {
    let mut c = crate::tui::update_tests::container(n, name, Status::Running);
    c.config.network_mode = mode.into();
    c
}

fn endpoint(name: &str, ip: &str, ifname: &str) -> Endpoint {
    Endpoint {
        container_name: name.into(),
        endpoint_id: "e".repeat(64),
        mac: "02:42:0a:50:00:02".into(),
        ipv4: ip.into(),
        aliases: vec![],
        ifname: ifname.into(),
    }
}

fn net(n: u8, name: &str, subnet: &str, members: Vec<(&Container, Endpoint)>) -> Network {
    Network {
        id: format!("{n:02x}").repeat(32).parse().expect("network id"),
        name: name.into(),
        driver: "bridge".into(),
        created: t0() + Duration::seconds(n.into()),
        subnet: Some(subnet.into()),
        gateway: None,
        ip_range: None,
        internal: false,
        labels: BTreeMap::new(),
        bridge: format!("br-{n}"),
        endpoints: members
            .into_iter()
            .map(|(c, e)| (c.id().clone(), e))
            .collect(),
        mtu: None,
    }
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn enter() -> Action {
    Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

/// web (on bridge and app, app as eth0), db (on app), tool (bridge only), hostc (host).
fn setup() -> (App, Vec<Container>, Vec<Network>) {
    let mut a = App::new(Keymap::default(), AppSettings::default(), t0());
    let web = container(1, "web", "app");
    let db = container(2, "db", "app");
    let tool = container(3, "tool", "bridge");
    let hostc = container(4, "hostc", "host");
    let list = vec![web.clone(), db.clone(), tool.clone(), hostc.clone()];
    a.update(Action::ContainersListed(Ok(list.clone())));
    let nets = vec![
        net(
            1,
            "bridge",
            "172.17.0.0/16",
            vec![
                (&tool, endpoint("tool", "172.17.0.2", "eth0")),
                (&web, endpoint("web", "172.17.0.3", "eth1")),
            ],
        ),
        net(2, "host", "", vec![]),
        net(
            3,
            "app",
            "10.80.0.0/16",
            vec![
                (&web, endpoint("web", "10.80.0.2", "eth0")),
                (&db, endpoint("db", "10.80.0.3", "eth0")),
            ],
        ),
    ];
    let mut nets = nets;
    nets[1].driver = "host".into();
    nets[1].subnet = None;
    nets[1].bridge = String::new();
    (a, list, nets)
}

fn sample(nets: &[Network], at: DateTime<Utc>, rx: u64) -> Action {
    let mut counters = BTreeMap::new();
    let ifaces = BTreeMap::from([("eth0".to_string(), IfBytes { rx, tx: rx / 2 })]);
    for n in nets {
        for id in n.endpoints.keys() {
            counters.insert(id.clone(), ifaces.clone());
        }
    }
    Action::NetworksSampled(Ok(NetworksSample {
        networks: nets.to_vec(),
        counters,
        dns: BTreeMap::new(),
        at,
    }))
}

/// Selects the container named `name` in the list (the list is ordered newest first).
fn select(a: &mut App, name: &str) {
    a.containers.selected = a
        .containers
        .list
        .iter()
        .position(|c| c.name() == name)
        .expect("listed");
}

#[test]
fn opening_from_a_container_marks_its_networks_and_runs_the_watcher() {
    let (mut a, list, nets) = setup();
    select(&mut a, "web");
    let effects = a.update(key('n'));
    assert_eq!(a.focus, Pane::Networks);
    assert!(effects.contains(&Effect::RefreshNetworks), "{effects:?}");
    assert!(
        effects.contains(&Effect::WatchNetworks(true)),
        "{effects:?}"
    );
    assert!(effects.contains(&Effect::WatchStats(false)), "{effects:?}");
    assert_eq!(
        a.command_log.last().map(String::as_str),
        Some("berth inspect --format '{{json .NetworkSettings.Networks}}' web")
    );
    assert_eq!(
        a.networks.for_container.as_deref(),
        Some(list[0].id().as_str())
    );
    // The first sample selects web's first network (eth0): app.
    a.update(sample(&nets, t0(), 1000));
    assert_eq!(a.networks.current().map(|n| n.name.as_str()), Some("app"));
    a.update(key('k'));
    assert_eq!(a.networks.current().map(|n| n.name.as_str()), Some("host"));
    // A new sample keeps the selection on the same network.
    let mut reordered = nets.clone();
    reordered.reverse();
    a.update(sample(&reordered, t0() + Duration::seconds(1), 1000));
    assert_eq!(a.networks.current().map(|n| n.name.as_str()), Some("host"));
    // Leaving (tab goes on to the Volumes pane) stops the watcher.
    let effects = a.update(Action::User(UserAction::NextPane));
    assert_eq!(a.focus, Pane::Volumes);
    assert!(
        effects.contains(&Effect::WatchNetworks(false)),
        "{effects:?}"
    );
    assert!(!a.networks.watching);
}

#[test]
fn two_samples_give_rates_per_endpoint() {
    let (mut a, list, nets) = setup();
    a.update(key('n'));
    a.update(sample(&nets, t0(), 1000));
    let app_net = nets[2].clone();
    let rows = a.networks.endpoint_rows(&app_net, &a.containers.list);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].name, "db");
    let io = rows[0].io.expect("io");
    assert_eq!((io.rx, io.tx, io.rx_rate), (1000, 500, None));
    a.update(sample(&nets, t0() + Duration::seconds(2), 5000));
    let rows = a.networks.endpoint_rows(&app_net, &a.containers.list);
    let io = rows[1].io.expect("io");
    assert_eq!(&rows[1].container_id, list[0].id());
    assert_eq!(io.rx_rate, Some(2000.0));
    assert_eq!(io.tx_rate, Some(1000.0));
    assert_eq!(rows[1].address, "10.80.0.2/16");
    // A refresh right after a sample updates totals and keeps the last interval's rates;
    // the next sample measures from the last full one.
    a.update(sample(&nets, t0() + Duration::milliseconds(2100), 9000));
    let io = a.networks.endpoint_rows(&app_net, &a.containers.list)[1]
        .io
        .expect("io");
    assert_eq!((io.rx, io.rx_rate), (9000, Some(2000.0)));
    a.update(sample(&nets, t0() + Duration::seconds(3), 9000));
    let io = a.networks.endpoint_rows(&app_net, &a.containers.list)[1]
        .io
        .expect("io");
    assert_eq!(io.rx_rate, Some(4000.0));
    // web's eth1 on the default bridge has no counters in this sample.
    let rows = a.networks.endpoint_rows(&nets[0], &a.containers.list);
    assert!(
        rows.iter()
            .find(|r| r.name == "web")
            .expect("web")
            .io
            .is_none()
    );
    // A failed sample keeps the last one and says why.
    a.update(Action::NetworksSampled(Err("disk gone".into())));
    assert_eq!(a.networks.error.as_deref(), Some("disk gone"));
    assert_eq!(a.networks.networks.len(), 3);
}

#[test]
fn create_prompt_takes_a_name_and_an_optional_subnet() {
    let (mut a, _, nets) = setup();
    a.update(key('n'));
    a.update(sample(&nets, t0(), 0));
    a.update(key('a'));
    assert!(matches!(
        &a.popup,
        Some(Popup::Prompt(p)) if p.kind == PromptKind::CreateNetwork
    ));
    for c in "a b c".chars() {
        a.update(key(c));
    }
    assert!(a.update(enter()).is_empty());
    assert!(a.popup.is_some(), "a bad answer keeps the prompt open");
    assert!(a.status.as_ref().is_some_and(|m| m.text.contains("subnet")));
    for _ in 0..5 {
        a.update(Action::Key(KeyEvent::new(
            KeyCode::Backspace,
            KeyModifiers::NONE,
        )));
    }
    for c in "front 10.90.0.0/16".chars() {
        a.update(key(c));
    }
    let effects = a.update(enter());
    let op = EngineOp::CreateNetwork {
        name: "front".into(),
        subnet: Some("10.90.0.0/16".into()),
    };
    assert!(effects.contains(&Effect::Engine(op.clone())), "{effects:?}");
    assert_eq!(
        a.command_log.last().map(String::as_str),
        Some("berth network create --subnet 10.90.0.0/16 front")
    );
    let effects = a.update(Action::OpFinished { op, result: Ok(()) });
    assert!(effects.contains(&Effect::RefreshNetworks), "{effects:?}");
    a.update(key('a'));
    for c in "back".chars() {
        a.update(key(c));
    }
    a.update(enter());
    assert_eq!(
        a.command_log.last().map(String::as_str),
        Some("berth network create back")
    );
}

#[test]
fn remove_asks_first_and_refuses_builtin_networks() {
    let (mut a, _, nets) = setup();
    a.update(key('n'));
    a.update(sample(&nets, t0(), 0));
    a.update(key('g'));
    assert_eq!(
        a.networks.current().map(|n| n.name.as_str()),
        Some("bridge")
    );
    a.update(key('d'));
    assert!(a.popup.is_none());
    assert!(
        a.status
            .as_ref()
            .is_some_and(|m| m.text.contains("pre-defined"))
    );
    a.update(key('G'));
    a.update(key('d'));
    assert_eq!(a.popup, Some(Popup::ConfirmRemoveNetwork("app".into())));
    a.update(key('n'));
    assert!(a.popup.is_none(), "n answers no");
    assert_eq!(a.networks.current().map(|n| n.name.as_str()), Some("app"));
    a.update(key('d'));
    let effects = a.update(key('y'));
    assert!(
        effects.contains(&Effect::Engine(EngineOp::RemoveNetwork("app".into()))),
        "{effects:?}"
    );
    assert_eq!(
        a.command_log.last().map(String::as_str),
        Some("berth network rm app")
    );
}

#[test]
fn connect_and_disconnect_choose_the_container() {
    let (mut a, _, nets) = setup();
    select(&mut a, "tool");
    a.update(key('n'));
    a.update(sample(&nets, t0(), 0));
    // tool's first network is the default bridge; go to app.
    assert_eq!(
        a.networks.current().map(|n| n.name.as_str()),
        Some("bridge")
    );
    a.update(key('G'));
    // `c` connects here (not the Stats pane's key): tool can join, hostc (host) cannot.
    a.update(key('c'));
    let Some(Popup::NetworkConnect {
        containers,
        choice,
        connect,
        ..
    }) = a.popup.clone()
    else {
        panic!("no connect popup: {:?}", a.popup);
    };
    assert!(connect);
    assert_eq!(containers, vec!["tool".to_string()]);
    assert_eq!(choice, 0);
    let effects = a.update(key('y'));
    assert!(
        effects.contains(&Effect::Engine(EngineOp::ConnectNetwork {
            network: "app".into(),
            container: "tool".into(),
        })),
        "{effects:?}"
    );
    assert_eq!(
        a.command_log.last().map(String::as_str),
        Some("berth network connect app tool")
    );
    // Disconnect offers app's members, and the choice moves.
    a.update(key('x'));
    let Some(Popup::NetworkConnect { containers, .. }) = a.popup.clone() else {
        panic!("no disconnect popup");
    };
    assert_eq!(containers, vec!["db".to_string(), "web".to_string()]);
    a.update(key('l'));
    let effects = a.update(enter());
    assert!(
        effects.contains(&Effect::Engine(EngineOp::DisconnectNetwork {
            network: "app".into(),
            container: "web".into(),
        })),
        "{effects:?}"
    );
    assert_eq!(
        a.command_log.last().map(String::as_str),
        Some("berth network disconnect app web")
    );
    // Nothing can join the host network.
    a.update(key('k'));
    a.update(key('c'));
    assert!(a.popup.is_none());
}

#[test]
fn the_network_list_filters_and_keeps_its_selection_across_samples() {
    let (mut a, _list, nets) = setup();
    a.update(key('n'));
    a.update(sample(&nets, t0(), 1000));
    a.update(key('/'));
    for c in "o".chars() {
        a.update(key(c));
    }
    // Only host has an "o" (name, driver, subnet or gateway): the selection moves off app.
    let shown: Vec<String> = a
        .networks
        .visible()
        .iter()
        .map(|i| a.networks.networks[*i].name.clone())
        .collect();
    assert_eq!(shown, vec!["host".to_string()]);
    let picked = a
        .networks
        .current()
        .map(|n| n.name.clone())
        .expect("a network shown");
    assert!(shown.contains(&picked));
    a.update(Action::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    // A new sample in another order keeps the same network.
    let mut reordered = nets.clone();
    reordered.reverse();
    a.update(sample(&reordered, t0() + Duration::seconds(1), 1000));
    assert_eq!(a.networks.current().map(|n| n.name.clone()), Some(picked));
    a.update(Action::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert_eq!(a.networks.visible().len(), nets.len());
}
