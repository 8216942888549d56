//! System commands: version, info, system info.
//!
//! Both print Docker's layout; `--format` sees the same field names Docker's templates use
//! (`{{.Client.Version}}`, `{{.ServerVersion}}`, `{{.Containers}}`, `{{json .}}`).

use super::Ctx;
use super::format::{human, render};
use crate::engine::container::Status;
use crate::engine::runtime::cgroups::{self, Layout};
use crate::engine::store::Paths;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

/// `berth system ...`
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum SystemCommand {
    /// Display system-wide information.
    Info(InfoArgs),
    /// Show berth disk usage.
    Df(super::disk::DfArgs),
    /// Remove unused data.
    Prune(super::disk::SystemPruneArgs),
    /// Get real time events from berth.
    Events(super::events::EventsArgs),
    /// After the host started: record containers whose supervisor is gone as exited and
    /// start those with restart policy always or unless-stopped (run once by the
    /// berth-restart.service systemd unit).
    Boot,
}

/// `berth version`
#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Format the output using a Go template.
    #[arg(short, long)]
    pub format: Option<String>,
}

/// `berth info`
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Format the output using a Go template.
    #[arg(short, long)]
    pub format: Option<String>,
}

/// The Docker API version berth's behaviour follows.
const API_VERSION: &str = "1.45";

/// Runs a `system` subcommand.
pub fn dispatch(ctx: &Ctx, cmd: SystemCommand) -> anyhow::Result<i32> {
    match cmd {
        SystemCommand::Info(a) => info(ctx, a),
        SystemCommand::Df(a) => super::disk::df(ctx, a),
        SystemCommand::Prune(a) => super::disk::prune(ctx, a),
        SystemCommand::Events(a) => super::events::events(ctx, a),
        SystemCommand::Boot => boot(ctx),
    }
}

/// `system boot`: prints the name of each container started again, one line per failure
/// on stderr; exit 1 if any failed.
fn boot(ctx: &Ctx) -> anyhow::Result<i32> {
    let report = ctx.engine.boot()?;
    for name in &report.started {
        println!("{name}");
    }
    for (name, e) in &report.failed {
        eprintln!("berth: cannot start container '{name}': {e}");
    }
    Ok(if report.failed.is_empty() { 0 } else { 1 })
}

/// Go's names for the architecture (`amd64`, `arm64`), as `docker version` prints them.
fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        other => other,
    }
}

fn uname() -> (String, String, String) {
    match nix::sys::utsname::uname() {
        Ok(u) => (
            u.release().to_string_lossy().into_owned(),
            u.machine().to_string_lossy().into_owned(),
            u.nodename().to_string_lossy().into_owned(),
        ),
        Err(_) => (String::new(), std::env::consts::ARCH.into(), String::new()),
    }
}

/// The document `version --format` sees.
fn version_value() -> Value {
    let version = env!("CARGO_PKG_VERSION");
    let (kernel, _, _) = uname();
    json!({
        "Client": {
            "Platform": {"Name": "berth"},
            "Version": version,
            "ApiVersion": API_VERSION,
            "DefaultAPIVersion": API_VERSION,
            "Os": std::env::consts::OS,
            "Arch": go_arch(),
            "Context": "default",
        },
        "Server": {
            "Platform": {"Name": "berth (daemonless)"},
            "Version": version,
            "ApiVersion": API_VERSION,
            "MinAPIVersion": API_VERSION,
            "Os": std::env::consts::OS,
            "Arch": go_arch(),
            "KernelVersion": kernel,
            "Experimental": false,
        },
    })
}

/// `berth version`
pub fn version(_ctx: &Ctx, a: VersionArgs) -> anyhow::Result<i32> {
    let v = version_value();
    if let Some(f) = a.format.as_deref() {
        println!("{}", render(f, &v)?);
        return Ok(0);
    }
    let (c, s) = (&v["Client"], &v["Server"]);
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut out = String::from("Client:\n");
    for (k, val) in [
        ("Version", text(&c["Version"])),
        ("API version", format!("{} (berth)", text(&c["ApiVersion"]))),
        (
            "OS/Arch",
            format!("{}/{}", text(&c["Os"]), text(&c["Arch"])),
        ),
        ("Context", text(&c["Context"])),
    ] {
        out.push_str(&format!(" {:<19}{val}\n", format!("{k}:")));
    }
    out.push_str(&format!(
        "\nServer: {}\n Engine:\n",
        text(&s["Platform"]["Name"])
    ));
    for (k, val) in [
        ("Version", text(&s["Version"])),
        ("API version", format!("{} (berth)", text(&s["ApiVersion"]))),
        (
            "OS/Arch",
            format!("{}/{}", text(&s["Os"]), text(&s["Arch"])),
        ),
        ("Kernel version", text(&s["KernelVersion"])),
        ("Experimental", "false".to_string()),
    ] {
        out.push_str(&format!("  {:<18}{val}\n", format!("{k}:")));
    }
    print!("{out}");
    Ok(0)
}

/// How many images the store holds: distinct targets of `images/index.json` (a map of
/// references, or an OCI index with `manifests`). The one place that counts images.
fn count_images(paths: &Paths) -> usize {
    let path = paths.images().join("index.json");
    let Ok(doc) = crate::engine::store::read_json::<Value>(&path) else {
        return 0;
    };
    let mut targets: Vec<String> = match &doc {
        Value::Object(o) if o.get("manifests").is_some_and(Value::is_array) => o["manifests"]
            .as_array()
            .map(|m| {
                m.iter()
                    .map(|d| d["digest"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        Value::Object(o) => o.values().map(|v| v.to_string()).collect(),
        Value::Array(a) => a.iter().map(Value::to_string).collect(),
        _ => Vec::new(),
    };
    targets.sort();
    targets.dedup();
    targets.len()
}

fn os_release() -> String {
    let text = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "Linux".to_string())
}

fn mem_total() -> u64 {
    let text = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

fn storage_driver() -> &'static str {
    let fs = std::fs::read_to_string("/proc/filesystems").unwrap_or_default();
    if fs
        .lines()
        .any(|l| l.split_whitespace().last() == Some("overlay"))
    {
        "overlay2"
    } else {
        "vfs"
    }
}

/// The document `info --format` sees (Docker's field names).
fn info_value(ctx: &Ctx) -> anyhow::Result<Value> {
    let containers = ctx.engine.containers()?;
    let count =
        |f: &dyn Fn(Status) -> bool| containers.iter().filter(|c| f(c.state.status)).count();
    let running = count(&|s| matches!(s, Status::Running | Status::Restarting));
    let paused = count(&|s| s == Status::Paused);
    let (kernel, machine, hostname) = uname();
    let cgroup_version = match cgroups::layout() {
        Layout::V2 => "2",
        Layout::V1 => "1",
    };
    let ncpu = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(json!({
        "ID": "",
        "Containers": containers.len(),
        "ContainersRunning": running,
        "ContainersPaused": paused,
        "ContainersStopped": containers.len() - running - paused,
        "Images": count_images(ctx.engine.paths()),
        "Driver": storage_driver(),
        "LoggingDriver": "json-file",
        "CgroupDriver": "cgroupfs",
        "CgroupVersion": cgroup_version,
        "KernelVersion": kernel,
        "OperatingSystem": os_release(),
        "OSType": "linux",
        "Architecture": machine,
        "NCPU": ncpu,
        "MemTotal": mem_total(),
        "Name": hostname,
        "DockerRootDir": ctx.engine.paths().root.to_string_lossy(),
        "ServerVersion": env!("CARGO_PKG_VERSION"),
        "Debug": false,
        "ExperimentalBuild": false,
    }))
}

/// `berth info`
pub fn info(ctx: &Ctx, a: InfoArgs) -> anyhow::Result<i32> {
    let v = info_value(ctx)?;
    if let Some(f) = a.format.as_deref() {
        println!("{}", render(f, &v)?);
        return Ok(0);
    }
    let s = |k: &str| match &v[k] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let out = format!(
        "Client:\n Version:    {version}\n Context:    default\n Debug Mode: false\n\n\
         Server:\n Containers: {}\n  Running: {}\n  Paused: {}\n  Stopped: {}\n Images: {}\n \
         Server Version: {version}\n Storage Driver: {}\n Logging Driver: {}\n \
         Cgroup Driver: {}\n Cgroup Version: {}\n Kernel Version: {}\n Operating System: {}\n \
         OSType: {}\n Architecture: {}\n CPUs: {}\n Total Memory: {}\n Name: {}\n \
         Berth Root Dir: {}\n Debug Mode: false\n Experimental: false\n",
        s("Containers"),
        s("ContainersRunning"),
        s("ContainersPaused"),
        s("ContainersStopped"),
        s("Images"),
        s("Driver"),
        s("LoggingDriver"),
        s("CgroupDriver"),
        s("CgroupVersion"),
        s("KernelVersion"),
        s("OperatingSystem"),
        s("OSType"),
        s("Architecture"),
        s("NCPU"),
        human::bytes_size(v["MemTotal"].as_u64().unwrap_or(0)),
        s("Name"),
        s("DockerRootDir"),
        version = s("ServerVersion"),
    );
    print!("{out}");
    Ok(0)
}
