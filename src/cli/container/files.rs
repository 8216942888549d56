//! Container filesystem commands: diff, cp, export, container prune.

use crate::cli::Ctx;
use crate::cli::format::human;
use crate::cli::prompt::{confirm, print_prune_report};
use crate::engine::{AtomicFile, CopyIn, CopyOptions, CopyOut};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `berth diff`
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Container.
    pub container: String,
}

/// `berth cp`
#[derive(Debug, Args)]
pub struct CpArgs {
    /// Source: `CONTAINER:SRC_PATH`, a host path, or `-` (a tar stream on stdin).
    pub src: String,
    /// Destination: `CONTAINER:DEST_PATH`, a host path, or `-` (a tar stream on stdout).
    pub dst: String,
    /// Archive mode (copy all uid/gid information).
    #[arg(short, long)]
    pub archive: bool,
    /// Always follow symbol link in SRC_PATH.
    #[arg(short = 'L', long)]
    pub follow_link: bool,
    /// Suppress progress output during copy.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `berth export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Container.
    pub container: String,
    /// Write to a file, instead of STDOUT.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `berth container prune`
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Do not prompt for confirmation.
    #[arg(short, long)]
    pub force: bool,
}

/// `berth diff`
pub fn diff(ctx: &Ctx, a: DiffArgs) -> anyhow::Result<i32> {
    let changes = ctx.engine.container_diff(&a.container)?;
    let mut out = std::io::stdout().lock();
    for ch in changes {
        writeln!(out, "{} {}", ch.kind.letter(), ch.path.display())?;
    }
    Ok(0)
}

/// Splits `CONTAINER:PATH` as Docker does: an absolute path, or one whose part before the
/// first `:` starts with `.`, is local.
fn split_cp_arg(arg: &str) -> (Option<&str>, &str) {
    if arg.starts_with('/') {
        return (None, arg);
    }
    match arg.split_once(':') {
        Some((c, p)) if !c.starts_with('.') && !c.is_empty() => (Some(c), p),
        _ => (None, arg),
    }
}

/// `berth cp`
pub fn cp(ctx: &Ctx, a: CpArgs) -> anyhow::Result<i32> {
    let opts = CopyOptions {
        archive: a.archive,
        follow_link: a.follow_link,
    };
    let (src_ctr, src) = split_cp_arg(&a.src);
    let (dst_ctr, dst) = split_cp_arg(&a.dst);
    let (bytes, shown) = match (src_ctr, dst_ctr) {
        (Some(_), Some(_)) => {
            anyhow::bail!("copying between containers is not supported: copy to the host first")
        }
        (None, None) => anyhow::bail!(
            "must specify at least one container source: use CONTAINER:PATH for the source or the destination"
        ),
        (Some(c), None) if dst == "-" => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout());
            ctx.engine
                .copy_from_container(c, src, CopyOut::Tar(&mut stdout), opts)?;
            stdout.flush()?;
            return Ok(0);
        }
        (Some(c), None) => {
            let copied =
                ctx.engine
                    .copy_from_container(c, src, CopyOut::Path(Path::new(dst)), opts)?;
            if !copied.skipped.is_empty() {
                let names: Vec<String> = copied
                    .skipped
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect();
                eprintln!(
                    "warning: device nodes and FIFOs are not created on the host, not copied: {}",
                    names.join(", ")
                );
            }
            (copied.bytes, dst.to_string())
        }
        (None, Some(c)) if src == "-" => {
            let mut stdin = std::io::stdin();
            let n = ctx
                .engine
                .copy_to_container(c, CopyIn::Tar(&mut stdin), dst, opts)?;
            (n, format!("{c}:{dst}"))
        }
        (None, Some(c)) => {
            let n = ctx
                .engine
                .copy_to_container(c, CopyIn::Path(Path::new(src)), dst, opts)?;
            (n, format!("{c}:{dst}"))
        }
    };
    if !a.quiet {
        eprintln!("Successfully copied {} to {shown}", human::size(bytes));
    }
    Ok(0)
}

/// `berth export`
pub fn export(ctx: &Ctx, a: ExportArgs) -> anyhow::Result<i32> {
    match &a.output {
        Some(path) => {
            // Nothing shows at `path` until the whole archive is written.
            let mut w = AtomicFile::create(path)?;
            ctx.engine.export_container(&a.container, &mut w)?;
            w.commit()?;
        }
        None => {
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                anyhow::bail!(
                    "cowardly refusing to save to a terminal: use the -o flag or redirect"
                );
            }
            let mut w = std::io::BufWriter::new(std::io::stdout());
            ctx.engine.export_container(&a.container, &mut w)?;
            w.flush()?;
        }
    }
    Ok(0)
}

/// `berth container prune`
pub fn prune(ctx: &Ctx, a: PruneArgs) -> anyhow::Result<i32> {
    if !a.force && !confirm("WARNING! This will remove all stopped containers.")? {
        return Ok(0);
    }
    let report = ctx.engine.prune_containers()?;
    for (id, err) in &report.failed {
        eprintln!(
            "berth: could not remove container '{}': {err}",
            crate::engine::short_id(id)
        );
    }
    print_prune_report("Containers", &report.deleted, report.reclaimed);
    Ok(if report.failed.is_empty() { 0 } else { 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp_arguments_split_like_docker() {
        assert_eq!(split_cp_arg("web:/etc/hosts"), (Some("web"), "/etc/hosts"));
        assert_eq!(split_cp_arg("/tmp/a:b"), (None, "/tmp/a:b"));
        assert_eq!(split_cp_arg("./file:name"), (None, "./file:name"));
        assert_eq!(split_cp_arg("file"), (None, "file"));
        assert_eq!(split_cp_arg("-"), (None, "-"));
    }
}
