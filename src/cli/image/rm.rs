//! `berth tag`, `berth rmi`, `berth image prune`.

use super::{PruneArgs, RmiArgs, TagArgs};
use crate::cli::Ctx;
use crate::cli::format::human;
use crate::cli::prompt::confirm;

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
                eprintln!("berth: {}", crate::engine::printable(&e.to_string()));
                code = e.exit_code();
            }
        }
    }
    Ok(code)
}

/// `berth image prune [-a] [-f]`
pub fn prune(ctx: &Ctx, a: PruneArgs) -> anyhow::Result<i32> {
    let what = if a.all {
        "all images without at least one container associated to them"
    } else {
        "all dangling images"
    };
    if !a.force && !confirm(&format!("WARNING! This will remove {what}."))? {
        return Ok(0);
    }
    let pruned = ctx.engine.prune_images(a.all)?;
    print_deleted_images(&pruned.removed);
    println!("Total reclaimed space: {}", human::size(pruned.reclaimed));
    Ok(0)
}

/// Docker's prune listing: `Deleted Images:` then `untagged: x` / `deleted: sha256:...`
/// (lowercase, unlike `rmi`), and a blank line.
pub fn print_deleted_images(removed: &[crate::engine::Removed]) {
    if removed.is_empty() {
        return;
    }
    println!("Deleted Images:");
    for r in removed {
        let line = r.to_string();
        let mut chars = line.chars();
        let first: String = chars
            .next()
            .map(|c| c.to_ascii_lowercase())
            .into_iter()
            .collect();
        println!("{first}{}", chars.as_str());
    }
    println!();
}
