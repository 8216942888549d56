//! Network commands: network create, ls, inspect, rm, prune, connect, disconnect; and `port`.

use super::Ctx;
use super::format::{self, Column};
use crate::engine::NetworkCreateOptions;
use crate::engine::{Network, describe_port_binding};
use clap::{Args, Subcommand};
use std::collections::BTreeMap;
use std::io::Write;

/// `berth network ...`
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum NetworkCommand {
    /// Create a network.
    Create(CreateArgs),
    /// List networks.
    #[command(alias = "list")]
    Ls(LsArgs),
    /// Display detailed information on one or more networks.
    Inspect(InspectArgs),
    /// Remove one or more networks.
    #[command(alias = "remove")]
    Rm(RmArgs),
    /// Remove all unused networks.
    Prune(PruneArgs),
    /// Connect a container to a network.
    Connect(ConnectArgs),
    /// Disconnect a container from a network.
    Disconnect(DisconnectArgs),
}

/// `berth network create`
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Driver to manage the network (only `bridge`).
    #[arg(short = 'd', long)]
    pub driver: Option<String>,
    /// Subnet in CIDR format.
    #[arg(long)]
    pub subnet: Option<String>,
    /// IPv4 gateway for the subnet.
    #[arg(long)]
    pub gateway: Option<String>,
    /// Allocate container IPs from a sub-range.
    #[arg(long = "ip-range")]
    pub ip_range: Option<String>,
    /// Restrict external access to the network.
    #[arg(long)]
    pub internal: bool,
    /// Set metadata on a network (`key=value`).
    #[arg(long = "label")]
    pub labels: Vec<String>,
    /// Set driver specific options (`com.docker.network.driver.mtu=N`, or `mtu=N`).
    #[arg(short = 'o', long = "opt")]
    pub opts: Vec<String>,
    /// The name.
    pub name: String,
}

/// `berth network ls`
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only display network IDs.
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not truncate the output.
    #[arg(long = "no-trunc")]
    pub no_trunc: bool,
    /// Format output using a Go template, `table`, `table TEMPLATE` or `json`.
    #[arg(long)]
    pub format: Option<String>,
}

/// `berth network inspect`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Networks.
    #[arg(required = true)]
    pub names: Vec<String>,
    /// Format output using a Go template.
    #[arg(short, long)]
    pub format: Option<String>,
}

/// `berth network rm`
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Networks.
    #[arg(required = true)]
    pub names: Vec<String>,
    /// Do not error if the network does not exist.
    #[arg(short, long)]
    pub force: bool,
}

/// `berth network prune`
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Do not prompt for confirmation.
    #[arg(short, long)]
    pub force: bool,
}

/// `berth network connect`
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// Add network-scoped alias for the container.
    #[arg(long = "alias")]
    pub aliases: Vec<String>,
    /// IPv4 address.
    #[arg(long)]
    pub ip: Option<String>,
    /// The network.
    pub network: String,
    /// The container.
    pub container: String,
}

/// `berth network disconnect`
#[derive(Debug, Args)]
pub struct DisconnectArgs {
    /// Force the container to disconnect from a network.
    #[arg(short, long)]
    pub force: bool,
    /// The network.
    pub network: String,
    /// The container.
    pub container: String,
}

/// `berth port`
#[derive(Debug, Args)]
pub struct PortArgs {
    /// The container.
    pub container: String,
    /// Only this private port (`80` or `80/tcp`).
    pub port: Option<String>,
}

/// Runs a `network` subcommand.
pub fn dispatch(ctx: &Ctx, cmd: NetworkCommand) -> anyhow::Result<i32> {
    match cmd {
        NetworkCommand::Create(a) => create(ctx, a),
        NetworkCommand::Ls(a) => ls(ctx, a),
        NetworkCommand::Inspect(a) => inspect_cmd(ctx, a),
        NetworkCommand::Rm(a) => rm(ctx, a),
        NetworkCommand::Prune(a) => prune(ctx, a),
        NetworkCommand::Connect(a) => {
            ctx.engine
                .connect_network(&a.network, &a.container, &a.aliases, a.ip.as_deref())?;
            Ok(0)
        }
        NetworkCommand::Disconnect(a) => {
            ctx.engine.disconnect_network(&a.network, &a.container)?;
            Ok(0)
        }
    }
}

fn create(ctx: &Ctx, a: CreateArgs) -> anyhow::Result<i32> {
    let mut labels = BTreeMap::new();
    for l in &a.labels {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        if k.is_empty() {
            anyhow::bail!("invalid label '{l}': use key=value");
        }
        labels.insert(k.to_string(), v.to_string());
    }
    let mut options = BTreeMap::new();
    for o in &a.opts {
        match o.split_once('=') {
            Some((k, v)) if !k.is_empty() => options.insert(k.to_string(), v.to_string()),
            _ => anyhow::bail!("invalid option '{o}': use key=value"),
        };
    }
    let n = ctx.engine.create_network(&NetworkCreateOptions {
        name: a.name,
        driver: a.driver,
        subnet: a.subnet,
        gateway: a.gateway,
        ip_range: a.ip_range,
        internal: a.internal,
        labels,
        options,
    })?;
    println!("{}", n.id);
    print_firewall_warnings(ctx, &n.id);
    Ok(0)
}

/// Prints the engine's warnings about the host's firewall for network `key` (stderr, as
/// Docker prints its warnings).
pub fn print_firewall_warnings(ctx: &Ctx, key: &str) {
    for w in ctx.engine.network_firewall_warnings(key) {
        eprintln!("WARNING: {w}");
    }
}

fn list_item(n: &Network, no_trunc: bool) -> serde_json::Value {
    let labels: Vec<String> = n.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    serde_json::json!({
        "ID": if no_trunc { n.id.as_str() } else { n.id.short() },
        "Name": n.name,
        "Driver": n.driver,
        "Scope": "local",
        "IPv6": "false",
        "Internal": n.internal.to_string(),
        "Labels": labels.join(","),
        "CreatedAt": n.created.format("%Y-%m-%d %H:%M:%S%.f %z %Z").to_string(),
    })
}

fn ls(ctx: &Ctx, a: LsArgs) -> anyhow::Result<i32> {
    let mut nets = ctx.engine.networks()?;
    nets.sort_by(|x, y| x.name.cmp(&y.name));
    if a.quiet {
        let mut out = std::io::stdout().lock();
        for n in &nets {
            let id = if a.no_trunc {
                n.id.as_str()
            } else {
                n.id.short()
            };
            writeln!(out, "{id}")?;
        }
        return Ok(0);
    }
    let items: Vec<serde_json::Value> = nets.iter().map(|n| list_item(n, a.no_trunc)).collect();
    const COLUMNS: &[Column] = &[
        Column::new("NETWORK ID", "ID"),
        Column::new("NAME", "Name"),
        Column::new("DRIVER", "Driver"),
        Column::new("SCOPE", "Scope"),
        Column::new("IPV6", "IPv6"),
        Column::new("INTERNAL", "Internal"),
        Column::new("LABELS", "Labels"),
        Column::new("CREATED AT", "CreatedAt"),
    ];
    let columns = if a.format.is_none() {
        &COLUMNS[..4]
    } else {
        COLUMNS
    };
    format::print_list(a.format.as_deref(), columns, &items)?;
    Ok(0)
}

fn inspect_cmd(ctx: &Ctx, a: InspectArgs) -> anyhow::Result<i32> {
    format::print_inspect(&a.names, a.format.as_deref(), |n| {
        ctx.engine.network_document(n)
    })
}

fn rm(ctx: &Ctx, a: RmArgs) -> anyhow::Result<i32> {
    let mut code = 0;
    for name in &a.names {
        match ctx.engine.remove_network(name) {
            Ok(_) => println!("{name}"),
            Err(e) if a.force && ctx.engine.network(name).is_err() => drop(e),
            Err(e) => {
                eprintln!("berth: {}", crate::engine::printable(&e.to_string()));
                code = 1;
            }
        }
    }
    Ok(code)
}

fn prune(ctx: &Ctx, a: PruneArgs) -> anyhow::Result<i32> {
    if !a.force
        && !super::prompt::confirm(
            "WARNING! This will remove all custom networks not used by at least one container.",
        )?
    {
        return Ok(0);
    }
    let gone = ctx.engine.prune_networks()?;
    if !gone.is_empty() {
        println!("Deleted Networks:");
        for n in gone {
            println!("{n}");
        }
    }
    Ok(0)
}

/// `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: the container's published ports.
pub fn port(ctx: &Ctx, a: PortArgs) -> anyhow::Result<i32> {
    let c = ctx.engine.container(&a.container)?;
    let want = a.port.as_deref().map(|p| {
        let (n, proto) = p.split_once('/').unwrap_or((p, "tcp"));
        (n.to_string(), proto.to_string())
    });
    let mut any = false;
    for b in &c.config.net.ports {
        match &want {
            Some((n, proto)) => {
                if b.container_port.to_string() == *n && b.protocol == *proto {
                    let ip = if b.host_ip.is_empty() {
                        "0.0.0.0"
                    } else {
                        &b.host_ip
                    };
                    println!("{ip}:{}", b.host_port);
                    any = true;
                }
            }
            None => {
                println!("{}", describe_port_binding(b));
                any = true;
            }
        }
    }
    if let (Some(p), false) = (&a.port, any) {
        anyhow::bail!("no public port '{p}' published for '{}'", c.name());
    }
    Ok(0)
}
