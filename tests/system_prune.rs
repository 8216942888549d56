//! `system prune` as Docker has it: stopped containers, networks no container uses (never
//! the built-in ones), dangling images and the build cache, with Docker's warning and
//! report (root only; in a network namespace of the test's own, for the bridges).

#[path = "common/build_fixture.rs"]
mod build_fixture;
#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::Berth;
use netns::NetNs;

const WARNING: &str = "WARNING! This will remove:
  - all stopped containers
  - all networks not used by at least one container
  - all dangling images
  - unused build cache

Are you sure you want to continue? [y/N] ";

fn network_names(ns: &NetNs, b: &Berth) -> Vec<String> {
    let mut v: Vec<String> = ns
        .ok(b, &["network", "ls", "--format", "{{.Name}}"])
        .lines()
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

fn build_cache_entries(ns: &NetNs, b: &Berth) -> String {
    ns.ok(
        b,
        &["system", "df", "--format", "{{.Type}}={{.TotalCount}}"],
    )
    .lines()
    .find_map(|l| l.strip_prefix("Build Cache=").map(str::to_string))
    .expect("a Build Cache row")
}

#[test]
fn system_prune_removes_unused_networks_and_the_build_cache() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(&b, &["network", "create", "unused"]);
    ns.ok(&b, &["network", "create", "used"]);
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "keeper",
            "--network",
            "used",
            "busybox",
            "sleep",
            "300",
        ],
    );
    ns.ok(
        &b,
        &[
            "run",
            "--name",
            "done",
            "--network",
            "none",
            "busybox",
            "true",
        ],
    );
    let dir = build_fixture::context(
        &b,
        "ctx",
        &[("Dockerfile", "FROM busybox\nRUN echo cached > /cached\n")],
    );
    let dir = dir.to_str().expect("utf-8").to_string();
    ns.ok(&b, &["build", "--network", "none", "-t", "cached:1", &dir]);
    assert_ne!(build_cache_entries(&ns, &b), "0");

    // Without -f, the question is asked (stdin is empty: no) and nothing goes.
    let asked = ns.berth(&b, &["system", "prune"]);
    assert_eq!(asked.code, 0, "{asked:?}");
    assert_eq!(asked.stdout, WARNING);
    assert_eq!(
        network_names(&ns, &b),
        ["bridge", "host", "none", "unused", "used"]
    );

    let done = b.id_of("done");
    let out = ns.ok(&b, &["system", "prune", "-f"]);
    assert!(
        out.starts_with(&format!(
            "Deleted Containers:\n{done}\n\nDeleted Networks:\nunused\n\n"
        )),
        "{out}"
    );
    assert!(out.contains("Deleted build cache objects:\n"), "{out}");
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l.starts_with("Total reclaimed space: ")),
        "{out}"
    );
    assert_eq!(network_names(&ns, &b), ["bridge", "host", "none", "used"]);
    assert_eq!(build_cache_entries(&ns, &b), "0");
    let left = ns.ok(&b, &["ps", "-a", "--format", "{{.Names}}"]);
    assert_eq!(left.trim(), "keeper");

    // Once the last container of `used` is gone, the next prune takes that network too.
    ns.ok(&b, &["rm", "-f", "keeper"]);
    let out = ns.ok(&b, &["system", "prune", "-f"]);
    assert!(out.starts_with("Deleted Networks:\nused\n\n"), "{out}");
    assert_eq!(network_names(&ns, &b), ["bridge", "host", "none"]);
}
