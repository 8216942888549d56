//! End-to-end in a real terminal (tmux): `R` in the Images pane with an image the store does
//! not have. The dashboard pulls it from a registry on loopback with the layer gauge, then
//! creates and starts the container; the command log tells the steps. Runs as root.

#[path = "common/container_harness.rs"]
mod container_harness;
#[path = "common/registry_harness.rs"]
mod registry_harness;
#[path = "common/tmux.rs"]
mod tmux;

use container_harness::Berth;
use registry_harness::{Registry, big_layer};
use std::time::Duration;
use tmux::Tmux;

fn sha(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

#[test]
fn running_a_missing_image_from_the_dashboard_pulls_it_with_the_gauge_then_starts_it() {
    let reg = Registry::plain();
    // busybox plus 64 MB of random bytes, so the download is seen on the gauge.
    let (layer, tar) = big_layer(64 * 1024 * 1024, 0x9e37_79b9_7f4a_7c15);
    reg.push_raw_image("e2e/run", "v1", &layer, &sha(&tar));
    let reference = format!("{}/e2e/run:v1", reg.host);
    let id = sha(&layer).trim_start_matches("sha256:")[..12].to_string();

    // Declared first, dropped last: the dashboard is gone before its containers are removed.
    let b = Berth::empty();
    let d = b.scratch("term");
    // The harness's config (network.default: none): nothing made in the host's namespace.
    let dashboard = b.dashboard_command(&d);
    let t = Tmux::start(&d, 140, 40, &dashboard);
    t.wait_for("the dashboard", Duration::from_secs(10), |s| {
        s.contains("no containers")
    });
    t.keys(&["i"]);
    t.wait_for("the Images pane", Duration::from_secs(5), |s| {
        s.contains("no images")
    });
    t.keys(&["R"]);
    t.wait_for("the run prompt", Duration::from_secs(5), |s| {
        s.contains("pulled when missing")
    });
    t.type_text(&format!("{reference} web"));
    t.keys(&["Enter"]);

    t.wait_for("the layer's gauge", Duration::from_secs(30), |s| {
        s.contains(&id) && (s.contains("downloading") || s.contains("extracting"))
    });
    let done = t.wait_for("the container to start", Duration::from_secs(120), |s| {
        s.contains(&format!("started a container from '{reference}'"))
    });
    assert!(!done.contains("downloading"), "the gauge is gone:\n{done}");
    for line in [
        format!("Unable to find image '{reference}' locally"),
        format!("berth pull {reference}"),
        format!("berth run -d --network none --name web {reference}"),
    ] {
        assert!(
            done.contains(&line),
            "no '{line}' in the command log:\n{done}"
        );
    }
    t.keys(&["q"]);

    let ids = b.container_ids();
    assert_eq!(ids.len(), 1, "one container");
    assert_eq!(b.config(&ids[0])["name"], "web");
    assert_eq!(b.config(&ids[0])["image"], reference.as_str());
}
