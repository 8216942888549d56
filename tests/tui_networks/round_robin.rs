//! Round-robin DNS of an alias: the engine's query log and the Networks pane showing it.

use super::*;

#[test]
fn round_robin_queries_show_in_the_engine_log_and_the_pane() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(&b, &["network", "create", "search-net"]);
    for name in ["es1", "es2"] {
        ns.ok(
            &b,
            &[
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "search-net",
                "--network-alias",
                "search",
                "busybox",
                "sleep",
                "300",
            ],
        );
    }
    let script = "for i in 1 2 3 4; do nslookup search; done; exec sleep 300";
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "client",
            "--network",
            "search-net",
            "busybox",
            "sh",
            "-c",
            script,
        ],
    );
    let ips = [address(&ns, &b, "es1"), address(&ns, &b, "es2")];
    let engine = Engine::open(&b.root(), EngineOptions::default()).expect("open");
    let answered = || -> Vec<DnsLogEntry> {
        engine
            .network_dns_log("search-net", 100)
            .expect("log")
            .into_iter()
            .filter(|e| e.name == "search" && e.qtype == "A")
            .collect()
    };
    wait_until(
        "four A queries in the DNS log",
        std::time::Duration::from_secs(20),
        &mut || answered().len() >= 4,
    );
    let log = answered();
    for e in &log {
        assert_eq!(e.container_name, "client", "{e:?}");
        assert_eq!(e.outcome, Outcome::Answered, "{e:?}");
        let mut got = e.addresses.clone();
        got.sort();
        let mut want = ips.to_vec();
        want.sort();
        assert_eq!(got, want, "every address of the alias: {e:?}");
    }
    // Round robin: each answer starts where the previous one did not.
    for pair in log.windows(2) {
        assert_ne!(pair[0].addresses[0], pair[1].addresses[0], "{log:#?}");
    }

    // The pane, from the same state: both servers and the rotating answers.
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    app.update(Action::ContainersListed(Ok(engine
        .containers()
        .expect("ps"))));
    app.containers.selected = app
        .containers
        .list
        .iter()
        .position(|c| c.name() == "es1")
        .expect("es1");
    app.update(key('n'));
    for i in 0..2 {
        if i > 0 {
            std::thread::sleep(std::time::Duration::from_millis(1100));
        }
        let s = networks::sample(&engine).expect("sample");
        app.update(Action::NetworksSampled(Ok(s)));
    }
    assert_eq!(
        app.networks.current().map(|n| n.name.as_str()),
        Some("search-net")
    );
    let buf = draw(&app, &Theme::preset("default").expect("theme"));
    let text = screen(&buf).join("\n");
    for ip in &ips {
        let (_, y) = find(&buf, &format!("{ip}/16"));
        let row = &screen(&buf)[y as usize];
        assert!(row.contains("search") && row.contains("eth0"), "{row}");
        assert!(
            row.contains("B/s ("),
            "live rx/tx of a running endpoint: {row}"
        );
    }
    for order in [
        format!("{}, {}", ips[0], ips[1]),
        format!("{}, {}", ips[1], ips[0]),
    ] {
        assert!(text.contains(&order), "'{order}' missing:\n{text}");
    }
    assert!(text.contains("client"), "{text}");

    ns.ok(&b, &["rm", "-f", "es1", "es2", "client"]);
    ns.ok(&b, &["network", "rm", "search-net"]);
}
