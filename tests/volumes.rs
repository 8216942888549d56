//! Volume lifecycle through the berth binary: create, ls, inspect, rm, prune.

#[path = "common/records.rs"]
mod records;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn berth(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_berth"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("BERTH_CONFIG", root.join("no-config.yaml"))
        .stdin(Stdio::null())
        .output()
        .expect("run berth")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The rows of the default `volume ls` table, as (driver, name) pairs, header checked.
fn ls_rows(root: &Path, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["volume", "ls"];
    args.extend_from_slice(extra);
    let o = berth(root, &args);
    assert!(o.status.success(), "ls failed: {}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().expect("header").split_whitespace().collect();
    assert_eq!(header, ["DRIVER", "VOLUME", "NAME"]);
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(cells.len(), 2, "row {l:?}");
            (cells[0].to_string(), cells[1].to_string())
        })
        .collect()
}

#[test]
fn create_ls_inspect_rm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();

    let o = berth(root, &["volume", "create", "data", "-l", "tier=db"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "data\n");
    // Creating an existing name is not an error and keeps the volume.
    let o = berth(root, &["volume", "create", "data"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let o = berth(root, &["volume", "create"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let random = stdout(&o).trim().to_string();
    assert_eq!(random.len(), 64);
    assert!(random.chars().all(|c| c.is_ascii_hexdigit()));

    let mut want = vec![
        ("local".to_string(), "data".to_string()),
        ("local".to_string(), random.clone()),
    ];
    want.sort();
    let mut rows = ls_rows(root, &[]);
    rows.sort();
    assert_eq!(rows, want);

    let o = berth(root, &["volume", "ls", "-q"]);
    let mut names: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    names.sort();
    let mut want_names = vec!["data".to_string(), random.clone()];
    want_names.sort();
    assert_eq!(names, want_names);

    let o = berth(root, &["volume", "inspect", "data"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("inspect json");
    let v = &v[0];
    assert_eq!(v["Name"], "data");
    assert_eq!(v["Driver"], "local");
    assert_eq!(v["Scope"], "local");
    assert_eq!(v["Labels"]["tier"], "db");
    let mountpoint = root.join("volumes/data/_data");
    assert_eq!(v["Mountpoint"], mountpoint.to_string_lossy().as_ref());
    assert!(mountpoint.is_dir());
    assert!(
        chrono::DateTime::parse_from_rfc3339(v["CreatedAt"].as_str().expect("CreatedAt")).is_ok()
    );

    std::fs::write(mountpoint.join("file"), b"kept").expect("write into volume");
    let o = berth(root, &["volume", "rm", "data"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "data\n");
    assert!(!root.join("volumes/data").exists());
    assert_eq!(ls_rows(root, &[]), vec![("local".into(), random)]);
}

#[test]
fn errors_have_exit_codes_and_one_line_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();

    let o = berth(root, &["volume", "create", "bad/name"]);
    assert_eq!(o.status.code(), Some(125));
    let err = stderr(&o);
    assert!(err.contains("invalid volume name 'bad/name'"), "{err}");
    assert_eq!(err.lines().count(), 1);
    assert!(!root.join("volumes/bad").exists());

    let o = berth(root, &["volume", "rm", "missing"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no such volume: 'missing'"),
        "{}",
        stderr(&o)
    );
    // -f ignores a missing volume.
    let o = berth(root, &["volume", "rm", "-f", "missing"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let o = berth(root, &["volume", "inspect", "missing"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no such volume: 'missing'"));

    let o = berth(root, &["volume", "create", "--driver", "nfs", "x1"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("'nfs'"));
}

#[test]
fn prune_removes_anonymous_unless_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let engine = berth::engine::Engine::open(root, Default::default()).expect("open");
    let anon = engine.volume_for_mount("").expect("anonymous volume");
    let anon_name = anon
        .parent()
        .and_then(|p| p.file_name())
        .expect("name")
        .to_string_lossy()
        .into_owned();
    std::fs::write(anon.join("blob"), vec![0u8; 1000]).expect("write");
    // volume_for_mount creates a named volume on first use and reuses it after.
    let named = engine.volume_for_mount("cache").expect("named volume");
    assert_eq!(named, root.join("volumes/cache/_data"));
    assert_eq!(engine.volume_for_mount("cache").expect("again"), named);

    let dangling = berth(root, &["volume", "ls", "-q", "-f", "dangling=true"]);
    assert_eq!(stdout(&dangling).lines().count(), 2);

    let o = berth(root, &["volume", "prune", "-f"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "Deleted Volumes:\n{anon_name}\n\nTotal reclaimed space: {}\n",
            berth::engine::human::size(1000)
        )
    );
    assert_eq!(ls_rows(root, &[]), vec![("local".into(), "cache".into())]);

    // Without -f and without a "y" answer nothing is removed.
    let o = berth(root, &["volume", "prune", "-a"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Are you sure you want to continue? [y/N]"));
    assert_eq!(ls_rows(root, &[]).len(), 1);

    let o = berth(root, &["volume", "prune", "-a", "-f"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("Deleted Volumes:\ncache\n"),
        "{}",
        stdout(&o)
    );
    assert!(ls_rows(root, &[]).is_empty());
}

/// Records a stopped container on disk whose config mounts `volume` (no process needed).
fn fake_container_using(root: &Path, volume: &str) -> String {
    use berth::engine::{ContainerConfig, MountKind, MountSpec, Resources, RestartPolicy};
    let id = records::random_id();
    let config = ContainerConfig {
        id: id.parse().expect("container id"),
        name: "user".into(),
        created: chrono::Utc::now(),
        image: "scratch".into(),
        cmd: vec!["true".into()],
        working_dir: "/".into(),
        hostname: "host".into(),
        mounts: vec![MountSpec {
            kind: MountKind::Volume,
            source: volume.into(),
            destination: "/data".into(),
            read_only: false,
            options: String::new(),
        }],
        resources: Resources::default(),
        restart: RestartPolicy::default(),
        network_mode: "none".into(),
        stop_signal: "SIGTERM".into(),
        ..Default::default()
    };
    let dir = root.join("containers").join(&id);
    std::fs::create_dir_all(&dir).expect("container dir");
    records::write_json(&dir.join("config.json"), &config).expect("config");
    id
}

#[test]
fn volume_in_use_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    assert!(berth(root, &["volume", "create", "used"]).status.success());
    assert!(berth(root, &["volume", "create", "free"]).status.success());
    let id = fake_container_using(root, "used");

    for args in [
        &["volume", "rm", "used"][..],
        &["volume", "rm", "-f", "used"],
    ] {
        let o = berth(root, args);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(
            err.contains("volume 'used' is in use by container")
                && err.contains(berth::engine::short_id(&id)),
            "{err}"
        );
    }
    let o = berth(root, &["volume", "ls", "-q", "--filter", "dangling=true"]);
    assert_eq!(stdout(&o), "free\n");
    let o = berth(root, &["volume", "prune", "-a", "-f"]);
    assert!(
        stdout(&o).starts_with("Deleted Volumes:\nfree\n\n"),
        "{}",
        stdout(&o)
    );
    assert_eq!(ls_rows(root, &[]), vec![("local".into(), "used".into())]);
}

/// `inspect` without `--type` finds volumes and networks too (as `docker inspect`
/// does); a name that is nothing is Docker's `no such object`, exit 1; a bad `--type`
/// names the kinds.
#[test]
fn top_level_inspect_finds_any_kind_of_object() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    assert!(berth(root, &["volume", "create", "data"]).status.success());
    let o = berth(
        root,
        &["inspect", "--format", "{{.Name}} {{.Driver}}", "data"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "data local");
    // The default networks exist in every state root, without any device made.
    let o = berth(
        root,
        &["inspect", "--format", "{{.Name}} {{.Driver}}", "none"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "none null");
    let o = berth(root, &["inspect", "nothing-here"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).trim(), "berth: no such object: 'nothing-here'");
    let o = berth(root, &["inspect", "--type", "network", "data"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("network"), "{}", stderr(&o));
    let o = berth(root, &["inspect", "--type", "pod", "data"]);
    assert_eq!(o.status.code(), Some(125));
    assert_eq!(
        stderr(&o).trim(),
        "berth: invalid --type 'pod': use container, image, network or volume"
    );
}
