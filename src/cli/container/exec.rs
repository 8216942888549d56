//! `exec` and `attach`.

use super::attach::{AttachOptions, DEFAULT_DETACH, attach_stream, parse_detach_keys};
use crate::cli::Ctx;
use crate::engine::{ExecRequest, Frame};
use anyhow::Result;
use clap::Args;

/// `berth exec`
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Detached mode: run command in the background.
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Keep STDIN open even if not attached.
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Allocate a pseudo-TTY.
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Username or UID (format: <name|uid>[:<group|gid>]).
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Working directory inside the container.
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,
    /// Set environment variables.
    #[arg(short = 'e', long = "env")]
    pub env: Vec<String>,
    /// Read in a file of environment variables.
    #[arg(long = "env-file")]
    pub env_file: Vec<String>,
    /// Override the key sequence for detaching.
    #[arg(long = "detach-keys")]
    pub detach_keys: Option<String>,
    /// Container.
    pub container: String,
    /// Command and arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
    pub command: Vec<String>,
}

/// `berth attach`
#[derive(Debug, Args)]
pub struct AttachArgs {
    /// Do not attach STDIN.
    #[arg(long = "no-stdin")]
    pub no_stdin: bool,
    /// Proxy all received signals to the process.
    #[arg(long = "sig-proxy", default_value_t = true, action = clap::ArgAction::Set)]
    pub sig_proxy: bool,
    /// Override the key sequence for detaching a container.
    #[arg(long = "detach-keys")]
    pub detach_keys: Option<String>,
    /// Container.
    pub container: String,
}

fn keys(k: &Option<String>) -> Result<Vec<u8>> {
    match k {
        Some(k) => parse_detach_keys(k),
        None => Ok(DEFAULT_DETACH.to_vec()),
    }
}

/// `berth exec`: the exec'd command's exit code.
pub fn exec(ctx: &Ctx, a: ExecArgs) -> Result<i32> {
    let detach_keys = keys(&a.detach_keys)?;
    let mut given = Vec::new();
    for f in &a.env_file {
        given.extend(super::run::read_env_file(f)?);
    }
    given.extend(a.env.iter().cloned());
    let mut env = Vec::new();
    for e in &given {
        if e.contains('=') {
            env.push(e.clone());
        } else if let Ok(v) = std::env::var(e) {
            env.push(format!("{e}={v}"));
        }
    }
    let req = ExecRequest {
        argv: a.command.clone(),
        env,
        user: a.user.clone(),
        workdir: a.workdir.clone(),
        tty: a.tty,
        stdin: a.interactive && !a.detach,
    };
    let mut session = ctx.engine.exec(&a.container, &req)?;
    if a.detach {
        // Docker's `exec -d` returns once the process runs (or failed to start).
        loop {
            match session.recv()? {
                Some(Frame::Started(_)) | None => return Ok(0),
                Some(Frame::Stderr(msg)) => eprint!("{}", String::from_utf8_lossy(&msg)),
                Some(Frame::Exit(code)) => return Ok(code),
                Some(Frame::Stdout(_)) => {}
            }
        }
    }
    attach_stream(
        ctx,
        session,
        AttachOptions {
            stdin: req.stdin,
            tty: a.tty,
            detach_keys,
            sig_proxy: false,
        },
    )
}

/// `berth attach`: the container's exit code (0 after detaching).
pub fn attach(ctx: &Ctx, a: AttachArgs) -> Result<i32> {
    let detach_keys = keys(&a.detach_keys)?;
    let session = ctx.engine.attach(&a.container)?;
    let c = ctx.engine.container(session.container_id())?;
    attach_stream(
        ctx,
        session,
        AttachOptions {
            stdin: !a.no_stdin && c.config.open_stdin,
            tty: c.config.tty,
            detach_keys,
            sig_proxy: a.sig_proxy && !c.config.tty,
        },
    )
}
