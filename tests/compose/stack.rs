//! compose: a whole stack comes up, answers, shows in ps, streams logs and goes down.

use super::*;

#[test]
fn a_stack_comes_up_answers_shows_in_ps_streams_logs_and_goes_down() {
    let ns = NetNs::new();
    let b = Berth::new();
    b.docker_defaults();
    let dir = b.scratch("stack");
    let file = write(&dir, &stack("hello"));
    let p = "st";

    let up = compose_ok(&ns, &b, &file, p, &["up", "-d"]);
    for line in [
        "Network st_default  Created",
        "Volume st_data  Created",
        "Container st-web1-1  Started",
        "Container st-client-1  Started",
    ] {
        assert!(up.stderr.contains(line), "no '{line}' in: {}", up.stderr);
    }
    // Dependencies start first.
    let at = |s: &str| up.stderr.find(s).expect("line");
    assert!(at("Container st-web2-1  Started") < at("Container st-client-1  Started"));

    // The published port answers on the namespace's loopback.
    wait_until(
        "web2's published port to answer",
        Duration::from_secs(10),
        &mut || get(&ns, 18080).contains("web2"),
    );
    // The alias resolves to both services' addresses from the client.
    let ips = [
        ip_of(&ns, &b, "st-web1-1", "st_default"),
        ip_of(&ns, &b, "st-web2-1", "st_default"),
    ];
    let look = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &["exec", "-T", "client", "nslookup", "web"],
    );
    for ip in &ips {
        assert!(
            look.stdout.contains(ip.as_str()),
            "web does not resolve to {ip}: {look:?}"
        );
    }
    let page = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &["exec", "-T", "client", "wget", "-qO-", "http://web/"],
    );
    assert!(
        page.stdout.contains("web1") || page.stdout.contains("web2"),
        "{page:?}"
    );
    // The named volume holds what db wrote.
    let state = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &["exec", "-T", "db", "cat", "/data/state"],
    );
    assert_eq!(state.stdout.trim(), "stored");
    let labels = ns.ok(
        &b,
        &[
            "volume",
            "inspect",
            "st_data",
            "--format",
            "{{json .Labels}}",
        ],
    );
    assert!(
        labels.contains("\"com.docker.compose.project\":\"st\""),
        "{labels}"
    );
    assert!(
        labels.contains("\"com.docker.compose.volume\":\"data\""),
        "{labels}"
    );

    // ps: Compose's columns, every service.
    let ps = compose_ok(&ns, &b, &file, p, &["ps"]).stdout;
    let header: Vec<&str> = ps
        .lines()
        .next()
        .expect("header")
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"
        ]
    );
    for (name, svc) in [
        ("st-web1-1", "web1"),
        ("st-web2-1", "web2"),
        ("st-db-1", "db"),
        ("st-client-1", "client"),
    ] {
        let row = ps
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not in {ps}"));
        assert!(row.contains(svc) && row.contains("Up "), "{row}");
    }
    // The dashboard lists the stack as one project, as a tree, and `C` folds it into one
    // row that sums it up.
    {
        let d = b.scratch("term");
        let dashboard = b.dashboard_command(&d);
        let t = super::tmux::Tmux::start(&d, 120, 30, &dashboard);
        t.wait_for("the stack as a tree", Duration::from_secs(10), |s| {
            s.contains("▾ st-") && s.contains("│ st-") && s.contains("└ st-")
        });
        t.type_text("C");
        t.wait_for("the folded project", Duration::from_secs(10), |s| {
            s.contains("▸ st: 4 containers") && !s.contains("└ st-")
        });
        t.keys(&["q"]);
    }
    assert!(ps.contains("127.0.0.1:18080->80/tcp"), "{ps}");
    let labels = ns.ok(
        &b,
        &[
            "inspect",
            "st-web1-1",
            "--format",
            "{{json .Config.Labels}}",
        ],
    );
    for l in [
        "\"com.docker.compose.project\":\"st\"",
        "\"com.docker.compose.service\":\"web1\"",
        "\"com.docker.compose.container-number\":\"1\"",
        "\"com.docker.compose.oneoff\":\"False\"",
        "com.docker.compose.config-hash",
        "com.docker.compose.project.config_files",
    ] {
        assert!(labels.contains(l), "no {l} in {labels}");
    }

    // logs -f streams with the service prefix (no colour: not a terminal).
    let mut child = spawn_compose(&ns, &b, &file, p, &["logs", "-f", "--tail", "2", "db"]);
    let reader = LineReader::new(&mut child);
    let mut ticks = Vec::new();
    while ticks.len() < 5 {
        let line = reader
            .next_line(Duration::from_secs(10))
            .expect("a streamed line");
        assert!(line.starts_with("db-1  | "), "{line:?}");
        if line.contains("tick") {
            ticks.push(line);
        }
    }
    // More lines than --tail kept: they were streamed, not only read back.
    let n = |l: &String| {
        l.rsplit(' ')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .expect("tick number")
    };
    assert!(n(&ticks[4]) > n(&ticks[0]), "{ticks:?}");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("kill compose logs");
    let _ = child.wait();

    // up again: nothing changed, nothing recreated; a changed service is recreated.
    let client_id = b.id_of("st-client-1");
    let again = compose_ok(&ns, &b, &file, p, &["up", "-d"]);
    assert!(
        again.stderr.contains("Container st-client-1  Running"),
        "{}",
        again.stderr
    );
    assert_eq!(b.id_of("st-client-1"), client_id);
    write(&dir, &stack("changed"));
    let changed = compose_ok(&ns, &b, &file, p, &["up", "-d"]);
    assert!(
        changed.stderr.contains("Container st-client-1  Recreated"),
        "{}",
        changed.stderr
    );
    assert!(
        changed.stderr.contains("Container st-web1-1  Running"),
        "{}",
        changed.stderr
    );
    assert_ne!(b.id_of("st-client-1"), client_id);

    // run --rm: a one-off container of the service, gone once it exits.
    let before = b.container_ids().len();
    let run = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &[
            "run",
            "--rm",
            "-T",
            "client",
            "sh",
            "-c",
            "echo one-off done",
        ],
    );
    assert!(run.stdout.starts_with("one-off "), "{run:?}");
    assert_eq!(
        b.container_ids().len(),
        before,
        "the one-off container stayed"
    );
    // stop and start one service.
    compose_ok(&ns, &b, &file, p, &["stop", "db"]);
    assert_eq!(b.status(&b.id_of("st-db-1")), "exited");
    let ps = compose_ok(&ns, &b, &file, p, &["ps"]).stdout;
    assert!(!ps.contains("st-db-1"), "{ps}");
    assert!(
        compose_ok(&ns, &b, &file, p, &["ps", "-a"])
            .stdout
            .contains("st-db-1")
    );
    compose_ok(&ns, &b, &file, p, &["start", "db"]);
    assert_eq!(b.status(&b.id_of("st-db-1")), "running");

    // down: no container nor network; the volume stays until down -v.
    let down = compose_ok(&ns, &b, &file, p, &["down"]);
    assert!(
        down.stderr.contains("Container st-web1-1  Removed"),
        "{}",
        down.stderr
    );
    assert!(
        down.stderr.contains("Network st_default  Removed"),
        "{}",
        down.stderr
    );
    assert!(
        b.container_ids().is_empty(),
        "containers left: {:?}",
        b.container_ids()
    );
    let nets = ns.ok(&b, &["network", "ls", "--format", "{{.Name}}"]);
    assert!(!nets.contains("st_default"), "{nets}");
    assert!(ns.ok(&b, &["volume", "ls", "-q"]).contains("st_data"));
    compose_ok(&ns, &b, &file, p, &["up", "-d", "db"]);
    let kept = compose_ok(
        &ns,
        &b,
        &file,
        p,
        &["exec", "-T", "db", "cat", "/data/state"],
    );
    assert_eq!(kept.stdout.trim(), "stored");
    let down = compose_ok(&ns, &b, &file, p, &["down", "-v"]);
    assert!(
        down.stderr.contains("Volume st_data  Removed"),
        "{}",
        down.stderr
    );
    assert!(b.container_ids().is_empty());
    assert!(!ns.ok(&b, &["volume", "ls", "-q"]).contains("st_data"));
    assert!(
        compose_ok(&ns, &b, &file, p, &["ps", "-a"])
            .stdout
            .lines()
            .count()
            <= 1
    );
}
