//! Other host firewalls: firewalld- and ufw-like dropping chains, and the legacy iptables backend's warning.

use super::*;

#[test]
fn firewalld_and_ufw_like_chains_let_berths_bridges_through() {
    let ns = host_ns();
    let b = Berth::new();
    // firewalld's forward chain (policy accept, ending in a reject), and ufw's FORWARD
    // (policy drop, jumps to its own chains) in iptables-nft's table.
    let ruleset = b.scratch("fw").join("rules.nft");
    std::fs::write(
        &ruleset,
        "table inet firewalld {
  chain filter_FORWARD_ZONES {
    iifname \"xo0\" accept
  }
  chain filter_FORWARD {
    type filter hook forward priority filter + 10; policy accept;
    ct state established,related accept
    ct status dnat accept
    iifname \"lo\" accept
    ct state invalid drop
    jump filter_FORWARD_ZONES
    reject with icmpx admin-prohibited
  }
}
",
    )
    .expect("write ruleset");
    ok(ns.host(&["nft", "-f", ruleset.to_str().expect("utf-8")]));
    ok(ns.host(&["iptables", "-P", "FORWARD", "DROP"]));
    for c in ["ufw-before-forward", "ufw-user-forward"] {
        ok(ns.host(&["iptables", "-N", c]));
        ok(ns.host(&["iptables", "-A", "FORWARD", "-j", c]));
    }
    ok(ns.host(&[
        "iptables",
        "-A",
        "ufw-before-forward",
        "-m",
        "conntrack",
        "--ctstate",
        "RELATED,ESTABLISHED",
        "-j",
        "ACCEPT",
    ]));
    let firewalld_before = nft_rules(&ns, "inet", "firewalld", "filter_FORWARD");
    let ufw_before = ok(ns.host(&["iptables", "-S"]));
    let outside = Outside::new(&ns, &b);

    let br = bridge_of(&ns.ok(
        &b,
        &["network", "create", "--subnet", "10.89.0.0/16", "app"],
    ));
    let firewalld = nft_rules(&ns, "inet", "firewalld", "filter_FORWARD");
    assert!(
        firewalld[0].starts_with(&format!(
            "iifname \"{br}\" counter accept comment \"berth:{br}\""
        )) && firewalld[1].starts_with(&format!(
            "oifname \"{br}\" ct state established,related counter accept comment \"berth:{br}\""
        )),
        "at the top of firewalld's chain: {firewalld:?}"
    );

    let ufw = ok(ns.host(&["iptables", "-S", "FORWARD"]));
    assert!(
        ufw.lines()
            .nth(1)
            .is_some_and(|l| l.contains(&format!("-i {br} ")))
            && ufw.contains(&format!("--comment \"berth:{br}\"")),
        "at the top of ufw's FORWARD: {ufw}"
    );

    traffic_flows(&ns, &b, &outside, &|| {
        delete_berths_rules(&ns, "inet", "firewalld", "filter_FORWARD");
        delete_berths_rules(&ns, "ip", "filter", "FORWARD");
    });

    ns.ok(&b, &["network", "rm", "app"]);
    let firewalld_after: Vec<String> = nft_rules(&ns, "inet", "firewalld", "filter_FORWARD")
        .into_iter()
        .filter(|r| !r.contains("berth:berth0"))
        .collect();
    assert_eq!(
        firewalld_after, firewalld_before,
        "firewalld's chain as it was"
    );
    let ufw_after = ok(ns.host(&["iptables", "-S"]));
    let others: Vec<&str> = ufw_after
        .lines()
        .filter(|l| !l.contains("berth:"))
        .collect();
    assert_eq!(
        others,
        ufw_before.lines().collect::<Vec<_>>(),
        "ufw's chains as they were"
    );
    assert!(!ufw_after.contains(&br), "{ufw_after}");
}

#[test]
fn a_legacy_iptables_forward_drop_gets_a_warning_naming_the_rules() {
    let ns = host_ns();
    let b = Berth::new();
    if ns.host(&["iptables-legacy", "-V"]).code != 0 {
        eprintln!("iptables-legacy is not installed: nothing to test");
        return;
    }
    let quiet = ns.berth(
        &b,
        &["network", "create", "--subnet", "10.90.0.0/16", "calm"],
    );
    assert!(
        quiet.code == 0 && !quiet.stderr.contains("WARNING"),
        "{quiet:?}"
    );

    ok(ns.host(&["iptables-legacy", "-P", "FORWARD", "DROP"]));
    let created = ns.berth(
        &b,
        &["network", "create", "--subnet", "10.91.0.0/16", "app"],
    );
    assert_eq!(created.code, 0, "{created:?}");
    let br = bridge_of(&created.stdout);
    assert!(
        created.stderr.contains("WARNING: ")
            && created
                .stderr
                .contains(&format!("iptables -I FORWARD -i {br} -j ACCEPT")),
        "{created:?}"
    );
    let run = ns.berth(
        &b,
        &[
            "create",
            "--network",
            "bridge",
            "--name",
            "c0",
            "busybox",
            "true",
        ],
    );
    assert!(
        run.code == 0
            && run
                .stderr
                .contains("iptables -I FORWARD -i berth0 -j ACCEPT"),
        "{run:?}"
    );
    let none = ns.berth(&b, &["create", "--network", "none", "busybox", "true"]);
    assert!(
        none.code == 0 && !none.stderr.contains("WARNING"),
        "{none:?}"
    );

    // Once the user allowed berth's bridges, no more warnings.
    ok(ns.host(&[
        "iptables-legacy",
        "-I",
        "FORWARD",
        "-i",
        "br-+",
        "-j",
        "ACCEPT",
    ]));
    ok(ns.host(&[
        "iptables-legacy",
        "-I",
        "FORWARD",
        "-i",
        "berth0",
        "-j",
        "ACCEPT",
    ]));
    let allowed = ns.berth(&b, &["network", "create", "--subnet", "10.92.0.0/16", "ok"]);
    assert!(
        allowed.code == 0 && !allowed.stderr.contains("WARNING"),
        "{allowed:?}"
    );
    let run = ns.berth(&b, &["create", "--network", "bridge", "busybox", "true"]);
    assert!(run.code == 0 && !run.stderr.contains("WARNING"), "{run:?}");
}
