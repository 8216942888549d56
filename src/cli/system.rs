//! System commands: version, info, system info (and the flags of `system service`).
//!
//! Both print Docker's layout; `--format` sees the same field names Docker's templates use
//! (`{{.Client.Version}}`, `{{.ServerVersion}}`, `{{.Containers}}`, `{{json .}}`).

use super::Ctx;
use super::format::{human, render};
use crate::engine::HostInfo;
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
    /// Serve the Docker Engine API on a unix socket (for the docker CLI and SDKs).
    Service(ServiceArgs),
}

/// `berth system service [--time SECONDS] [TLS FLAGS] [URI]` (podman's shape, dockerd's TLS
/// flags). The binary's `main` runs it (the API is a front end of its own, not a CLI
/// command).
#[derive(Debug, Args)]
pub struct ServiceArgs {
    /// Seconds without a client before the service exits (0: never).
    #[arg(short, long, default_value_t = 5)]
    pub time: u64,
    /// Require client certificates signed by --tlscacert (always so; accepted for
    /// dockerd's command lines, `--tlsverify=false` is refused).
    #[arg(long, num_args = 0..=1, default_missing_value = "true", require_equals = true)]
    pub tlsverify: Option<bool>,
    /// Trust client certificates signed by this CA (PEM); required for tcp://.
    #[arg(long, value_name = "CA.pem")]
    pub tlscacert: Option<std::path::PathBuf>,
    /// The server's TLS certificate (PEM); required for tcp://.
    #[arg(long, value_name = "CERT.pem")]
    pub tlscert: Option<std::path::PathBuf>,
    /// The server's TLS key (PEM); required for tcp://.
    #[arg(long, value_name = "KEY.pem")]
    pub tlskey: Option<std::path::PathBuf>,
    /// Where to listen: unix:///PATH (default unix:///run/berth/docker.sock), or
    /// tcp://HOST[:PORT] (port 2376 by default) with the three TLS files.
    pub uri: Option<String>,
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
        SystemCommand::Service(_) => {
            anyhow::bail!("'system service' is run by the berth binary itself, not the CLI")
        }
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

fn version_value() -> Value {
    let version = env!("CARGO_PKG_VERSION");
    let kernel = HostInfo::probe().kernel_version;
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

/// Docker's `info` document, for `--format` and the table.
fn info_value(ctx: &Ctx) -> anyhow::Result<Value> {
    Ok(ctx.engine.info()?.docker_document())
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
