//! Docker's management-command spellings (`container port`, `container ls`, `image rm`,
//! ...) work as the top-level commands do: same flags, same output (root only for the ones
//! that make containers; the published port is chosen in a network namespace of the
//! test's own).

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::Berth;
use netns::NetNs;

/// Every subcommand of Docker's groups that berth has, with the group's aliases.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "container",
        &[
            "attach", "cp", "create", "diff", "exec", "export", "inspect", "kill", "logs", "ls",
            "list", "ps", "pause", "port", "prune", "rename", "restart", "rm", "remove", "run",
            "start", "stats", "stop", "top", "unpause", "wait",
        ],
    ),
    (
        "image",
        &[
            "build", "history", "import", "inspect", "load", "ls", "list", "prune", "pull", "push",
            "rm", "remove", "save", "tag",
        ],
    ),
    (
        "network",
        &[
            "connect",
            "create",
            "disconnect",
            "inspect",
            "ls",
            "list",
            "prune",
            "rm",
            "remove",
        ],
    ),
    (
        "volume",
        &["create", "inspect", "ls", "list", "prune", "rm", "remove"],
    ),
    ("system", &["df", "events", "info", "prune"]),
];

#[test]
fn every_group_subcommand_has_help() {
    let b = Berth::empty();
    for (group, subs) in GROUPS {
        for sub in *subs {
            let out = b.run(&[group, sub, "--help"]);
            assert_eq!(out.code, 0, "berth {group} {sub} --help: {out:?}");
            assert!(
                out.stdout.contains("Usage:"),
                "berth {group} {sub} --help printed no usage: {out:?}"
            );
            assert!(out.stderr.is_empty(), "{group} {sub}: {out:?}");
        }
    }
    // The group's own help lists `port` with its description.
    let help = b.ok(&["container", "--help"]);
    assert!(
        help.contains("port") && help.contains("List port mappings"),
        "{help}"
    );
}

#[test]
fn container_ls_and_rename_work_as_ps_and_rename() {
    let b = Berth::new();
    b.ok(&[
        "create",
        "--network",
        "none",
        "--name",
        "first",
        "busybox",
        "true",
    ]);
    let ps = b.ok(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"]);
    for alias in ["ls", "list", "ps"] {
        let out = b.ok(&[
            "container",
            alias,
            "-a",
            "--format",
            "{{.Names}} {{.Status}}",
        ]);
        assert_eq!(out, ps, "container {alias}");
        assert_eq!(out.trim(), "first Created");
    }
    b.ok(&["container", "rename", "first", "second"]);
    let names = b.ok(&["container", "ls", "-a", "--format", "{{.Names}}"]);
    assert_eq!(names.trim(), "second");
    let again = b.run(&["container", "rename", "first", "third"]);
    assert_eq!(again.code, 125, "{again:?}");
    b.ok(&["container", "remove", "second"]);
    assert!(b.container_ids().is_empty());
}

#[test]
fn container_port_prints_what_port_prints() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &[
            "create",
            "--network",
            "bridge",
            "--name",
            "web",
            "-p",
            "127.0.0.1:18080:80",
            "busybox",
            "true",
        ],
    );
    let top = ns.ok(&b, &["port", "web"]);
    assert_eq!(top.trim(), "80/tcp -> 127.0.0.1:18080");
    assert_eq!(ns.ok(&b, &["container", "port", "web"]), top);
    assert_eq!(
        ns.ok(&b, &["container", "port", "web", "80/tcp"]).trim(),
        "127.0.0.1:18080"
    );
    let missing = ns.berth(&b, &["container", "port", "web", "81"]);
    assert_eq!(missing.code, 125, "{missing:?}");
    assert_eq!(missing.stderr.lines().count(), 1, "{missing:?}");
    ns.ok(&b, &["container", "rm", "web"]);
}
