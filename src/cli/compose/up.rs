//! `compose up`: networks and volumes, images (built or pulled), then each service's
//! container in dependency order: kept when its config hash and image are unchanged,
//! recreated otherwise, started once its dependencies are ready. Without `-d` it stays
//! attached to the containers' output, and Ctrl-C stops the stack as Compose does.

use super::logs::{self, Event, Style};
use super::progress::Progress;
use super::{images, resources, wait};
use crate::cli::Ctx;
use crate::compose::{Project, plan};
use crate::engine::{Container, Status};
use anyhow::{Result, bail};
use clap::Args;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// `compose up`.
#[derive(Debug, Args)]
pub struct UpArgs {
    /// Detached mode: run containers in the background.
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Build images before starting containers.
    #[arg(long)]
    pub build: bool,
    /// Recreate containers even if their configuration and image haven't changed.
    #[arg(long = "force-recreate")]
    pub force_recreate: bool,
    /// Don't start linked services.
    #[arg(long = "no-deps")]
    pub no_deps: bool,
    /// Remove containers for services not defined in the Compose file.
    #[arg(long = "remove-orphans")]
    pub remove_orphans: bool,
    /// Produce monochrome output.
    #[arg(long = "no-color")]
    pub no_color: bool,
    /// Services (all when none).
    pub services: Vec<String>,
}

/// `compose up`.
pub fn up(ctx: &Ctx, p: &Project, a: UpArgs) -> Result<i32> {
    let progress = Progress::new();
    let keys = plan::order(p, &a.services, !a.no_deps)?;
    orphans(ctx, p, a.remove_orphans, &progress)?;
    images::ensure(ctx, p, &keys, a.build, &progress)?;
    resources::ensure_networks(ctx, p, &keys, &progress)?;
    resources::ensure_volumes(ctx, p, &keys, &progress)?;
    for key in &keys {
        converge(ctx, p, key, &keys, a.force_recreate, &progress)?;
    }
    if a.detach {
        return Ok(0);
    }
    attach(ctx, p, &keys, !a.no_color)
}

/// Containers of the project whose service is gone: removed with `--remove-orphans`,
/// otherwise Compose's warning.
fn orphans(ctx: &Ctx, p: &Project, remove: bool, progress: &Progress) -> Result<()> {
    let orphans: Vec<Container> = resources::containers(ctx, &p.name, false)?
        .into_iter()
        .filter(|c| !p.services.contains_key(resources::service_of(c)))
        .collect();
    if orphans.is_empty() {
        return Ok(());
    }
    if remove {
        for c in orphans {
            ctx.engine.remove_container(c.id(), true, false)?;
            progress.done("Container", c.name(), "Removed");
        }
    } else {
        let names: Vec<&str> = orphans.iter().map(|c| c.name()).collect();
        eprintln!(
            "WARN[0000] Found orphan containers ([{}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.",
            names.join(" ")
        );
    }
    Ok(())
}

/// Whether container `c` was made from the service's current configuration and image.
fn up_to_date(ctx: &Ctx, c: &Container, hash: &str, image: &str) -> bool {
    let same_hash = c.config.labels.get(plan::CONFIG_HASH).map(String::as_str) == Some(hash);
    let same_image = ctx
        .engine
        .image(image)
        .map(|i| i.id == c.config.image_id)
        .unwrap_or(true);
    same_hash && same_image
}

/// Brings service `key`'s container to its configuration and starts it.
fn converge(
    ctx: &Ctx,
    p: &Project,
    key: &str,
    keys: &[String],
    force: bool,
    progress: &Progress,
) -> Result<()> {
    let svc = p.service(key)?;
    let name = plan::container_name(p, key, 1);
    let hash = plan::config_hash(svc);
    let mut recreated = false;
    if let Ok(c) = ctx.engine.container(&name) {
        if c.config.labels.get(plan::PROJECT) != Some(&p.name) {
            bail!(
                "Conflict. The container name \"/{name}\" is already in use by container \"{}\", which is not part of project \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
                c.id(),
                p.name
            );
        }
        if !force && up_to_date(ctx, &c, &hash, &svc.image) {
            if c.state.status == Status::Running {
                progress.done("Container", &name, "Running");
                return Ok(());
            }
            wait::dependencies(ctx, p, key, keys, progress)?;
            progress.working("Container", &name, "Starting");
            ctx.engine.start_container(c.id())?;
            progress.done("Container", &name, "Started");
            return Ok(());
        }
        progress.working("Container", &name, "Recreate");
        ctx.engine.remove_container(c.id(), true, false)?;
        recreated = true;
    } else {
        progress.working("Container", &name, "Creating");
    }
    create(ctx, p, key, 1, false)?;
    progress.done(
        "Container",
        &name,
        if recreated { "Recreated" } else { "Created" },
    );
    wait::dependencies(ctx, p, key, keys, progress)?;
    progress.working("Container", &name, "Starting");
    ctx.engine.start_container(&name)?;
    progress.done("Container", &name, "Started");
    Ok(())
}

/// Creates service `key`'s container (number `n`, or a one-off) on all its networks.
pub fn create(ctx: &Ctx, p: &Project, key: &str, n: u32, oneoff: bool) -> Result<Container> {
    let svc = p.service(key)?;
    let opts = plan::create_options(p, key, svc, n, oneoff)?;
    let c = ctx.engine.create_container(&opts)?;
    for a in plan::attachments(p, key, svc).into_iter().skip(1) {
        if let Err(e) = ctx
            .engine
            .connect_network(&a.network, c.id(), &a.aliases, a.ip.as_deref())
        {
            let _ = ctx.engine.remove_container(c.id(), true, false);
            return Err(e.into());
        }
    }
    Ok(c)
}

/// Stays attached to the services' output until every container has stopped; Ctrl-C
/// (or SIGTERM) stops them, a second one leaves at once.
fn attach(ctx: &Ctx, p: &Project, keys: &[String], colour: bool) -> Result<i32> {
    let stopping = Arc::new(AtomicBool::new(false));
    watch_signals(ctx, p, keys, stopping.clone());
    let containers: Vec<Container> = resources::containers(ctx, &p.name, false)?
        .into_iter()
        .filter(|c| keys.iter().any(|k| k == resources::service_of(c)))
        .collect();
    let sources = logs::sources(&p.name, &containers);
    let style = Style {
        colour: colour && std::io::stdout().is_terminal(),
        prefix: true,
        timestamps: false,
    };
    let width = logs::width(&sources);
    eprintln!(
        "Attaching to {}",
        sources
            .iter()
            .map(|s| s.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let cancel = Arc::new(AtomicBool::new(false));
    let rx = logs::spawn_readers(ctx, &sources, true, None, cancel);
    let mut out = std::io::stdout().lock();
    let mut open = sources.len();
    while open > 0 {
        match rx.recv() {
            Ok(Event::Line(i, time, text)) => {
                logs::print_line(&mut out, &sources[i], width, &style, &time, &text);
            }
            Ok(Event::Ended(i)) => {
                open -= 1;
                if let Ok(c) = ctx.engine.container(&sources[i].container) {
                    let text = format!(
                        "{} exited with code {}\n",
                        sources[i].label, c.state.exit_code
                    );
                    let _ = std::io::Write::write_all(&mut out, text.as_bytes());
                }
            }
            Err(_) => break,
        }
    }
    Ok(if stopping.load(Ordering::SeqCst) {
        130
    } else {
        0
    })
}

/// On the first SIGINT/SIGTERM stops the services (dependents first); on the second exits.
fn watch_signals(ctx: &Ctx, p: &Project, keys: &[String], stopping: Arc<AtomicBool>) {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    set.add(Signal::SIGINT);
    set.add(Signal::SIGTERM);
    if set.thread_block().is_err() {
        return;
    }
    let engine = ctx.engine.clone();
    let names: Vec<String> = keys
        .iter()
        .rev()
        .map(|k| plan::container_name(p, k, 1))
        .collect();
    std::thread::spawn(move || {
        let progress = Progress::new();
        while set.wait().is_ok() {
            if stopping.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!("Gracefully stopping... (press Ctrl+C again to force)");
            let engine = engine.clone();
            let names = names.clone();
            std::thread::spawn(move || {
                for n in &names {
                    progress.working("Container", n, "Stopping");
                    if engine.stop_container(n, None).is_ok() {
                        progress.done("Container", n, "Stopped");
                    }
                }
            });
        }
    });
}
