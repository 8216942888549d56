//! network connect and disconnect, the host and none modes, bad input, and a killed shim's leftovers.

use super::*;

#[test]
fn connect_adds_an_interface_and_names_disconnect_removes_them() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(&b, &["network", "create", "front"]);
    ns.ok(&b, &["network", "create", "back"]);
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "client",
            "--network",
            "front",
            "busybox",
            "sleep",
            "300",
        ],
    );
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "db",
            "--network",
            "back",
            "busybox",
            "sleep",
            "300",
        ],
    );
    let client = pid(&b, &b.id_of("client"));
    let before = in_container(client, &["ping", "-c", "1", "-W", "1", "db"]);
    assert_ne!(before.code, 0, "db resolved before connect: {before:?}");

    ns.ok(
        &b,
        &["network", "connect", "--alias", "cache", "back", "client"],
    );
    let links = in_container(client, &["ip", "addr"]).stdout;
    assert!(
        links.contains("eth1") && links.contains("172.19."),
        "{links}"
    );
    // Its /etc/hosts now has its address on the new network too, as Docker writes it.
    let back_ip = ns.ok(
        &b,
        &[
            "inspect",
            "client",
            "--format",
            "{{(index .NetworkSettings.Networks \"back\").IPAddress}}",
        ],
    );
    let back_ip = back_ip.trim().to_string();
    assert!(back_ip.starts_with("172.19."), "{back_ip}");
    let client_id = b.id_of("client");
    let host_line = format!("{back_ip}\t{}\n", &client_id[..12]);
    let hosts = ns.ok(&b, &["exec", "client", "cat", "/etc/hosts"]);
    assert!(hosts.contains(&host_line), "{hosts}");
    let after = in_container(client, &["ping", "-c", "1", "-W", "2", "db"]);
    assert_eq!(
        after.code, 0,
        "db does not resolve after connect: {after:?}"
    );
    let twice = ns.berth(&b, &["network", "connect", "back", "client"]);
    assert_ne!(twice.code, 0);
    assert_eq!(twice.stderr.lines().count(), 1, "{twice:?}");
    assert!(twice.stderr.contains("already connected"), "{twice:?}");
    // The alias given at connect resolves for others on that network.
    let db = pid(&b, &b.id_of("db"));
    assert_eq!(
        in_container(db, &["ping", "-c", "1", "-W", "2", "cache"]).code,
        0
    );

    ns.ok(&b, &["network", "disconnect", "back", "client"]);
    let links = in_container(client, &["ip", "link"]).stdout;
    assert!(!links.contains("eth1"), "{links}");
    let hosts = ns.ok(&b, &["exec", "client", "cat", "/etc/hosts"]);
    assert!(!hosts.contains(&back_ip), "{hosts}");
    assert!(hosts.contains("172.18."), "its own address stays: {hosts}");
    let gone = in_container(client, &["nslookup", "db"]);
    assert!(
        !gone.stdout.contains("Address: 172.19."),
        "db still resolves: {gone:?}"
    );
}

#[test]
fn host_network_sees_the_namespace_interfaces_and_none_only_loopback() {
    let ns = NetNs::new();
    let b = Berth::new();
    let dummy = ns.host(&[
        "ip",
        "link",
        "add",
        "hostdummy0",
        "type",
        "veth",
        "peer",
        "name",
        "hostdummy1",
    ]);
    assert_eq!(dummy.code, 0, "{dummy:?}");
    let host = ns.ok(
        &b,
        &["run", "--rm", "--network", "host", "busybox", "ip", "link"],
    );
    assert!(host.contains("hostdummy0"), "{host}");
    let none = ns.ok(
        &b,
        &["run", "--rm", "--network", "none", "busybox", "ip", "link"],
    );
    let names: Vec<&str> = none
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(names.len(), 1, "{none}");
    assert!(names[0].contains(": lo:"), "{none}");
}

#[test]
fn bad_input_is_one_error_line_and_makes_nothing() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.9.0.0/16", "taken"],
    );
    let before = ns.ok(&b, &["network", "ls", "-q"]);
    for args in [
        &["network", "create", "--subnet", "10.9.0.0/33", "x1"][..],
        &["network", "create", "--subnet", "10.9.5.0/24", "x2"],
        &[
            "network",
            "create",
            "--subnet",
            "10.10.0.0/16",
            "--gateway",
            "10.11.0.1",
            "x3",
        ],
        &["network", "create", "taken"],
        &["network", "rm", "bridge"],
    ] {
        let o = ns.berth(&b, args);
        assert_ne!(o.code, 0, "{args:?} succeeded");
        assert_eq!(o.stderr.lines().count(), 1, "{args:?}: {o:?}");
    }
    assert_eq!(ns.ok(&b, &["network", "ls", "-q"]), before);
    assert_eq!(
        berth_links(&ns).len(),
        1,
        "only the bridge of 'taken': {:?}",
        berth_links(&ns)
    );

    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "p1",
            "--network",
            "taken",
            "-p",
            "9090:80",
            "busybox",
            "sleep",
            "300",
        ],
    );
    let containers = b.container_ids().len();
    let busy = ns.berth(
        &b,
        &[
            "run",
            "-d",
            "--network",
            "taken",
            "-p",
            "9090:80",
            "busybox",
            "sleep",
            "300",
        ],
    );
    assert_ne!(busy.code, 0);
    assert_eq!(busy.stderr.lines().count(), 1, "{busy:?}");
    assert!(busy.stderr.contains("already allocated"), "{busy:?}");
    assert_eq!(
        b.container_ids().len(),
        containers,
        "a container was left half-made"
    );

    let rm = ns.berth(&b, &["network", "rm", "taken"]);
    assert_ne!(rm.code, 0);
    assert_eq!(rm.stderr.lines().count(), 1, "{rm:?}");
    ns.ok(&b, &["rm", "-f", "p1"]);
    ns.ok(&b, &["network", "rm", "taken"]);
    assert!(berth_links(&ns).is_empty(), "left: {:?}", berth_links(&ns));
}

#[test]
fn a_killed_shim_leaves_no_veth_or_proxy() {
    let ns = NetNs::new();
    let b = Berth::new();
    let id = ns
        .ok(
            &b,
            &[
                "run",
                "-d",
                "--network",
                "bridge",
                "-p",
                "8181:80",
                "busybox",
                "sh",
                "-c",
                &web("x"),
            ],
        )
        .trim()
        .to_string();
    let shim = b.state(&id)["shim_pid"].as_i64().expect("shim pid") as i32;
    assert!(shim > 1, "no shim pid in {:?}", b.state(&id));
    // SAFETY: kill(2) on this test's own container's shim.
    unsafe { libc::kill(shim, libc::SIGKILL) };
    wait_until("the veth to go", Duration::from_secs(10), &mut || {
        ns.ok(&b, &["ps", "-a"]);
        berth_links(&ns).is_empty()
    });
    // The port is free again: a new container can publish it.
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--network",
            "bridge",
            "-p",
            "8181:80",
            "busybox",
            "sleep",
            "300",
        ],
    );
}
