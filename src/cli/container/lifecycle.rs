//! start, stop, restart, kill, rm, pause, unpause, wait, rename.
//!
//! Commands over several containers act on each, print each name that succeeded (as
//! Docker does), report each failure on its own line, and exit 1 if any failed.

use super::attach::{AttachOptions, DEFAULT_DETACH, attach_stream, parse_detach_keys};
use crate::cli::Ctx;
use crate::engine::Result as EngineResult;
use anyhow::Result;
use clap::Args;

/// Containers named on the command line.
#[derive(Debug, Args)]
pub struct NamesArgs {
    /// Containers (names or ids).
    #[arg(required = true)]
    pub containers: Vec<String>,
}

/// `berth start`
#[derive(Debug, Args)]
pub struct StartArgs {
    /// Attach STDOUT/STDERR and forward signals.
    #[arg(short = 'a', long)]
    pub attach: bool,
    /// Attach container's STDIN.
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Override the key sequence for detaching a container.
    #[arg(long = "detach-keys")]
    pub detach_keys: Option<String>,
    /// Containers.
    #[arg(required = true)]
    pub containers: Vec<String>,
}

/// `berth stop` / `berth restart`
#[derive(Debug, Args)]
pub struct StopArgs {
    /// Seconds to wait before killing the container.
    #[arg(short = 't', long = "time", alias = "timeout")]
    pub time: Option<u32>,
    /// Containers.
    #[arg(required = true)]
    pub containers: Vec<String>,
}

/// `berth kill`
#[derive(Debug, Args)]
pub struct KillArgs {
    /// Signal to send to the container.
    #[arg(short = 's', long, default_value = "KILL")]
    pub signal: String,
    /// Containers.
    #[arg(required = true)]
    pub containers: Vec<String>,
}

/// `berth rm`
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Force the removal of a running container (uses SIGKILL).
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Remove anonymous volumes associated with the container.
    #[arg(short = 'v', long)]
    pub volumes: bool,
    /// Containers.
    #[arg(required = true)]
    pub containers: Vec<String>,
}

/// `berth rename`
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// Container.
    pub container: String,
    /// New name.
    pub new_name: String,
}

/// Runs `op` on every name; prints the name on success, the error otherwise.
fn each(names: &[String], mut op: impl FnMut(&str) -> EngineResult<()>) -> Result<i32> {
    let mut code = 0;
    for n in names {
        match op(n) {
            Ok(()) => println!("{n}"),
            Err(e) => {
                eprintln!("berth: {}", crate::engine::printable(&e.to_string()));
                code = 1;
            }
        }
    }
    Ok(code)
}

/// `berth start`
pub fn start(ctx: &Ctx, a: StartArgs) -> Result<i32> {
    if a.attach || a.interactive {
        if a.containers.len() > 1 {
            anyhow::bail!("you cannot start and attach multiple containers at once");
        }
        let c = ctx.engine.container(&a.containers[0])?;
        let detach_keys = match &a.detach_keys {
            Some(k) => parse_detach_keys(k)?,
            None => DEFAULT_DETACH.to_vec(),
        };
        let session = ctx.engine.start_attached(c.id())?;
        return attach_stream(
            ctx,
            session,
            AttachOptions {
                stdin: a.interactive && c.config.open_stdin,
                tty: c.config.tty,
                detach_keys,
                sig_proxy: !c.config.tty,
            },
        );
    }
    each(&a.containers, |n| ctx.engine.start_container(n))
}

/// `berth stop`
pub fn stop(ctx: &Ctx, a: StopArgs) -> Result<i32> {
    each(&a.containers, |n| ctx.engine.stop_container(n, a.time))
}

/// `berth restart`
pub fn restart(ctx: &Ctx, a: StopArgs) -> Result<i32> {
    each(&a.containers, |n| ctx.engine.restart_container(n, a.time))
}

/// `berth kill`
pub fn kill(ctx: &Ctx, a: KillArgs) -> Result<i32> {
    each(&a.containers, |n| ctx.engine.kill_container(n, &a.signal))
}

/// `berth rm`
pub fn rm(ctx: &Ctx, a: RmArgs) -> Result<i32> {
    each(&a.containers, |n| {
        ctx.engine.remove_container(n, a.force, a.volumes)
    })
}

/// `berth pause`
pub fn pause(ctx: &Ctx, a: NamesArgs) -> Result<i32> {
    each(&a.containers, |n| ctx.engine.pause_container(n))
}

/// `berth unpause`
pub fn unpause(ctx: &Ctx, a: NamesArgs) -> Result<i32> {
    each(&a.containers, |n| ctx.engine.unpause_container(n))
}

/// `berth wait`: prints each container's exit code.
pub fn wait(ctx: &Ctx, a: NamesArgs) -> Result<i32> {
    let mut code = 0;
    for n in &a.containers {
        match ctx.engine.wait_container(n) {
            Ok(c) => println!("{c}"),
            Err(e) => {
                eprintln!("berth: {}", crate::engine::printable(&e.to_string()));
                code = 1;
            }
        }
    }
    Ok(code)
}

/// `berth rename`
pub fn rename(ctx: &Ctx, a: RenameArgs) -> Result<i32> {
    ctx.engine.rename_container(&a.container, &a.new_name)?;
    Ok(0)
}
