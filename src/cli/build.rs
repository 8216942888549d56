//! `berth build` and `berth builder prune`, printed as Docker's legacy builder does:
//! `Step N/M : INSTRUCTION`, ` ---> Using cache`, ` ---> Running in <id>`, the command's
//! output, ` ---> <id>` (with the layer's size and time), `Successfully built <id>` and
//! `Successfully tagged <ref>`. `-q` prints only the image id.

use super::Ctx;
use super::format::human;
use crate::engine::looks_like_tar;
use crate::engine::short_id;
use crate::engine::{BuildEvent, BuildOptions, Platform, RemoteContext};
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// `build` options.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Name and optionally a tag in the 'name:tag' format.
    #[arg(short = 't', long = "tag")]
    pub tags: Vec<String>,
    /// Name of the Dockerfile (default: 'PATH/Dockerfile').
    #[arg(short = 'f', long = "file")]
    pub file: Option<PathBuf>,
    /// Set build-time variables.
    #[arg(long = "build-arg")]
    pub build_args: Vec<String>,
    /// Do not use cache when building the image.
    #[arg(long)]
    pub no_cache: bool,
    /// Set the target build stage to build.
    #[arg(long)]
    pub target: Option<String>,
    /// Set metadata for an image.
    #[arg(long = "label")]
    pub labels: Vec<String>,
    /// Suppress the build output and print image ID on success.
    #[arg(short, long)]
    pub quiet: bool,
    /// Set the networking mode for the RUN instructions during build ('default' is the
    /// configured default network).
    #[arg(long)]
    pub network: Option<String>,
    /// Always attempt to pull a newer version of the base images.
    #[arg(long)]
    pub pull: bool,
    /// Set platform if server is multi-platform capable (only this machine's can be built).
    #[arg(long)]
    pub platform: Option<String>,
    /// The build context: a directory, '-' for a Dockerfile or a context tar on stdin, or
    /// an http(s) URL of a context tar or a Dockerfile.
    pub context: String,
}

/// `builder` subcommands.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum BuilderCommand {
    /// Remove build cache.
    Prune(PruneArgs),
}

/// `builder prune` options.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Remove all unused build cache, not just dangling ones.
    #[arg(short, long)]
    pub all: bool,
    /// Do not prompt for confirmation.
    #[arg(short, long)]
    pub force: bool,
}

fn pairs(list: &[String], what: &str, from_env: bool) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for item in list {
        match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                out.insert(k.to_string(), v.to_string());
            }
            None if from_env && !item.is_empty() => {
                if let Ok(v) = std::env::var(item) {
                    out.insert(item.clone(), v);
                }
            }
            _ => bail!("invalid {what} '{item}': expected KEY=VALUE"),
        }
    }
    Ok(out)
}

/// Runs `build`.
pub fn build(ctx: &Ctx, a: BuildArgs) -> Result<i32> {
    let mut opts = BuildOptions {
        tags: a.tags.clone(),
        build_args: pairs(&a.build_args, "build argument", true)?,
        no_cache: a.no_cache,
        target: a.target.clone(),
        labels: pairs(&a.labels, "label", false)?,
        network: match a.network.as_deref() {
            None | Some("default") => ctx.config.network.default.clone(),
            Some(n) => n.to_string(),
        },
        registries: ctx.config.registries.clone(),
        dockerfile: a.file.clone(),
        pull: a.pull,
        platform: a.platform.as_deref().map(Platform::parse).transpose()?,
        ..BuildOptions::default()
    };
    // A context that arrives as an archive (stdin, a URL) is unpacked into scratch space,
    // kept until the build ends.
    let mut archive = None;
    if a.context == "-" {
        let mut data = Vec::new();
        std::io::stdin().read_to_end(&mut data)?;
        if looks_like_tar(&data) {
            archive = Some(ctx.engine.unpack_build_context(&data)?);
        } else {
            opts.dockerfile_text = Some(String::from_utf8(data).map_err(|_| {
                anyhow::anyhow!("the Dockerfile on stdin is not UTF-8 text (nor a tar archive)")
            })?);
        }
    } else if a.context.contains("://") || a.context.starts_with("git@") {
        // A URL: a tar archive is the context, any other file the Dockerfile.
        let rt = super::registry::runtime()?;
        match rt.block_on(ctx.engine.fetch_build_context(&a.context))? {
            RemoteContext::Archive(c) => archive = Some(c),
            RemoteContext::Dockerfile(text) => opts.dockerfile_text = Some(text),
        }
    } else {
        let dir = PathBuf::from(&a.context);
        if !dir.is_dir() {
            bail!(
                "unable to prepare context: path '{}' not found or not a directory",
                a.context
            );
        }
        opts.context = Some(dir);
    }
    if let Some(c) = &archive {
        opts.context = Some(c.path().to_path_buf());
        // As in Docker, -f names a file inside a context sent as an archive.
        opts.dockerfile = a.file.as_ref().map(|f| c.path().join(f));
    }
    opts.cancel = Some(cancel_on_signals());
    let quiet = a.quiet;
    let mut out = std::io::stdout();
    let mut running: Option<crate::engine::ContainerId> = None;
    let mut print = |e: BuildEvent| {
        if quiet {
            return;
        }
        if let BuildEvent::StepDone { .. } = &e
            && let Some(id) = running.take()
        {
            let _ = writeln!(out, "Removing intermediate container {}", id.short());
        }
        let _ = match e {
            BuildEvent::Step {
                number,
                total,
                text,
            } => writeln!(out, "Step {number}/{total} : {text}"),
            BuildEvent::CacheHit => writeln!(out, " ---> Using cache"),
            BuildEvent::Running(id) => {
                let line = writeln!(out, " ---> Running in {}", id.short());
                running = Some(id);
                line
            }
            BuildEvent::Output(data) => out.write_all(&data),
            BuildEvent::StepDone {
                id,
                layer_size: Some(size),
                elapsed,
            } => writeln!(
                out,
                " ---> {} ({} layer, {:.2}s)",
                short(&id),
                human::size(size),
                elapsed.as_secs_f64()
            ),
            BuildEvent::StepDone { id, .. } => writeln!(out, " ---> {}", short(&id)),
            BuildEvent::Note(n) => writeln!(out, "{n}"),
        };
        let _ = out.flush();
    };
    let done = ctx.engine.build(&opts, &mut print)?;
    if quiet {
        println!("{}", done.id);
        return Ok(0);
    }
    if !done.unused_args.is_empty() {
        println!(
            "[Warning] One or more build-args [{}] were not consumed",
            done.unused_args.join(" ")
        );
    }
    println!("Successfully built {}", short(&done.id));
    for t in &done.tags {
        println!("Successfully tagged {t}");
    }
    Ok(0)
}

/// Ctrl-C (SIGINT) or SIGTERM stops the build between steps and kills a running RUN's
/// container, so nothing is left behind; a second one leaves at once.
fn cancel_on_signals() -> Arc<AtomicBool> {
    use nix::sys::signal::{SigSet, Signal};
    let cancel = Arc::new(AtomicBool::new(false));
    let mut set = SigSet::empty();
    set.add(Signal::SIGINT);
    set.add(Signal::SIGTERM);
    if set.thread_block().is_ok() {
        let flag = cancel.clone();
        std::thread::spawn(move || {
            while set.wait().is_ok() {
                if flag.swap(true, Ordering::SeqCst) {
                    std::process::exit(130);
                }
            }
        });
    }
    cancel
}

fn short(id: &str) -> &str {
    short_id(id.trim_start_matches("sha256:"))
}

/// Runs a `builder` subcommand.
pub fn builder(ctx: &Ctx, c: BuilderCommand) -> Result<i32> {
    match c {
        BuilderCommand::Prune(a) => {
            let _ = a.all; // every entry is removed either way: the cache keeps no tags
            if !a.force && !super::prompt::confirm("WARNING! This will remove all build cache.")? {
                return Ok(0);
            }
            let p = ctx.engine.prune_build_cache()?;
            let deleted: Vec<String> = p.layers.iter().map(|l| short_id(l).to_string()).collect();
            super::prompt::print_prune_report("build cache objects", &deleted, p.reclaimed);
            Ok(0)
        }
    }
}
