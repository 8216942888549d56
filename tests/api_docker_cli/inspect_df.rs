//! Two documents the docker CLI reads: `HostConfig.PortBindings` of a container with
//! published ports (as `docker inspect` shows it against dockerd), and `/system/df`'s
//! build cache (empty, `BuilderSize` 0, rather than missing).

use super::api_service::Service;
use super::harness::Berth;
use super::netns;

#[test]
fn docker_inspect_shows_port_bindings_as_docker_does() {
    let b = Berth::new();
    b.docker_defaults();
    let ns = netns::NetNs::new();
    let s = Service::start_in(&b, Some(&ns.path()));
    s.ok(&[
        "create",
        "--name",
        "published",
        "-p",
        "8080:80",
        "-p",
        "127.0.0.1:5353:53/udp",
        "busybox",
        "true",
    ]);
    let ports = s.ok(&[
        "inspect",
        "-f",
        "{{json .HostConfig.PortBindings}}",
        "published",
    ]);
    let ports: serde_json::Value = serde_json::from_str(&ports).expect("json");
    assert_eq!(
        ports,
        serde_json::json!({
            "80/tcp": [{"HostIp": "", "HostPort": "8080"}],
            "53/udp": [{"HostIp": "127.0.0.1", "HostPort": "5353"}]
        })
    );
    s.ok(&["create", "--name", "plain", "busybox", "true"]);
    let none = s.ok(&[
        "inspect",
        "-f",
        "{{json .HostConfig.PortBindings}}",
        "plain",
    ]);
    assert_eq!(none.trim(), "{}");
    s.ok(&["rm", "published", "plain"]);
}

#[test]
fn system_df_reports_an_empty_build_cache() {
    let b = Berth::new();
    let s = Service::start(&b);
    let (status, answer) = s.raw("GET", "/v1.47/system/df");
    assert_eq!(status, 200, "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).expect("a body");
    let doc: serde_json::Value = serde_json::from_str(body).expect("json");
    assert_eq!(doc["BuildCache"], serde_json::json!([]), "{doc}");
    assert_eq!(doc["BuilderSize"], serde_json::json!(0), "{doc}");
    let df = s.ok(&["system", "df"]);
    let row = df
        .lines()
        .find(|l| l.starts_with("Build Cache"))
        .unwrap_or_else(|| panic!("no build cache row: {df}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols, ["Build", "Cache", "0", "0", "0B", "0B"], "{df}");
}
