//! What users see from `--format`, tables, human texts, `version` and `info`.

use berth::cli::format::container::{PS_COLUMNS, PS_HEADERS, ps_item_at};
use berth::cli::format::{render, write_list};
use berth::engine::human::{ago_at, bytes_size, container_status_at, duration, size};
use berth::engine::{Container, ContainerConfig, ContainerState, Resources, RestartPolicy, Status};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;
use std::process::Command;
use std::time::Duration as Std;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0)
        .single()
        .expect("valid time")
}

fn container(id: &str, name: &str, image: &str, cmd: &[&str], created: DateTime<Utc>) -> Container {
    Container {
        config: ContainerConfig {
            id: id.repeat(64 / id.len()).parse().expect("container id"),
            name: name.into(),
            created,
            image: image.into(),
            image_id: format!("sha256:{}", "c".repeat(64))
                .parse()
                .expect("image id"),
            cmd: cmd.iter().map(|s| s.to_string()).collect(),
            working_dir: "/".into(),
            hostname: "host".into(),
            labels: [("b", "2"), ("a", "1")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            resources: Resources::default(),
            restart: RestartPolicy::default(),
            network_mode: "none".into(),
            stop_signal: "SIGTERM".into(),
            ..Default::default()
        },
        state: ContainerState::default(),
    }
}

fn running_web() -> Container {
    let mut c = container(
        "0123456789abcdef",
        "web",
        "alpine",
        &["sh", "-c", "while true; do sleep 1; done"],
        now() - Duration::seconds(5),
    );
    c.state.status = Status::Running;
    c.state.pid = 4321;
    c.state.started_at = Some(now() - Duration::seconds(3));
    c
}

fn exited_job() -> Container {
    let mut c = container(
        "fedcba9876543210",
        "job",
        "busybox:latest",
        &["true"],
        now() - Duration::hours(2),
    );
    c.state.status = Status::Exited;
    c.state.started_at = Some(now() - Duration::hours(2));
    c.state.finished_at = Some(now() - Duration::minutes(90));
    c
}

fn list(format: Option<&str>, items: &[serde_json::Value]) -> String {
    let mut out = Vec::new();
    write_list(&mut out, format, PS_COLUMNS, items).expect("format list");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn default_ps_table_is_aligned_like_docker() {
    let items = [
        ps_item_at(&running_web(), false, now()),
        ps_item_at(&exited_job(), false, now()),
    ];
    let expected = concat!(
        "CONTAINER ID   IMAGE            COMMAND                  CREATED         STATUS                   PORTS     NAMES\n",
        "0123456789ab   alpine           \"sh -c while true; d…\"   5 seconds ago   Up 3 seconds                       web\n",
        "fedcba987654   busybox:latest   \"true\"                   2 hours ago     Exited (0) 2 hours ago             job\n",
    );
    assert_eq!(list(None, &items), expected);
}

#[test]
fn empty_list_prints_only_the_header() {
    assert_eq!(
        list(None, &[]),
        "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"
    );
}

#[test]
fn custom_table_names_headers_after_fields() {
    let items = [ps_item_at(&running_web(), true, now())];
    let mut out = Vec::new();
    write_list(
        &mut out,
        Some("table {{.Names}}\\t{{.CreatedAt}}\\t{{.Labels}}"),
        PS_HEADERS,
        &items,
    )
    .expect("format");
    assert_eq!(
        String::from_utf8(out).expect("utf-8"),
        "NAMES     CREATED AT                      LABELS\nweb       2026-11-27 11:59:55 +0000 UTC   a=1,b=2\n"
    );
}

#[test]
fn plain_template_and_json_lines() {
    let items = [
        ps_item_at(&running_web(), true, now()),
        ps_item_at(&exited_job(), false, now()),
    ];
    assert_eq!(
        list(Some("{{.Names}}: {{.Status}}"), &items),
        "web: Up 3 seconds\njob: Exited (0) 2 hours ago\n"
    );
    let json_out = list(Some("json"), &items);
    let lines: Vec<&str> = json_out.lines().collect();
    assert_eq!(lines.len(), 2);
    let first: serde_json::Value = serde_json::from_str(lines[0]).expect("json line");
    assert_eq!(first["ID"], json!("0123456789abcdef".repeat(4)));
    assert_eq!(
        first["Command"],
        json!("\"sh -c while true; do sleep 1; done\"")
    );
    assert_eq!(first["State"], json!("running"));
}

#[test]
fn bad_template_is_one_line_error() {
    let mut out = Vec::new();
    let err = write_list(
        &mut out,
        Some("{{.Names"),
        PS_COLUMNS,
        &[json!({"Names": "x"})],
    )
    .expect_err("bad template");
    let msg = err.to_string();
    assert!(
        msg.starts_with("invalid format template '{{.Names': "),
        "{msg}"
    );
    assert!(!msg.contains('\n'));
    assert!(out.is_empty(), "nothing half-written");
    let err = render("{{.State.Nope}}", &json!({"State": {"Pid": 1}})).expect_err("no field");
    assert!(
        err.to_string()
            .starts_with("invalid format template '{{.State.Nope}}': ")
    );
}

#[test]
fn templates_on_the_inspect_document() {
    let engine = berth::engine::Engine::open_existing(
        std::path::Path::new("/var/lib/berth"),
        berth::engine::EngineOptions::default(),
    );
    let doc = engine.inspect_document(&running_web());
    let r = |t: &str| render(t, &doc).expect(t);
    assert_eq!(r("{{.State.Pid}}"), "4321");
    assert_eq!(r("{{.State.Status}} {{.State.Running}}"), "running true");
    assert_eq!(r("{{.Name}}"), "/web");
    assert_eq!(r("{{.NetworkSettings.IPAddress}}"), "");
    assert_eq!(
        r("{{range .NetworkSettings.Networks}}[{{.IPAddress}}]{{end}}"),
        "[]"
    );
    assert_eq!(
        r("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}} {{end}}"),
        "a=1 b=2 "
    );
    assert_eq!(r("{{json .Config.Labels}}"), r#"{"a":"1","b":"2"}"#);
    assert_eq!(
        r("{{json .Config.Cmd}}"),
        r#"["sh","-c","while true; do sleep 1; done"]"#
    );
    assert_eq!(r("{{.Config.Cmd}}"), "[sh -c while true; do sleep 1; done]");
    assert_eq!(r("{{.State.FinishedAt}}"), "0001-01-01T00:00:00Z");
    assert_eq!(r("{{.HostConfig.RestartPolicy.MaximumRetryCount}}"), "0");
}

#[test]
fn durations_at_the_boundaries() {
    let s = Std::from_secs;
    let cases = [
        (Std::from_millis(999), "Less than a second"),
        (s(1), "1 second"),
        (s(59), "59 seconds"),
        (s(60), "About a minute"),
        (s(119), "About a minute"),
        (s(120), "2 minutes"),
        (s(59 * 60 + 59), "59 minutes"),
        (s(3600), "About an hour"),
        (s(89 * 60), "About an hour"),
        (s(90 * 60), "2 hours"),
        (s(47 * 3600), "47 hours"),
        (s(48 * 3600), "2 days"),
        (s(13 * 86400), "13 days"),
        (s(14 * 86400), "2 weeks"),
        (s(59 * 86400), "8 weeks"),
        (s(60 * 86400), "2 months"),
        (s(729 * 86400), "24 months"),
        (s(730 * 86400), "2 years"),
    ];
    for (d, want) in cases {
        assert_eq!(duration(d), want, "{d:?}");
    }
    assert_eq!(ago_at(now() - Duration::seconds(5), now()), "5 seconds ago");
}

#[test]
fn sizes_like_go_units() {
    assert_eq!(size(0), "0B");
    assert_eq!(size(512), "512B");
    assert_eq!(size(999), "999B");
    assert_eq!(size(1000), "1kB");
    assert_eq!(size(1234), "1.23kB");
    assert_eq!(size(4_100_000), "4.1MB");
    assert_eq!(size(1_500_000_000), "1.5GB");
    assert_eq!(size(7_800_000), "7.8MB");
    assert_eq!(bytes_size(25_276_510_208), "23.54GiB");
    assert_eq!(bytes_size(1024), "1KiB");
}

#[test]
fn status_texts() {
    assert_eq!(container_status_at(&running_web(), now()), "Up 3 seconds");
    let mut paused = running_web();
    paused.state.status = Status::Paused;
    assert_eq!(container_status_at(&paused, now()), "Up 3 seconds (Paused)");
    assert_eq!(
        container_status_at(&exited_job(), now()),
        "Exited (0) 2 hours ago"
    );
    let created = container("ab", "new", "alpine", &["true"], now());
    assert_eq!(container_status_at(&created, now()), "Created");
    let mut restarting = exited_job();
    restarting.state.status = Status::Restarting;
    restarting.state.exit_code = 1;
    restarting.state.finished_at = Some(now() - Duration::seconds(2));
    assert_eq!(
        container_status_at(&restarting, now()),
        "Restarting (1) 2 seconds ago"
    );
}

fn berth(root: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_berth"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("BERTH_CONFIG", root.join("no-config.yaml"))
        .output()
        .expect("run berth");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn version_and_info_commands() {
    let root = tempfile::tempdir().expect("tempdir");
    let (code, out, err) = berth(root.path(), &["version"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("Client:\n Version:           0.1.0\n"),
        "{out}"
    );
    assert!(
        out.contains("\nServer: berth (daemonless)\n Engine:\n"),
        "{out}"
    );
    let (code, out, _) = berth(root.path(), &["version", "--format", "{{.Client.Version}}"]);
    assert_eq!((code, out.as_str()), (0, "0.1.0\n"));

    let (code, out, err) = berth(root.path(), &["info"]);
    assert_eq!(code, 0, "{err}");
    for line in [
        " Containers: 0\n  Running: 0\n  Paused: 0\n  Stopped: 0\n Images: 0\n",
        " Server Version: 0.1.0\n",
        " Logging Driver: json-file\n",
        " Cgroup Driver: cgroupfs\n",
        " OSType: linux\n",
        &format!(" Berth Root Dir: {}\n", root.path().display()),
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    assert!(
        out.contains(" Total Memory: ") && out.contains("GiB\n"),
        "{out}"
    );

    let (code, out, _) = berth(
        root.path(),
        &[
            "system",
            "info",
            "--format",
            "{{.Containers}} {{.ServerVersion}} {{.OSType}}",
        ],
    );
    assert_eq!((code, out.as_str()), (0, "0 0.1.0 linux\n"));
    let (code, out, _) = berth(root.path(), &["info", "--format", "{{json .}}"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
    assert_eq!(v["LoggingDriver"], json!("json-file"));

    let (code, out, err) = berth(root.path(), &["info", "--format", "{{.Containers"]);
    assert_eq!(code, 125);
    assert!(out.is_empty());
    assert!(
        err.starts_with("berth: invalid format template '{{.Containers': "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
