//! The inspect document's shape, against Docker's.

use super::*;
use crate::engine::container::{
    ContainerConfig, ContainerState, MountKind, MountSpec, PortBinding, Resources, RestartPolicy,
    Status,
};
use crate::engine::{ContainerId, ImageId};
use chrono::TimeZone;
use serde_json::json;

/// A container as `create` + `start` would have recorded it.
fn sample() -> Container {
    let created = Utc
        .with_ymd_and_hms(2026, 11, 27, 10, 0, 0)
        .single()
        .expect("valid time")
        + chrono::Duration::nanoseconds(120_000_000);
    Container {
        config: ContainerConfig {
            id: ContainerId::from_trusted("a".repeat(64)),
            name: "web".into(),
            created,
            image: "alpine".into(),
            image_id: ImageId::from_trusted(format!("sha256:{}", "b".repeat(64))),
            layers: vec!["l1".into(), "l2".into()],
            cmd: vec!["sh".into(), "-c".into(), "sleep 100".into()],
            env: vec!["PATH=/bin".into()],
            working_dir: "/".into(),
            hostname: "aaaaaaaaaaaa".into(),
            labels: [("k".to_string(), "v".to_string())].into_iter().collect(),
            mounts: vec![
                MountSpec {
                    kind: MountKind::Volume,
                    source: "data".into(),
                    destination: "/data".into(),
                    read_only: false,
                    options: String::new(),
                },
                MountSpec {
                    kind: MountKind::Tmpfs,
                    source: String::new(),
                    destination: "/tmp".into(),
                    read_only: false,
                    options: "size=64m".into(),
                },
            ],
            resources: Resources {
                memory: Some(1 << 20),
                nano_cpus: None,
                pids_limit: Some(100),
            },
            restart: RestartPolicy {
                name: "on-failure".into(),
                max_retry: 3,
            },
            network_mode: "none".into(),
            stop_signal: "SIGTERM".into(),
            ..Default::default()
        },
        state: ContainerState {
            status: Status::Running,
            pid: 1234,
            started_at: Some(created),
            ..Default::default()
        },
    }
}

#[test]
fn document_has_docker_shape() {
    let paths = Paths::new(std::path::Path::new("/var/lib/berth"));
    let d = inspect_document(&sample(), &paths);
    let id = "a".repeat(64);
    assert_eq!(d["Id"], json!(id));
    assert_eq!(d["Created"], json!("2026-11-27T10:00:00.12Z"));
    assert_eq!(d["Path"], json!("sh"));
    assert_eq!(d["Args"], json!(["-c", "sleep 100"]));
    assert_eq!(d["Name"], json!("/web"));
    assert_eq!(d["State"]["Pid"], json!(1234));
    assert_eq!(d["State"]["Running"], json!(true));
    assert_eq!(d["State"]["FinishedAt"], json!(ZERO_TIME));
    assert_eq!(
        d["LogPath"],
        json!(format!("/var/lib/berth/containers/{id}/{id}-json.log"))
    );
    assert_eq!(
        d["HostsPath"],
        json!(format!("/var/lib/berth/containers/{id}/hosts"))
    );
    assert_eq!(
        d["HostConfig"]["RestartPolicy"]["MaximumRetryCount"],
        json!(3)
    );
    assert_eq!(d["HostConfig"]["Binds"], json!(["data:/data"]));
    assert_eq!(d["HostConfig"]["Tmpfs"], json!({"/tmp": "size=64m"}));
    assert_eq!(d["HostConfig"]["PidsLimit"], json!(100));
    assert_eq!(
        d["GraphDriver"]["Data"]["LowerDir"],
        json!("/var/lib/berth/layers/l2/diff:/var/lib/berth/layers/l1/diff")
    );
    assert_eq!(d["Mounts"][0]["Type"], json!("volume"));
    assert_eq!(
        d["Mounts"][0]["Source"],
        json!("/var/lib/berth/volumes/data/_data")
    );
    assert_eq!(d["Config"]["Image"], json!("alpine"));
    assert_eq!(d["Config"]["Entrypoint"], Value::Null);
    assert_eq!(d["Config"]["Labels"], json!({"k": "v"}));
    assert_eq!(
        d["NetworkSettings"]["Networks"]["none"]["IPPrefixLen"],
        json!(0)
    );
    assert_eq!(d["Driver"], json!("overlay2"));
}

#[test]
fn stopped_container_has_no_pid_and_keeps_order() {
    let mut c = sample();
    c.state.status = Status::Exited;
    c.state.exit_code = 2;
    let paths = Paths::new(std::path::Path::new("/r"));
    let d = inspect_document(&c, &paths);
    assert_eq!(d["State"]["Pid"], json!(0));
    assert_eq!(d["State"]["Running"], json!(false));
    assert_eq!(d["State"]["ExitCode"], json!(2));
    let text = serde_json::to_string(&document(&c, &paths)).expect("serialize");
    assert!(text.starts_with("{\"Id\":"), "{text}");
    assert!(text.find("\"Created\"") < text.find("\"Path\""));
}

#[test]
fn port_bindings_are_dockers_map_of_lists() {
    let paths = Paths::new(std::path::Path::new("/var/lib/berth"));
    let mut c = sample();
    assert_eq!(
        inspect_document(&c, &paths)["HostConfig"]["PortBindings"],
        json!({})
    );
    let port = |host_ip: &str, host_port, container_port, protocol: &str| PortBinding {
        host_ip: host_ip.into(),
        host_port,
        container_port,
        protocol: protocol.into(),
    };
    c.config.net.ports = vec![
        port("", 8080, 80, "tcp"),
        port("127.0.0.1", 8081, 80, "tcp"),
        port("", 0, 53, "udp"),
    ];
    assert_eq!(
        inspect_document(&c, &paths)["HostConfig"]["PortBindings"],
        json!({
            "80/tcp": [
                {"HostIp": "", "HostPort": "8080"},
                {"HostIp": "127.0.0.1", "HostPort": "8081"}
            ],
            "53/udp": [{"HostIp": "", "HostPort": ""}]
        })
    );
}
