//! `inspect` / `container inspect`: Docker-shaped JSON for containers (and, at top level,
//! images, networks and volumes), or a Go template per object.

use crate::cli::Ctx;
use crate::cli::format::print_inspect;
use crate::engine::ObjectKind;
use anyhow::Result;
use clap::Args;
use serde_json::Value;

/// `berth inspect`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Format output using a custom template.
    #[arg(short, long)]
    pub format: Option<String>,
    /// Only look for this type of object: container, image, network or volume.
    #[arg(long = "type")]
    pub kind: Option<String>,
    /// Display total file sizes (accepted; sizes are not computed yet).
    #[arg(short, long)]
    pub size: bool,
    /// Names or ids.
    #[arg(required = true)]
    pub names: Vec<String>,
}

fn find(ctx: &Ctx, name: &str, kind: Option<ObjectKind>) -> Result<Value> {
    Ok(ctx.engine.inspect_object(name, kind)?.1)
}

/// Prints the documents (or the template applied to each); exits 1 if any name was not
/// found, after printing the others, as Docker does.
pub fn print_documents(
    ctx: &Ctx,
    names: &[String],
    kind: Option<&str>,
    format: Option<&str>,
) -> Result<i32> {
    let kind = match kind {
        Some(k) => Some(ObjectKind::parse(k).ok_or_else(|| {
            anyhow::anyhow!("invalid --type '{k}': use container, image, network or volume")
        })?),
        None => None,
    };
    print_inspect(names, format, |n| find(ctx, n, kind))
}

/// `berth inspect`
pub fn inspect(ctx: &Ctx, a: InspectArgs) -> Result<i32> {
    print_documents(ctx, &a.names, a.kind.as_deref(), a.format.as_deref())
}
