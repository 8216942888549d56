//! The Networks pane at the sizes people use: network and container names, addresses and
//! published ports whole from 80x24 up, the DNS log's names and answers whole, and columns
//! no wider than their content on a wide screen.

use crate::engine::{Container, DnsLogEntry, Endpoint, IfBytes, Network, Outcome};
use crate::tui::action::Action;
use crate::tui::app::{App, Pane};
use crate::tui::keymap::Keymap;
use crate::tui::panes::networks::state::NetworksSample;
use crate::tui::testkit::*;
use crate::tui::theme::Theme;
use chrono::Duration;
use std::collections::BTreeMap;

const NET: &str = "a-long-network-name1";
const PORT: &str = "0.0.0.0:18088 → 172.18.0.2:80/tcp";

fn endpoint(name: &str, ip: &str, aliases: &[&str]) -> Endpoint {
    Endpoint {
        container_name: name.into(),
        endpoint_id: "e".repeat(64),
        mac: "02:42:ac:12:00:02".into(),
        ipv4: ip.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        ifname: "eth0".into(),
    }
}

fn network(n: u8, name: &str, subnet: &str, gateway: &str) -> Network {
    Network {
        id: format!("{n:02x}").repeat(32).parse().expect("network id"),
        name: name.into(),
        driver: "bridge".into(),
        created: now() - Duration::hours(n.into()),
        subnet: Some(subnet.into()),
        gateway: Some(gateway.into()),
        ip_range: None,
        internal: false,
        labels: BTreeMap::new(),
        bridge: format!("br-{}", format!("{n:02x}").repeat(6)),
        endpoints: BTreeMap::new(),
        mtu: None,
    }
}

fn query(at: i64, client: &Container, name: &str, addrs: &[&str]) -> DnsLogEntry {
    DnsLogEntry {
        time: now() + Duration::seconds(at),
        container_id: client.id().to_string(),
        container_name: client.name().to_string(),
        name: name.into(),
        qtype: "A".into(),
        outcome: if addrs.is_empty() {
            Outcome::NxDomain
        } else {
            Outcome::Answered
        },
        addresses: addrs.iter().map(|a| a.to_string()).collect(),
    }
}

/// The realistic containers on `NET` (web-frontend-1 publishing 18088), the pane opened
/// from web-frontend-1, two samples taken (rates known) and a DNS log.
fn app() -> App {
    let list = realistic();
    let (web, worker, long) = (&list[0], &list[1], &list[2]);
    let mut bridge = network(1, "bridge", "172.17.0.0/16", "172.17.0.1");
    bridge.bridge = "berth0".into();
    let mut net = network(2, NET, "172.18.0.0/16", "172.18.0.1");
    for (c, ip, aliases) in [
        (web, "172.18.0.2", &["web"][..]),
        (worker, "172.18.0.3", &[][..]),
        (long, "172.18.0.4", &["api", "backend"][..]),
    ] {
        net.endpoints
            .insert(c.id().clone(), endpoint(c.name(), ip, aliases));
    }
    let dns = BTreeMap::from([(
        net.id.clone(),
        vec![
            query(1, long, "web-frontend-1", &["172.18.0.2"]),
            query(2, web, NAMES[2], &["172.18.0.4"]),
            query(3, web, "backend", &["172.18.0.4"]),
            query(4, long, "no-such-service", &[]),
        ],
    )]);
    let mut app = app_with(Keymap::default());
    app.update(Action::ContainersListed(Ok(list.clone())));
    app.containers.selected = app
        .containers
        .list
        .iter()
        .position(|c| c.name() == NAMES[1])
        .expect("web-frontend-1");
    app.update(Action::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('n'),
        crossterm::event::KeyModifiers::NONE,
    )));
    assert_eq!(app.focus, Pane::Networks);
    for (i, rx) in [(0, 1000), (2, 5000)] {
        let counters = list
            .iter()
            .map(|c| {
                let eth0 = IfBytes { rx, tx: rx / 4 };
                (c.id().clone(), BTreeMap::from([("eth0".to_string(), eth0)]))
            })
            .collect();
        app.update(Action::NetworksSampled(Ok(NetworksSample {
            networks: vec![bridge.clone(), net.clone()],
            counters,
            dns: dns.clone(),
            at: now() + Duration::seconds(i),
        })));
    }
    app.networks.selected = app
        .networks
        .networks
        .iter()
        .position(|n| n.name == NET)
        .expect("the long network");
    app
}

#[test]
fn names_addresses_and_ports_are_whole_at_every_size() {
    let theme = Theme::preset("default").expect("theme");
    let app = app();
    for (w, h) in SIZES {
        let buf = draw(&app, &theme, w, h);
        let mut whole = NAMES.to_vec();
        whole.extend([
            NET,
            "172.18.0.0/16",
            "172.18.0.2/16",
            "172.18.0.4/16",
            PORT,
            "no-such-service",
            "NXDOMAIN",
        ]);
        assert_whole(&buf, &whole, &format!("{w}x{h}"));
        // The published port is on its container's row.
        let (_, y) = find(&buf, PORT);
        let row = &rows(&buf)[y as usize];
        assert!(row.contains(NAMES[1]), "{w}x{h}: {row}");
    }
}

#[test]
fn the_interface_goes_first_and_the_border_says_so() {
    let theme = Theme::preset("default").expect("theme");
    let app = app();
    let small = rows(&draw(&app, &theme, 80, 24));
    let header = small
        .iter()
        .position(|r| r.contains("CONTAINER") && r.contains("PUBLISHED"))
        .expect("the topology's header");
    assert!(!small[header].contains("IFACE"), "{}", small.join("\n"));
    // The topology's bottom border names what it left out.
    let border = small[header..]
        .iter()
        .find(|r| r.starts_with('└'))
        .expect("the topology's bottom border");
    assert!(
        border.contains(" cols: ") && border.contains("IFACE"),
        "{border}"
    );
    let wide = draw(&app, &theme, 250, 70);
    assert_whole(
        &wide,
        &[
            "IFACE",
            "BRIDGE",
            "br-020202020202",
            "2kB/s (5kB)",
            "api, backend",
        ],
        "250x70",
    );
    assert!(!rows(&wide).join("\n").contains(" cols"));
}

#[test]
fn columns_are_as_wide_as_their_content_on_a_wide_screen() {
    let theme = Theme::preset("default").expect("theme");
    let buf = draw(&app(), &theme, 250, 70);
    // The list: NAME is the long network's name and a space.
    assert_eq!(header_gap(&buf, "NAME", "DRIVER"), 21);
    // The topology: CONTAINER is the 20-character name; PUBLISHED the port.
    assert_eq!(header_gap(&buf, "CONTAINER", "IP"), 21);
    assert_eq!(
        header_gap(&buf, "PUBLISHED", "RX"),
        PORT.chars().count() as u16 + 1
    );
    // The DNS log: the time, the 20-character names of who asked and what was asked.
    assert_eq!(header_gap(&buf, "TIME", "CONTAINER"), 9);
    assert_eq!(header_gap(&buf, "CONTAINER", "NAME"), 21);
    assert_eq!(header_gap(&buf, "NAME", "TYPE"), 21);
}
