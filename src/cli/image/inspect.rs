//! `berth image inspect`: Docker-shaped JSON for images, or `--format` per image.

use crate::cli::Ctx;
use crate::cli::format::render;
use clap::Args;
use serde::Serialize;
use serde_json::Value;

/// `berth image inspect`
#[derive(Debug, Args)]
pub struct ImageInspectArgs {
    /// Format output using a custom template.
    #[arg(short, long)]
    pub format: Option<String>,
    /// Images.
    #[arg(required = true)]
    pub images: Vec<String>,
}

/// Prints `values` as Docker does: a JSON array indented by four spaces.
pub fn print_json_array(values: &[Value]) -> anyhow::Result<()> {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    values.serialize(&mut ser)?;
    println!("{}", String::from_utf8_lossy(&out));
    Ok(())
}

/// `berth image inspect`: prints what was found; exits 1 if any image is missing, as Docker.
pub fn inspect(ctx: &Ctx, a: ImageInspectArgs) -> anyhow::Result<i32> {
    let mut values = Vec::new();
    let mut code = 0;
    for name in &a.images {
        match ctx.engine.image_inspect(name) {
            Ok(v) => values.push(v),
            Err(e) => {
                eprintln!("berth: {e}");
                code = 1;
            }
        }
    }
    match a.format.as_deref() {
        Some(t) if t != "json" => {
            for v in &values {
                println!("{}", render(t, v)?);
            }
        }
        _ => print_json_array(&values)?,
    }
    Ok(code)
}
