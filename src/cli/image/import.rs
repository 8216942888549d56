//! `berth import`: a filesystem tarball (file or `-` for stdin) becomes an image.

use super::ImportArgs;
use crate::cli::Ctx;
use crate::engine::ImportOptions;
use std::fs::File;
use std::io::Read;

/// `berth import TARBALL|- [REF] [-c CHANGE...] [-m MESSAGE]`: prints the new image id.
pub fn import(ctx: &Ctx, a: ImportArgs) -> anyhow::Result<i32> {
    if let Some(p) = &a.platform {
        let here = format!("linux/{}", crate::engine::go_arch());
        anyhow::ensure!(
            *p == here || *p == "linux",
            "unsupported platform '{p}': only '{here}' can be imported here"
        );
    }
    let mut source: Box<dyn Read> = if a.source == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = File::open(&a.source)
            .map_err(|e| anyhow::anyhow!("cannot open '{}': {e}", a.source))?;
        Box::new(f)
    };
    let opts = ImportOptions {
        reference: a.reference,
        changes: a.change,
        message: a.message,
    };
    let id = ctx.engine.import_image_with(&mut source, &opts)?;
    println!("{id}");
    Ok(0)
}
