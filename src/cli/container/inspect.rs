//! `inspect` / `container inspect`: Docker-shaped JSON for containers (and, at top level,
//! images and volumes), or a Go template per object.

use crate::cli::Ctx;
use crate::cli::format::print_inspect;
use anyhow::{Result, bail};
use clap::Args;
use serde_json::Value;

/// `berth inspect`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Format output using a custom template.
    #[arg(short, long)]
    pub format: Option<String>,
    /// Only look for this type of object: container, image or volume.
    #[arg(long = "type")]
    pub kind: Option<String>,
    /// Display total file sizes (accepted; sizes are not computed yet).
    #[arg(short, long)]
    pub size: bool,
    /// Names or ids.
    #[arg(required = true)]
    pub names: Vec<String>,
}

fn find(ctx: &Ctx, name: &str, kind: Option<&str>) -> Result<Value> {
    let want = |k: &str| kind.is_none_or(|x| x == k);
    if want("container")
        && let Ok(c) = ctx.engine.container(name)
    {
        return Ok(ctx.engine.inspect_document(&c));
    }
    if want("image")
        && let Ok(v) = ctx.engine.image_inspect(name)
    {
        return Ok(v);
    }
    if want("volume")
        && let Ok(v) = ctx.engine.volume(name)
    {
        return Ok(v.inspect_json());
    }
    match kind {
        Some(k) => bail!("no such {k}: '{name}'"),
        None => bail!("no such object: '{name}'"),
    }
}

/// Prints the documents (or the template applied to each); exits 1 if any name was not
/// found, after printing the others, as Docker does.
pub fn print_documents(
    ctx: &Ctx,
    names: &[String],
    kind: Option<&str>,
    format: Option<&str>,
) -> Result<i32> {
    if let Some(k) = kind
        && !matches!(k, "container" | "image" | "volume")
    {
        bail!("invalid --type '{k}': use container, image or volume");
    }
    print_inspect(names, format, |n| find(ctx, n, kind))
}

/// `berth inspect`
pub fn inspect(ctx: &Ctx, a: InspectArgs) -> Result<i32> {
    print_documents(ctx, &a.names, a.kind.as_deref(), a.format.as_deref())
}
