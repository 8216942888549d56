//! `run` and `create`: turn Docker's flags into `CreateOptions`, then create (and start).

use super::attach::{AttachOptions, DEFAULT_DETACH, attach_stream, parse_detach_keys};
use crate::cli::Ctx;
use crate::cli::registry::pull;
use crate::engine::CreateOptions;
use crate::engine::EngineError;
use crate::engine::PullPolicy;
use crate::engine::{Container, Resources, RestartPolicy};
use crate::engine::{parse_tmpfs_flag, parse_volume_flag};
use anyhow::{Context, Result, anyhow, bail};
use clap::{ArgAction, Args};

/// Flags shared by `run` and `create`.
#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct CreateArgs {
    /// Print help.
    #[arg(long, action = ArgAction::Help)]
    help: Option<bool>,
    /// Assign a name to the container.
    #[arg(long)]
    pub name: Option<String>,
    /// Set environment variables.
    #[arg(short = 'e', long = "env")]
    pub env: Vec<String>,
    /// Read in a file of environment variables.
    #[arg(long = "env-file")]
    pub env_file: Vec<String>,
    /// Working directory inside the container.
    #[arg(short = 'w', long = "workdir")]
    pub workdir: Option<String>,
    /// Username or UID (format: <name|uid>[:<group|gid>]).
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Container host name.
    #[arg(short = 'h', long)]
    pub hostname: Option<String>,
    /// Overwrite the default ENTRYPOINT of the image.
    #[arg(long)]
    pub entrypoint: Option<String>,
    /// Set meta data on a container.
    #[arg(short = 'l', long = "label")]
    pub label: Vec<String>,
    /// Memory limit (e.g. 32m, 1g).
    #[arg(short = 'm', long)]
    pub memory: Option<String>,
    /// Number of CPUs.
    #[arg(long)]
    pub cpus: Option<String>,
    /// Tune container pids limit (-1 for unlimited).
    #[arg(long = "pids-limit", allow_hyphen_values = true)]
    pub pids_limit: Option<i64>,
    /// Mount the container's root filesystem as read only.
    #[arg(long = "read-only")]
    pub read_only: bool,
    /// Mount a tmpfs directory (PATH[:OPTIONS]).
    #[arg(long)]
    pub tmpfs: Vec<String>,
    /// Bind mount a volume (HOST:CTR[:ro], NAME:CTR[:ro], or CTR).
    #[arg(short = 'v', long = "volume")]
    pub volume: Vec<String>,
    /// Restart policy: no, always, on-failure[:max-retries], unless-stopped.
    #[arg(long, default_value = "no")]
    pub restart: String,
    /// Automatically remove the container when it exits.
    #[arg(long)]
    pub rm: bool,
    /// Connect a container to a network (bridge, host, none or a network's name).
    #[arg(long, alias = "net")]
    pub network: Option<String>,
    /// Add network-scoped alias for the container.
    #[arg(long = "network-alias", alias = "net-alias")]
    pub network_alias: Vec<String>,
    /// IPv4 address (e.g. 172.30.100.104).
    #[arg(long)]
    pub ip: Option<String>,
    /// Publish a container's port(s) to the host ([ip:][hostPort:]containerPort[/proto]).
    #[arg(short = 'p', long = "publish")]
    pub publish: Vec<String>,
    /// Publish all exposed ports to random ports.
    #[arg(short = 'P', long = "publish-all")]
    pub publish_all: bool,
    /// Expose a port or a range of ports.
    #[arg(long)]
    pub expose: Vec<String>,
    /// Add link to another container (NAME[:ALIAS]).
    #[arg(long)]
    pub link: Vec<String>,
    /// Set custom DNS servers.
    #[arg(long)]
    pub dns: Vec<String>,
    /// Add a custom host-to-IP mapping (host:ip).
    #[arg(long = "add-host")]
    pub add_host: Vec<String>,
    /// Keep STDIN open even if not attached.
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Allocate a pseudo-TTY.
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Timeout (in seconds) to stop a container.
    #[arg(long = "stop-timeout")]
    pub stop_timeout: Option<u32>,
    /// Capabilities, privilege and seccomp.
    #[command(flatten)]
    pub security: super::security_flags::SecurityArgs,
    /// Healthcheck flags.
    #[command(flatten)]
    pub health: super::health_flags::HealthArgs,
    /// Pull image before running ("always", "missing", "never").
    #[arg(long, default_value = "missing", value_parser = parse_pull_policy)]
    pub pull: PullPolicy,
    /// Suppress the pull output.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Logging driver for the container (only json-file).
    #[arg(long = "log-driver")]
    pub log_driver: Option<String>,
    /// Log driver options (max-size, max-file, compress).
    #[arg(long = "log-opt")]
    pub log_opt: Vec<String>,
    /// The image.
    pub image: String,
    /// The command and its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

/// `berth run`: create's flags plus detach.
#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct RunArgs {
    /// Run container in background and print container ID.
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Override the key sequence for detaching a container.
    #[arg(long = "detach-keys")]
    pub detach_keys: Option<String>,
    /// Everything `create` takes.
    #[command(flatten)]
    pub create: CreateArgs,
}

/// Parses `--pull` (Docker's message for anything else).
fn parse_pull_policy(s: &str) -> Result<PullPolicy, String> {
    s.parse::<PullPolicy>().map_err(|e| e.to_string())
}

/// Parses Docker's memory sizes: `32m`, `1g`, `512k`, `1024` (bytes); at least 6 MiB.
pub fn parse_memory(s: &str) -> Result<i64> {
    let bytes = crate::config::parse_size(s)
        .map_err(|_| anyhow!("invalid value '{s}' for --memory: use a size such as 64m or 1g"))?;
    if bytes < 6 * 1024 * 1024 {
        bail!("invalid value '{s}' for --memory: the minimum allowed memory limit is 6MB");
    }
    Ok(bytes as i64)
}

/// Parses `--cpus 1.5` into nano-CPUs.
pub fn parse_cpus(s: &str) -> Result<i64> {
    let n: f64 = s
        .parse()
        .map_err(|_| anyhow!("invalid value '{s}' for --cpus: use a number such as 0.5 or 2"))?;
    if n.is_nan() || n <= 0.0 || !n.is_finite() {
        bail!("invalid value '{s}' for --cpus: must be greater than 0");
    }
    Ok((n * 1e9) as i64)
}

/// Reads a Docker env file: one `K=V` (or `K`) per line, blank lines and `#` comments skipped.
pub fn read_env_file(path: &str) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read env file '{path}'"))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// Turns the flags into engine options, validating every value. `default_network` is
/// used when `--network` is not given, `no_new_privileges` (the configured default) unless
/// `--security-opt no-new-privileges=…` says otherwise.
pub fn options(
    a: &CreateArgs,
    default_network: &str,
    no_new_privileges: bool,
) -> Result<CreateOptions> {
    let mut ports = Vec::new();
    for p in &a.publish {
        ports.push(crate::engine::parse_port_binding(p).map_err(anyhow::Error::msg)?);
    }
    for d in &a.dns {
        if d.parse::<std::net::IpAddr>().is_err() {
            bail!("invalid value '{d}' for --dns: use an IP address");
        }
    }
    for h in &a.add_host {
        let ok = h
            .split_once(':')
            .is_some_and(|(n, ip)| !n.is_empty() && ip.parse::<std::net::IpAddr>().is_ok());
        if !ok {
            bail!("invalid value '{h}' for --add-host: use NAME:IP");
        }
    }
    let mut env = Vec::new();
    for f in &a.env_file {
        env.extend(read_env_file(f)?);
    }
    env.extend(a.env.iter().cloned());
    let mut labels = std::collections::BTreeMap::new();
    for l in &a.label {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        labels.insert(k.to_string(), v.to_string());
    }
    let mut mounts = Vec::new();
    for v in &a.volume {
        mounts.push(parse_volume_flag(v).map_err(anyhow::Error::msg)?);
    }
    for t in &a.tmpfs {
        mounts.push(parse_tmpfs_flag(t).map_err(anyhow::Error::msg)?);
    }
    Ok(CreateOptions {
        image: a.image.clone(),
        name: a.name.clone(),
        cmd: a.command.clone(),
        entrypoint: a.entrypoint.clone(),
        env,
        working_dir: a.workdir.clone(),
        user: a.user.clone(),
        hostname: a.hostname.clone(),
        labels,
        tty: a.tty,
        open_stdin: a.interactive,
        mounts,
        read_only: a.read_only,
        resources: Resources {
            memory: a.memory.as_deref().map(parse_memory).transpose()?,
            nano_cpus: a.cpus.as_deref().map(parse_cpus).transpose()?,
            pids_limit: a.pids_limit,
        },
        restart: RestartPolicy::parse(&a.restart)?,
        auto_remove: a.rm,
        network: Some(
            a.network
                .clone()
                .unwrap_or_else(|| default_network.to_string()),
        ),
        network_aliases: a.network_alias.clone(),
        ip: a.ip.clone(),
        ports,
        publish_all: a.publish_all,
        dns: a.dns.clone(),
        extra_hosts: a.add_host.clone(),
        stop_timeout: a.stop_timeout,
        security: a.security.to_config(no_new_privileges)?,
        healthcheck: a.health.to_config()?,
        expose: a.expose.clone(),
        links: a.link.clone(),
        log_driver: a.log_driver.clone(),
        log_opts: a
            .log_opt
            .iter()
            .map(|o| {
                let (k, v) = o.split_once('=').unwrap_or((o, ""));
                (k.to_string(), v.to_string())
            })
            .collect(),
    })
}

/// `berth create`: pulls the image if `--pull` says so (progress on stderr), prints the new
/// container's id.
pub fn create(ctx: &Ctx, a: CreateArgs) -> Result<i32> {
    let opts = options(
        &a,
        &ctx.config.network.default,
        ctx.config.security.no_new_privileges,
    )?;
    let c = create_pulling(ctx, &opts, &a)?;
    println!("{}", c.config.id);
    Ok(0)
}

/// `berth run`: pull if `--pull` says so (progress on stderr), create, start, and (unless
/// `-d`) stay attached until the container exits, returning its exit code.
pub fn run(ctx: &Ctx, a: RunArgs) -> Result<i32> {
    let opts = options(
        &a.create,
        &ctx.config.network.default,
        ctx.config.security.no_new_privileges,
    )?;
    let detach_keys = match &a.detach_keys {
        Some(k) => parse_detach_keys(k)?,
        None => DEFAULT_DETACH.to_vec(),
    };
    let c = create_pulling(ctx, &opts, &a.create)?;
    if a.detach {
        if let Err(e) = ctx.engine.start_container(c.id()) {
            cleanup_failed_start(ctx, c.id(), opts.auto_remove);
            return Err(e.into());
        }
        println!("{}", c.config.id);
        return Ok(0);
    }
    let session = match ctx.engine.start_attached(c.id()) {
        Ok(s) => s,
        Err(e) => {
            cleanup_failed_start(ctx, c.id(), opts.auto_remove);
            return Err(e.into());
        }
    };
    attach_stream(
        ctx,
        session,
        AttachOptions {
            stdin: opts.open_stdin,
            tty: opts.tty,
            detach_keys,
            sig_proxy: !opts.tty,
        },
    )
}

/// Creates the container, pulling its image first as `--pull` says: `always` before,
/// `missing` when the create finds no such image (so a present image costs nothing more, as
/// in Docker), `never` not at all. Then Docker's warning when `--network host` drops
/// `-p`/`-P`, and warnings about the host's firewall for its network (a bridge network).
fn create_pulling(ctx: &Ctx, opts: &CreateOptions, a: &CreateArgs) -> Result<Container> {
    if a.pull == PullPolicy::Always {
        pull::for_create(ctx, &opts.image, a.pull, a.quiet)?;
    }
    let c = match ctx.engine.create_container(opts) {
        Err(EngineError::NoSuchImage(_)) if a.pull == PullPolicy::Missing => {
            pull::for_create(ctx, &opts.image, a.pull, a.quiet)?;
            ctx.engine.create_container(opts)?
        }
        created => created?,
    };
    if c.config.network_mode == "host" && opts.publishes() {
        eprintln!("WARNING: Published ports are discarded when using host network mode");
    }
    if let Some(n) = &opts.network {
        crate::cli::network::print_firewall_warnings(ctx, n);
    }
    Ok(c)
}

/// A container whose start failed stays in `created` (as in Docker) unless `--rm` asked for
/// it to go.
fn cleanup_failed_start(ctx: &Ctx, id: &str, auto_remove: bool) {
    if auto_remove {
        let _ = ctx.engine.remove_container(id, true, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_values() {
        assert_eq!(parse_memory("32m").expect("32m"), 32 * 1024 * 1024);
        assert!(parse_memory("abc").is_err());
        assert!(parse_memory("1k").is_err());
    }

    #[test]
    fn cpus_values() {
        assert_eq!(parse_cpus("1.5").expect("1.5"), 1_500_000_000);
        assert!(parse_cpus("0").is_err());
        assert!(parse_cpus("x").is_err());
    }
}
