//! `compose exec SERVICE CMD...` (in the service's running container, with a terminal
//! when stdin is one unless `-T`) and `compose run [--rm] SERVICE [CMD...]` (a one-off
//! container of the service, its dependencies started first).

use super::progress::Progress;
use super::{images, resources, up, wait};
use crate::cli::Ctx;
use crate::cli::container::attach::{AttachOptions, DEFAULT_DETACH, attach_stream};
use crate::compose::{Project, plan};
use crate::engine::{ExecRequest, Frame, Status};
use anyhow::{Result, bail};
use clap::Args;
use std::io::IsTerminal;

/// `compose exec`.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Detached mode: run command in the background.
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Disable pseudo-TTY allocation (by default one is allocated when stdin is a terminal).
    #[arg(short = 'T', long = "no-TTY")]
    pub no_tty: bool,
    /// Set environment variables.
    #[arg(short = 'e', long = "env")]
    pub env: Vec<String>,
    /// Run the command as this user.
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Path to workdir directory for this command.
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,
    /// Index of the container if the service has multiple replicas.
    #[arg(long, default_value_t = 1)]
    pub index: u32,
    /// The service.
    pub service: String,
    /// The command and its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
    pub command: Vec<String>,
}

/// `compose run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Run container in background and print container ID.
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Automatically remove the container when it exits.
    #[arg(long)]
    pub rm: bool,
    /// Disable pseudo-TTY allocation (by default one is allocated when stdin is a terminal).
    #[arg(short = 'T', long = "no-TTY")]
    pub no_tty: bool,
    /// Set environment variables.
    #[arg(short = 'e', long = "env")]
    pub env: Vec<String>,
    /// Run as this user.
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Working directory inside the container.
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,
    /// Override the entrypoint of the image.
    #[arg(long)]
    pub entrypoint: Option<String>,
    /// Assign a name to the container.
    #[arg(long)]
    pub name: Option<String>,
    /// Don't start linked services.
    #[arg(long = "no-deps")]
    pub no_deps: bool,
    /// The service.
    pub service: String,
    /// The command and its arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

/// `K=V` kept, a bare `K` takes our environment's value (dropped when unset).
fn env_pairs(given: &[String]) -> Vec<String> {
    given
        .iter()
        .filter_map(|e| {
            if e.contains('=') {
                Some(e.clone())
            } else {
                std::env::var(e).ok().map(|v| format!("{e}={v}"))
            }
        })
        .collect()
}

/// `compose exec`.
pub fn exec(ctx: &Ctx, p: &Project, a: ExecArgs) -> Result<i32> {
    p.service(&a.service)?;
    let name = plan::container_name(p, &a.service, a.index);
    match ctx.engine.container(&name) {
        Ok(c) if c.state.status == Status::Running => {}
        _ => bail!("service \"{}\" is not running", a.service),
    }
    let tty = !a.no_tty && std::io::stdin().is_terminal();
    let req = ExecRequest {
        argv: a.command.clone(),
        env: env_pairs(&a.env),
        user: a.user.clone(),
        workdir: a.workdir.clone(),
        tty,
        stdin: !a.detach,
    };
    let mut session = ctx.engine.exec(&name, &req)?;
    if a.detach {
        // As `berth exec -d`: back once the process runs (or failed to start).
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
            stdin: true,
            tty,
            detach_keys: DEFAULT_DETACH.to_vec(),
            sig_proxy: false,
        },
    )
}

/// `compose run`.
pub fn run(ctx: &Ctx, p: &Project, a: RunArgs) -> Result<i32> {
    let progress = Progress::new();
    p.service(&a.service)?;
    let deps = if a.no_deps {
        Vec::new()
    } else {
        let mut d = plan::order(p, std::slice::from_ref(&a.service), true)?;
        d.retain(|k| k != &a.service);
        d
    };
    let mut all = deps.clone();
    all.push(a.service.clone());
    images::ensure(ctx, p, &all, false, &progress)?;
    resources::ensure_networks(ctx, p, &all, &progress)?;
    resources::ensure_volumes(ctx, p, &all, &progress)?;
    for d in &deps {
        let name = plan::container_name(p, d, 1);
        match ctx.engine.container(&name) {
            Ok(c) if c.state.status.has_shim() => {}
            Ok(c) => {
                wait::dependencies(ctx, p, d, &all, &progress)?;
                ctx.engine.start_container(c.id())?;
                progress.done("Container", &name, "Started");
            }
            Err(_) => {
                up::create(ctx, p, d, 1, false)?;
                wait::dependencies(ctx, p, d, &all, &progress)?;
                ctx.engine.start_container(&name)?;
                progress.done("Container", &name, "Started");
            }
        }
    }
    wait::dependencies(ctx, p, &a.service, &all, &progress)?;
    // The one-off's own settings: the command, and what the flags override.
    let mut one = p.clone();
    let s = one
        .services
        .get_mut(&a.service)
        .expect("the service was checked");
    if !a.command.is_empty() {
        s.command = Some(a.command.clone());
    }
    if let Some(ep) = &a.entrypoint {
        s.entrypoint = Some(shlex::split(ep).unwrap_or_else(|| vec![ep.clone()]));
    }
    for e in env_pairs(&a.env) {
        if let Some((k, v)) = e.split_once('=') {
            s.environment.insert(k.to_string(), v.to_string());
        }
    }
    s.user = a.user.clone().or(s.user.take());
    s.working_dir = a.workdir.clone().or(s.working_dir.take());
    let tty = !a.no_tty && std::io::stdin().is_terminal();
    s.tty = tty;
    s.stdin_open = !a.detach;
    // Compose does not publish a one-off's ports (unless --service-ports).
    s.ports.clear();
    let mut opts = plan::create_options(&one, &a.service, &one.services[&a.service], 1, true)?;
    if let Some(n) = &a.name {
        opts.name = Some(n.clone());
    }
    opts.auto_remove = a.rm;
    let c = ctx.engine.create_container(&opts)?;
    for att in plan::attachments(&one, &a.service, &one.services[&a.service])
        .into_iter()
        .skip(1)
    {
        ctx.engine
            .connect_network(&att.network, c.id(), &att.aliases, att.ip.as_deref())?;
    }
    if a.detach {
        ctx.engine.start_container(c.id())?;
        println!("{}", c.name());
        return Ok(0);
    }
    let session = ctx.engine.start_attached(c.id())?;
    attach_stream(
        ctx,
        session,
        AttachOptions {
            stdin: true,
            tty,
            detach_keys: DEFAULT_DETACH.to_vec(),
            sig_proxy: !tty,
        },
    )
}
