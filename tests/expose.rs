//! Exposed ports as Docker shows them: the image's EXPOSE and `--expose` in `ps`'s PORTS
//! column and in inspect (`Config.ExposedPorts`, `NetworkSettings.Ports`), and `-P`
//! publishing every one of them on a free host port (root only; networked tests in a
//! network namespace of their own).

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::{Berth, busybox_tar, wait_until};
use netns::NetNs;
use serde_json::{Value, json};
use std::time::Duration;

/// A root with `exposer:latest`: busybox with `EXPOSE 80`.
fn berth_with_exposer() -> Berth {
    let b = Berth::new();
    let tar = b.scratch("img").join("busybox.tar");
    std::fs::write(&tar, busybox_tar()).expect("write tar");
    b.ok(&[
        "import",
        tar.to_str().expect("utf-8"),
        "exposer:latest",
        "-c",
        "EXPOSE 80",
        "-c",
        r#"CMD ["sh"]"#,
    ]);
    b
}

fn inspect(ns: &NetNs, b: &Berth, name: &str, what: &str) -> Value {
    let f = format!("{{{{json {what}}}}}");
    serde_json::from_str(ns.ok(b, &["inspect", name, "--format", &f]).trim()).expect("json")
}

fn ports_column(ns: &NetNs, b: &Berth, name: &str) -> String {
    let filter = format!("name={name}");
    ns.ok(
        b,
        &["ps", "-a", "--filter", &filter, "--format", "{{.Ports}}"],
    )
    .trim()
    .to_string()
}

#[test]
fn exposed_ports_show_in_ps_and_inspect() {
    let ns = NetNs::new();
    let b = berth_with_exposer();
    let run = |name: &str, extra: &[&str]| {
        let mut args = vec!["run", "-d", "--name", name, "--network", "bridge"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["exposer", "sleep", "300"]);
        ns.ok(&b, &args);
    };
    run("image-only", &[]);
    assert_eq!(ports_column(&ns, &b, "image-only"), "80/tcp");
    assert_eq!(
        inspect(&ns, &b, "image-only", ".Config.ExposedPorts"),
        json!({"80/tcp": {}})
    );
    assert_eq!(
        inspect(&ns, &b, "image-only", ".NetworkSettings.Ports"),
        json!({"80/tcp": null})
    );

    run(
        "mixed",
        &["-p", "18080:80", "--expose", "9000", "--expose", "53/udp"],
    );
    assert_eq!(
        ports_column(&ns, &b, "mixed"),
        "53/udp, 9000/tcp, 0.0.0.0:18080->80/tcp"
    );
    assert_eq!(
        inspect(&ns, &b, "mixed", ".Config.ExposedPorts"),
        json!({"53/udp": {}, "80/tcp": {}, "9000/tcp": {}})
    );
    assert_eq!(
        inspect(&ns, &b, "mixed", ".NetworkSettings.Ports"),
        json!({
            "53/udp": null,
            "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "18080"}],
            "9000/tcp": null,
        })
    );
    // A range is grouped as Docker groups it.
    run("ranged", &["--expose", "7000-7002"]);
    assert_eq!(ports_column(&ns, &b, "ranged"), "80/tcp, 7000-7002/tcp");
    ns.ok(&b, &["rm", "-f", "image-only", "mixed", "ranged"]);
}

#[test]
fn publish_all_publishes_the_image_and_expose_ports() {
    let ns = NetNs::new();
    let b = berth_with_exposer();
    const WEB: &str = "mkdir -p /www && echo exposed > /www/index.html && \
        httpd -p 80 -h /www && exec httpd -f -p 81 -h /www";
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "web",
            "--network",
            "bridge",
            "-P",
            "--expose",
            "81",
            "exposer",
            "sh",
            "-c",
            WEB,
        ],
    );
    let ports = inspect(&ns, &b, "web", ".NetworkSettings.Ports");
    let host_port = |key: &str| -> u16 {
        ports[key][0]["HostPort"]
            .as_str()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{key} is not published: {ports}"))
    };
    let (p80, p81) = (host_port("80/tcp"), host_port("81/tcp"));
    assert_ne!(p80, p81);
    assert_eq!(
        ports_column(&ns, &b, "web"),
        format!("0.0.0.0:{p80}->80/tcp, 0.0.0.0:{p81}->81/tcp")
    );
    let listed = ns.ok(&b, &["port", "web"]);
    assert!(
        listed.contains(&format!("80/tcp -> 0.0.0.0:{p80}"))
            && listed.contains(&format!("81/tcp -> 0.0.0.0:{p81}")),
        "{listed}"
    );
    let get = |port: u16| {
        let url = format!("http://127.0.0.1:{port}/");
        ns.host(&["timeout", "5", "busybox", "wget", "-qO-", &url])
            .stdout
    };
    wait_until(
        "both published ports to answer",
        Duration::from_secs(10),
        &mut || get(p80).contains("exposed") && get(p81).contains("exposed"),
    );
    ns.ok(&b, &["rm", "-f", "web"]);
}

#[test]
fn without_a_network_ports_are_recorded_but_not_listed() {
    let b = berth_with_exposer();
    b.ok(&[
        "create",
        "--name",
        "quiet",
        "--network",
        "none",
        "--expose",
        "81",
        "exposer",
        "true",
    ]);
    let ports = b.ok(&["ps", "-a", "--format", "{{.Ports}}"]);
    assert_eq!(ports.trim(), "");
    let exposed = b.ok(&[
        "inspect",
        "quiet",
        "--format",
        "{{json .Config.ExposedPorts}}",
    ]);
    assert_eq!(
        serde_json::from_str::<Value>(exposed.trim()).expect("json"),
        json!({"80/tcp": {}, "81/tcp": {}})
    );
    let bad = b.run(&[
        "create",
        "--network",
        "none",
        "--expose",
        "http",
        "exposer",
        "true",
    ]);
    assert_eq!(bad.code, 125, "{bad:?}");
    assert_eq!(bad.stderr.lines().count(), 1, "{bad:?}");
    assert!(bad.stderr.contains("--expose"), "{bad:?}");
    b.ok(&["rm", "quiet"]);
    assert!(b.container_ids().is_empty());
}
