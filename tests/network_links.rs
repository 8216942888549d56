//! `--link NAME[:ALIAS]` as Docker has it: /etc/hosts entries on the default bridge, an
//! alias only the linking container resolves on a user network, `HostConfig.Links` in
//! inspect, Docker's error for a missing target; and `rename` changes the name the
//! embedded DNS answers (root only; each networked test in a network namespace of its
//! own).

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::Berth;
use netns::{NetNs, in_container};

fn pid(b: &Berth, name: &str) -> i64 {
    b.state(&b.id_of(name))["pid"].as_i64().expect("pid")
}

fn ip_on(ns: &NetNs, b: &Berth, name: &str, network: &str) -> String {
    let f = format!("{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}");
    let ip = ns
        .ok(b, &["inspect", name, "--format", &f])
        .trim()
        .to_string();
    assert!(!ip.is_empty(), "{name} has no address on {network}");
    ip
}

/// Whether `name` resolves (and answers a ping) from inside container `from`.
fn reaches(b: &Berth, from: &str, name: &str) -> harness::Out {
    in_container(pid(b, from), &["ping", "-c", "1", "-W", "2", name])
}

#[test]
fn a_link_on_the_default_bridge_writes_hosts_entries() {
    let ns = NetNs::new();
    let b = Berth::new();
    let run = |name: &str, extra: &[&str]| {
        let mut args = vec!["run", "-d", "--name", name, "--network", "bridge"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["busybox", "sleep", "300"]);
        ns.ok(&b, &args);
    };
    run("db", &["-e", "POSTGRES_DB=app", "--expose", "5432"]);
    run("web", &["--link", "db:database"]);
    run("plain", &["--link", "db"]);
    let db_ip = ip_on(&ns, &b, "db", "bridge");
    let db_short = b.id_of("db")[..12].to_string();

    let hosts = ns.ok(&b, &["exec", "web", "cat", "/etc/hosts"]);
    assert!(
        hosts.contains(&format!("{db_ip}\tdatabase {db_short} db\n")),
        "{hosts}"
    );
    let hosts = ns.ok(&b, &["exec", "plain", "cat", "/etc/hosts"]);
    assert!(
        hosts.contains(&format!("{db_ip}\tdb {db_short}\n")),
        "{hosts}"
    );
    for name in ["database", "db", db_short.as_str()] {
        let ping = reaches(&b, "web", name);
        assert_eq!(ping.code, 0, "web cannot reach {name}: {ping:?}");
        assert!(ping.stdout.contains(&db_ip), "{ping:?}");
    }
    // The container without the link has no such names (and names do not resolve on the
    // default bridge).
    let db_hosts = ns.ok(&b, &["exec", "db", "cat", "/etc/hosts"]);
    assert!(!db_hosts.contains("database"), "{db_hosts}");

    let links = ns.ok(
        &b,
        &["inspect", "web", "--format", "{{json .HostConfig.Links}}"],
    );
    assert_eq!(links.trim(), r#"["/db:/web/database"]"#);
    // Docker's legacy link variables, the container's own winning over them.
    let env = ns.ok(
        &b,
        &[
            "run",
            "--rm",
            "--name",
            "envcheck",
            "--network",
            "bridge",
            "--link",
            "db:database",
            "-e",
            "DATABASE_NAME=mine",
            "busybox",
            "env",
        ],
    );
    for line in [
        format!("DATABASE_PORT=tcp://{db_ip}:5432"),
        format!("DATABASE_PORT_5432_TCP=tcp://{db_ip}:5432"),
        format!("DATABASE_PORT_5432_TCP_ADDR={db_ip}"),
        "DATABASE_PORT_5432_TCP_PORT=5432".to_string(),
        "DATABASE_PORT_5432_TCP_PROTO=tcp".to_string(),
        "DATABASE_ENV_POSTGRES_DB=app".to_string(),
        "DATABASE_NAME=mine".to_string(),
    ] {
        assert!(env.lines().any(|l| l == line), "no {line} in\n{env}");
    }
    assert!(!env.contains("DATABASE_ENV_PATH"), "{env}");
    let none = ns.ok(
        &b,
        &["inspect", "db", "--format", "{{json .HostConfig.Links}}"],
    );
    assert_eq!(none.trim(), "null");
    ns.ok(&b, &["rm", "-f", "web", "plain", "db"]);
}

#[test]
fn a_link_on_a_user_network_is_an_alias_for_the_linking_container_only() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.91.0.0/16", "app"],
    );
    let run = |name: &str, extra: &[&str]| {
        let mut args = vec!["run", "-d", "--name", name, "--network", "app"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["busybox", "sleep", "300"]);
        ns.ok(&b, &args);
    };
    run("db", &[]);
    run("web", &["--link", "db:store", "--link", "later:cache"]);
    run("other", &[]);
    let db_ip = ip_on(&ns, &b, "db", "app");
    let ping = reaches(&b, "web", "store");
    assert_eq!(ping.code, 0, "web cannot reach its link alias: {ping:?}");
    assert!(ping.stdout.contains(&db_ip), "{ping:?}");
    let ping = reaches(&b, "other", "store");
    assert_ne!(ping.code, 0, "the alias resolves for others: {ping:?}");
    assert_eq!(reaches(&b, "other", "db").code, 0, "db's own name");
    // As in Docker, a link on a user network is the endpoint's, not a legacy link, and its
    // target need not exist yet: the alias resolves once a container has the name.
    let links = ns.ok(
        &b,
        &["inspect", "web", "--format", "{{json .HostConfig.Links}}"],
    );
    assert_eq!(links.trim(), "null");
    let links = ns.ok(
        &b,
        &[
            "inspect",
            "web",
            "--format",
            "{{json (index .NetworkSettings.Networks \"app\").Links}}",
        ],
    );
    assert_eq!(links.trim(), r#"["db:store","later:cache"]"#);
    run("later", &[]);
    let later_ip = ip_on(&ns, &b, "later", "app");
    let ping = reaches(&b, "web", "cache");
    assert_eq!(ping.code, 0, "the alias of a later target: {ping:?}");
    assert!(ping.stdout.contains(&later_ip), "{ping:?}");
    ns.ok(&b, &["rm", "-f", "web", "other", "db", "later"]);
    ns.ok(&b, &["network", "rm", "app"]);
}

#[test]
fn a_missing_link_target_is_an_error_and_leaves_no_container() {
    let b = Berth::new();
    for cmd in ["create", "run"] {
        let out = b.run(&[
            cmd,
            "--network",
            "none",
            "--link",
            "nosuch:alias",
            "busybox",
            "true",
        ]);
        assert_eq!(out.code, 125, "{cmd}: {out:?}");
        assert_eq!(out.stderr.lines().count(), 1, "{cmd}: {out:?}");
        assert!(
            out.stderr
                .contains("could not get container for nosuch: no such container: 'nosuch'"),
            "{cmd}: {out:?}"
        );
        assert!(out.stdout.is_empty(), "{out:?}");
        assert!(b.container_ids().is_empty(), "{cmd} left a container");
    }
    // As in Docker, links and the host's network do not go together.
    b.ok(&[
        "create",
        "--name",
        "db",
        "--network",
        "none",
        "busybox",
        "true",
    ]);
    let host = b.run(&[
        "create",
        "--network",
        "host",
        "--link",
        "db",
        "busybox",
        "true",
    ]);
    assert_eq!(host.code, 125, "{host:?}");
    assert!(
        host.stderr
            .contains("host type networking can't be used with links"),
        "{host:?}"
    );
    assert_eq!(b.container_ids().len(), 1);
    b.ok(&["rm", "db"]);
}

#[test]
fn rename_changes_the_name_the_embedded_dns_answers() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.92.0.0/16", "app"],
    );
    for name in ["old", "client"] {
        ns.ok(
            &b,
            &[
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "app",
                "busybox",
                "sleep",
                "300",
            ],
        );
    }
    let ip = ip_on(&ns, &b, "old", "app");
    // Asked once before the rename, so a cached answer would show.
    assert_eq!(reaches(&b, "client", "old").code, 0);
    ns.ok(&b, &["rename", "old", "new"]);
    let ping = reaches(&b, "client", "new");
    assert_eq!(ping.code, 0, "the new name does not resolve: {ping:?}");
    assert!(ping.stdout.contains(&ip), "{ping:?}");
    let ping = reaches(&b, "client", "old");
    assert_ne!(ping.code, 0, "the old name still resolves: {ping:?}");
    let doc = ns.ok(&b, &["network", "inspect", "app"]);
    assert!(doc.contains("\"Name\": \"new\""), "{doc}");
    ns.ok(&b, &["rm", "-f", "new", "client"]);
    ns.ok(&b, &["network", "rm", "app"]);
}
