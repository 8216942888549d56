//! The Topology pane: the graph from a sample (host and none only when used), the
//! drawing at 80x24 and 200x60 (boxes, subnets, both links
//! of a container with their addresses, the published port, every label whole), and the
//! keys, the palette word and the mouse.

use crate::engine::{Container, Endpoint, IfBytes, Network, PortBinding, Status};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, AppSettings, Pane};
use crate::tui::keymap::Keymap;
use crate::tui::panes::networks::state::NetworksSample;
use crate::tui::panes::topology::graph::{Graph, Node};
use crate::tui::testkit::{draw, now, rows};
use crate::tui::theme::Theme;
use chrono::Duration;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use std::collections::BTreeMap;

fn container(n: u8, name: &str, mode: &str) -> Container {
    let mut c = crate::tui::testkit::container(n, name, Status::Running);
    c.config.network_mode = mode.into();
    c
}

fn endpoint(name: &str, ip: &str, ifname: &str) -> Endpoint {
    Endpoint {
        container_name: name.into(),
        endpoint_id: "e".repeat(64),
        mac: "02:42:ac:12:00:02".into(),
        ipv4: ip.into(),
        aliases: vec![],
        ifname: ifname.into(),
    }
}

fn net(n: u8, name: &str, driver: &str, subnet: Option<&str>) -> Network {
    Network {
        id: format!("{n:02x}").repeat(32).parse().expect("network id"),
        name: name.into(),
        driver: driver.into(),
        created: now(),
        subnet: subnet.map(str::to_string),
        gateway: subnet.map(|s| s.replace("0.0/16", "0.1")),
        ip_range: None,
        internal: false,
        labels: BTreeMap::new(),
        bridge: String::new(),
        endpoints: BTreeMap::new(),
        mtu: None,
    }
}

/// web (front eth0, back eth1, publishes 8080->80), db (back), cache (front); the
/// networks as the engine lists them: bridge, host, none, then the user ones.
fn world() -> (Vec<Container>, Vec<Network>) {
    let mut web = container(1, "web", "front");
    web.config.net.ports = vec![PortBinding {
        host_ip: String::new(),
        host_port: 8080,
        container_port: 80,
        protocol: "tcp".into(),
    }];
    let db = container(2, "db", "back");
    let cache = container(3, "cache", "front");
    let mut front = net(10, "front", "bridge", Some("172.18.0.0/16"));
    let mut back = net(11, "back", "bridge", Some("172.19.0.0/16"));
    front
        .endpoints
        .insert(web.id().clone(), endpoint("web", "172.18.0.2", "eth0"));
    front
        .endpoints
        .insert(cache.id().clone(), endpoint("cache", "172.18.0.3", "eth0"));
    back.endpoints
        .insert(web.id().clone(), endpoint("web", "172.19.0.2", "eth1"));
    back.endpoints
        .insert(db.id().clone(), endpoint("db", "172.19.0.3", "eth0"));
    let nets = vec![
        net(1, "bridge", "bridge", Some("172.17.0.0/16")),
        net(2, "host", "host", None),
        net(3, "none", "null", None),
        front,
        back,
    ];
    (vec![web, db, cache], nets)
}

fn sample(nets: &[Network], secs: i64, rx: u64) -> NetworksSample {
    let mut counters = BTreeMap::new();
    for n in nets {
        for (id, e) in &n.endpoints {
            counters
                .entry(id.clone())
                .or_insert_with(BTreeMap::new)
                .insert(e.ifname.clone(), IfBytes { rx, tx: rx / 2 });
        }
    }
    NetworksSample {
        networks: nets.to_vec(),
        counters,
        dns: BTreeMap::new(),
        at: now() + Duration::seconds(secs),
    }
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// The dashboard with the world listed, the Topology pane open and two samples taken.
fn opened() -> App {
    crate::tui::panes::palette::commands::install(crate::bootstrap::command_line());
    let (list, nets) = world();
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    app.update(Action::ContainersListed(Ok(list)));
    let effects = key(&mut app, KeyCode::Char('m'));
    assert_eq!(app.focus, Pane::Topology);
    assert!(
        effects.contains(&Effect::WatchTopology(true)),
        "{effects:?}"
    );
    app.update(Action::TopologySampled(Ok(sample(&nets, 0, 1000))));
    app.update(Action::TopologySampled(Ok(sample(&nets, 1, 3000))));
    app
}

fn graph(app: &App) -> Graph {
    Graph::build(&app.topology, &app.containers.list)
}

fn row_with<'a>(screen: &'a [String], has: &[&str]) -> Option<&'a String> {
    screen.iter().find(|l| has.iter().all(|h| l.contains(h)))
}

#[test]
fn the_graph_sorts_by_name_and_leaves_out_unused_host_and_none() {
    let app = opened();
    let g = graph(&app);
    let names: Vec<&str> = g.networks.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["back", "bridge", "front"]);
    let ctrs: Vec<&str> = g.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(ctrs, ["cache", "db", "web"]);
    let web = &g.containers[2];
    let links: Vec<(usize, &str)> = web
        .links
        .iter()
        .map(|l| (l.network, l.address.as_str()))
        .collect();
    assert_eq!(links, [(0, "172.19.0.2"), (2, "172.18.0.2")]);
    // 2000 bytes in a second received, 1000 sent.
    assert_eq!(web.links[0].rates, Some((2000.0, 1000.0)));
    assert!(web.published);
    assert_eq!(g.ports, [":8080→web:80"]);

    // A container on 'host' brings the host network in, with its link.
    let mut app = app;
    let mut list = app.containers.list.clone();
    list.push(container(4, "edge", "host"));
    app.update(Action::ContainersListed(Ok(list)));
    let g = graph(&app);
    let names: Vec<&str> = g.networks.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["back", "bridge", "front", "host"]);
    let edge = g
        .containers
        .iter()
        .find(|c| c.name == "edge")
        .expect("edge");
    assert_eq!(edge.links[0].network, 3);
}

#[test]
fn renders_boxes_links_addresses_and_the_port_whole_at_80x24_and_200x60() {
    let theme = Theme::preset("default").expect("theme");
    let app = opened();
    for (w, h) in [(80, 24), (200, 60)] {
        let screen = rows(&draw(&app, &theme, w, h));
        let text = screen.join("\n");
        for want in [
            "Topology: 3 networks, 3 containers",
            "front",
            "back",
            "bridge",
            "172.18.0.0/16",
            "172.19.0.0/16",
            "gw 172.18.0.1",
            "gw 172.19.0.1",
            "host",
            ":8080→web:80",
            "[cache]",
            "[db]",
        ] {
            assert!(text.contains(want), "{w}x{h}: '{want}' missing:\n{text}");
        }
        // web joined to both networks on its row, each address whole.
        let web = row_with(&screen, &["[web]", "172.19.0.2", "172.18.0.2"]);
        assert!(web.is_some(), "{w}x{h}: web's links:\n{text}");
        let web = web.expect("row");
        assert_eq!(web.matches('●').count(), 2, "{web}");
        // The host's rail reaches web, the one publishing a port.
        assert!(web.contains("└▶[web]"), "{web}");
        // Unused host and none are not drawn.
        assert!(!text.contains("loopback only"), "{text}");
        // Live rates (2 kB/s in, 1 kB/s out), whole.
        assert!(text.contains("↓2kB/s ↑1kB/s"), "{w}x{h}:\n{text}");
    }
}

#[test]
fn keys_move_between_nodes_and_open_them() {
    let mut app = opened();
    let g = graph(&app);
    let sel = |app: &App| graph(app).selected(&app.topology);
    // Opened with web selected in the list: web.
    assert_eq!(sel(&app), Some(Node::Container(2)));
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Up);
    assert_eq!(sel(&app), Some(Node::Container(0)));
    // Up from the first container (cache): its network, front.
    key(&mut app, KeyCode::Char('k'));
    assert_eq!(sel(&app), Some(Node::Network(2)));
    // Left and right between the networks; g to the first one.
    key(&mut app, KeyCode::Char('h'));
    key(&mut app, KeyCode::Left);
    assert_eq!(sel(&app), Some(Node::Network(0)));
    key(&mut app, KeyCode::Char('l'));
    assert_eq!(sel(&app), Some(Node::Network(1)));
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(sel(&app), Some(Node::Network(0)));
    // Down from 'back': its first container (db).
    key(&mut app, KeyCode::Char('j'));
    assert_eq!(sel(&app), Some(Node::Container(1)));
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Char('k'));
    assert_eq!(sel(&app), Some(Node::Network(2)));

    // Enter on a network: the Networks pane with it selected.
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Networks);
    assert!(effects.contains(&Effect::RefreshNetworks), "{effects:?}");
    assert_eq!(
        app.networks.current().map(|n| n.name.as_str()),
        Some("front")
    );
    assert!(
        effects.contains(&Effect::WatchTopology(false)),
        "{effects:?}"
    );

    // Back, to db: enter shows its log, selected in the container list.
    key(&mut app, KeyCode::Char('m'));
    assert_eq!(app.focus, Pane::Topology);
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(sel(&app), Some(Node::Container(2)));
    key(&mut app, KeyCode::Char('k'));
    assert_eq!(g.containers[1].name, "db");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Logs);
    assert_eq!(app.detail, Pane::Logs);
    assert_eq!(app.selected_container().map(|c| c.name()), Some("db"));
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::FollowLogs { container: Some(c), .. } if c == "db"
        )),
        "{effects:?}"
    );

    // Esc leaves for the container list and stops the watcher; so does tab.
    key(&mut app, KeyCode::Char('m'));
    let effects = key(&mut app, KeyCode::Esc);
    assert_eq!(app.focus, Pane::Containers);
    assert!(
        effects.contains(&Effect::WatchTopology(false)),
        "{effects:?}"
    );
    key(&mut app, KeyCode::Char('m'));
    // Opened from the list: the selected container is selected here too.
    assert_eq!(sel(&app), Some(Node::Container(1)));
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Containers);
}

#[test]
fn the_palette_word_opens_it_and_a_click_selects_a_node() {
    let mut app = opened();
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char(':'));
    for c in "topology".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Topology, "{:?}", app.status);
    assert!(
        effects.contains(&Effect::WatchTopology(true)),
        "{effects:?}"
    );

    // Where 'back' is drawn at 80x24, a click selects it.
    let theme = Theme::preset("default").expect("theme");
    let buf = draw(&app, &theme, 80, 24);
    let (x, y) = crate::tui::testkit::find(&buf, "172.19.0.0/16");
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    app.update(Action::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(graph(&app).selected(&app.topology), Some(Node::Network(0)));
    let (x, y) = crate::tui::testkit::find(&buf, "[db]");
    app.update(Action::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x + 1,
        row: y,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(
        graph(&app).selected(&app.topology),
        Some(Node::Container(1))
    );
}

#[test]
fn four_networks_and_eight_containers_fit_80x24_every_label_whole_or_cut() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = opened();
    let (mut list, _) = world();
    for (i, n) in [
        "alpha-service-1",
        "beta",
        "gamma-long-name-here",
        "delta",
        "eps",
    ]
    .iter()
    .enumerate()
    {
        list.push(container(5 + i as u8, n, "none"));
    }
    app.update(Action::ContainersListed(Ok(list)));
    let screen = rows(&draw(&app, &theme, 80, 24));
    let text = screen.join("\n");
    for want in [
        "Topology: 4 networks, 8 containers",
        // Four boxes in 60 columns: their texts cut, whole up to the cut.
        "│loopback on…│",
        "│172.18.0.0/…│",
        "│gw 172.19.0…│",
        "[alpha-servic…]",
        "[gamma-long-n…]",
        "[beta]",
        "[eps]",
        "●172.18.0.3 ",
    ] {
        assert!(text.contains(want), "'{want}' missing:\n{text}");
    }
    // Every network shown (no "+N"), each container on its own row.
    assert!(!text.contains(" +1 "), "{text}");
    for name in ["[cache]", "[db]", "[delta]", "[web]"] {
        assert_eq!(text.matches(name).count(), 1, "{name}:\n{text}");
    }
    let web = row_with(&screen, &["[web]", "172.19.0.2", "172.18.0.2"]);
    assert!(web.is_some(), "{text}");
    assert!(row_with(&screen, &["[eps]", "no link"]).is_some(), "{text}");
}

#[test]
fn tiny_terminals_draw_without_panicking_and_keep_the_title() {
    let theme = Theme::preset("default").expect("theme");
    let app = opened();
    for (w, h) in [(20, 8), (30, 9), (40, 12), (80, 10), (120, 14), (12, 7)] {
        let screen = rows(&draw(&app, &theme, w, h)).join("\n");
        assert!(screen.contains("Topology"), "{w}x{h}:\n{screen}");
    }
}
