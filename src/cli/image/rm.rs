//! `berth tag`, `berth rmi`, `berth image prune`.

use super::{PruneArgs, RmiArgs, TagArgs};
use crate::cli::Ctx;
use crate::cli::format::human;
use std::io::{BufRead, Write};

/// `berth tag SOURCE TARGET`
pub fn tag(ctx: &Ctx, a: TagArgs) -> anyhow::Result<i32> {
    ctx.engine.tag_image(&a.source, &a.target)?;
    Ok(0)
}

/// `berth rmi [-f] IMAGE...`: prints what was untagged and deleted; goes on after a failure
/// and exits 125 if any image could not be removed.
pub fn rmi(ctx: &Ctx, a: RmiArgs) -> anyhow::Result<i32> {
    let mut code = 0;
    for name in &a.images {
        match ctx.engine.remove_image(name, a.force) {
            Ok(done) => {
                for d in done {
                    println!("{d}");
                }
            }
            Err(e) => {
                eprintln!("berth: {e}");
                code = e.exit_code();
            }
        }
    }
    Ok(code)
}

/// `berth image prune [-a] [-f]`
pub fn prune(ctx: &Ctx, a: PruneArgs) -> anyhow::Result<i32> {
    if !a.force {
        let what = if a.all {
            "all images without at least one container associated to them"
        } else {
            "all dangling images"
        };
        print!("WARNING! This will remove {what}.\nAre you sure you want to continue? [y/N] ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Ok(0);
        }
    }
    let pruned = ctx.engine.prune_images(a.all)?;
    if !pruned.removed.is_empty() {
        println!("Deleted Images:");
        for r in &pruned.removed {
            // Docker's prune output is lowercase: `untagged: x`, `deleted: sha256:...`.
            let line = r.to_string();
            let mut chars = line.chars();
            let first = chars.next().map(|c| c.to_ascii_lowercase());
            println!(
                "{}{}",
                first.map(String::from).unwrap_or_default(),
                chars.as_str()
            );
        }
        println!();
    }
    println!("Total reclaimed space: {}", human::size(pruned.reclaimed));
    Ok(0)
}
