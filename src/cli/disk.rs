//! `system df` and `system prune`: space used, and removing what nothing needs.

use super::Ctx;
use super::format::{Column, human, print_list};
use super::prompt::confirm;
use anyhow::Result;
use clap::Args;
use serde_json::{Value, json};

/// `berth system df`
#[derive(Debug, Args)]
pub struct DfArgs {
    /// Show detailed information on space usage.
    #[arg(short, long)]
    pub verbose: bool,
    /// Format output using a custom template.
    #[arg(long)]
    pub format: Option<String>,
}

/// `berth system prune`
#[derive(Debug, Args)]
pub struct SystemPruneArgs {
    /// Remove all unused images, not just dangling ones.
    #[arg(short, long)]
    pub all: bool,
    /// Prune anonymous volumes too.
    #[arg(long)]
    pub volumes: bool,
    /// Do not prompt for confirmation.
    #[arg(short, long)]
    pub force: bool,
}

fn percent(part: u64, whole: u64) -> String {
    (part * 100).checked_div(whole).unwrap_or(0).to_string()
}

const SUMMARY: &[Column] = &[
    Column::new("TYPE", "Type"),
    Column::new("TOTAL", "TotalCount"),
    Column::new("ACTIVE", "Active"),
    Column::new("SIZE", "Size"),
    Column::new("RECLAIMABLE", "Reclaimable"),
];

/// `berth system df`
pub fn df(ctx: &Ctx, a: DfArgs) -> Result<i32> {
    let du = ctx.engine.disk_usage()?;
    if a.verbose {
        return df_verbose(&du);
    }
    let active_images = du.images.iter().filter(|i| i.containers > 0).count();
    let running: Vec<_> = du
        .containers
        .iter()
        .filter(|c| c.container.state.status.has_shim())
        .collect();
    let c_size: u64 = du.containers.iter().map(|c| c.size).sum();
    let c_free: u64 = c_size - running.iter().map(|c| c.size).sum::<u64>();
    let v_size: u64 = du.volumes.iter().map(|v| v.size).sum();
    let v_free: u64 = du
        .volumes
        .iter()
        .filter(|v| v.links == 0)
        .map(|v| v.size)
        .sum();
    let row = |t: &str, total: usize, active: usize, size: u64, free: u64| -> Value {
        json!({
            "Type": t, "TotalCount": total.to_string(), "Active": active.to_string(),
            "Size": human::size(size),
            "Reclaimable": format!("{} ({}%)", human::size(free), percent(free, size)),
        })
    };
    let rows = vec![
        row(
            "Images",
            du.images.len(),
            active_images,
            du.layers_size,
            du.layers_reclaimable,
        ),
        row(
            "Containers",
            du.containers.len(),
            running.len(),
            c_size,
            c_free,
        ),
        row(
            "Local Volumes",
            du.volumes.len(),
            du.volumes.iter().filter(|v| v.links > 0).count(),
            v_size,
            v_free,
        ),
        {
            // Docker shows the build cache's reclaimable space without a percentage.
            let bc = ctx.engine.build_cache_usage()?;
            json!({
                "Type": "Build Cache", "TotalCount": bc.entries.to_string(), "Active": "0",
                "Size": human::size(bc.size), "Reclaimable": human::size(bc.size),
            })
        },
    ];
    print_list(
        a.format.as_deref().filter(|f| *f != "table"),
        SUMMARY,
        &rows,
    )?;
    Ok(0)
}

fn df_verbose(du: &crate::engine::DiskUsage) -> Result<i32> {
    println!("Images space usage:\n");
    let cols = [
        Column::new("REPOSITORY", "Repository"),
        Column::new("TAG", "Tag"),
        Column::new("IMAGE ID", "ID"),
        Column::new("CREATED", "CreatedSince"),
        Column::new("SIZE", "Size"),
        Column::new("SHARED SIZE", "SharedSize"),
        Column::new("UNIQUE SIZE", "UniqueSize"),
        Column::new("CONTAINERS", "Containers"),
    ];
    let mut rows = Vec::new();
    for i in &du.images {
        for (repo, tag) in super::image::ls::rows_of(&i.image) {
            rows.push(json!({
                "Repository": repo, "Tag": tag, "ID": i.image.short_id(),
                "CreatedSince": human::ago(i.image.created), "Size": human::size(i.image.size),
                "SharedSize": human::size(i.shared), "UniqueSize": human::size(i.unique),
                "Containers": i.containers.to_string(),
            }));
        }
    }
    print_list(None, &cols, &rows)?;
    println!("\nContainers space usage:\n");
    let cols = [
        Column::new("CONTAINER ID", "ID"),
        Column::new("IMAGE", "Image"),
        Column::new("COMMAND", "Command"),
        Column::new("LOCAL VOLUMES", "LocalVolumes"),
        Column::new("SIZE", "Size"),
        Column::new("CREATED", "RunningFor"),
        Column::new("STATUS", "Status"),
        Column::new("NAMES", "Names"),
    ];
    let rows: Vec<Value> = du
        .containers
        .iter()
        .map(|c| {
            let mut item = super::format::container::ps_item(&c.container, false);
            item["LocalVolumes"] = json!(c.volumes.to_string());
            item["Size"] = json!(human::size(c.size));
            item
        })
        .collect();
    print_list(None, &cols, &rows)?;
    println!("\nLocal Volumes space usage:\n");
    let cols = [
        Column::new("VOLUME NAME", "Name"),
        Column::new("LINKS", "Links"),
        Column::new("SIZE", "Size"),
    ];
    let rows: Vec<Value> = du
        .volumes
        .iter()
        .map(|v| json!({"Name": v.name, "Links": v.links.to_string(), "Size": human::size(v.size)}))
        .collect();
    print_list(None, &cols, &rows)?;
    println!("\nBuild cache usage: 0B\n");
    Ok(0)
}

/// Docker's list of what `system prune` removes.
fn prune_warning(all: bool, volumes: bool) -> String {
    let mut w = String::from(
        "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n",
    );
    if volumes {
        w.push_str("  - all anonymous volumes not used by at least one container\n");
    }
    w.push_str(if all {
        "  - all images without at least one container associated to them\n  - all build cache\n"
    } else {
        "  - all dangling images\n  - unused build cache\n"
    });
    w
}

/// `berth system prune`: stopped containers, unused networks, (anonymous volumes),
/// dangling (or unused) images and the build cache, in Docker's order.
pub fn prune(ctx: &Ctx, a: SystemPruneArgs) -> Result<i32> {
    if !a.force && !confirm(&prune_warning(a.all, a.volumes))? {
        return Ok(0);
    }
    let section = |what: &str, items: &[String]| {
        if !items.is_empty() {
            println!("Deleted {what}:");
            items.iter().for_each(|d| println!("{d}"));
            println!();
        }
    };
    let mut reclaimed = 0;
    let containers = ctx.engine.prune_containers()?;
    reclaimed += containers.reclaimed;
    section("Containers", &containers.deleted);
    section("Networks", &ctx.engine.prune_networks()?);
    if a.volumes {
        let volumes = ctx.engine.prune_volumes(false)?;
        reclaimed += volumes.reclaimed;
        section("Volumes", &volumes.deleted);
    }
    let images = ctx.engine.prune_images(a.all)?;
    reclaimed += images.reclaimed;
    super::image::rm::print_deleted_images(&images.removed);
    let cache = ctx.engine.prune_build_cache()?;
    reclaimed += cache.reclaimed;
    let objects: Vec<String> = cache
        .keys
        .iter()
        .map(|k| crate::engine::short_id(k).to_string())
        .collect();
    section("build cache objects", &objects);
    println!("Total reclaimed space: {}", human::size(reclaimed));
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::prune_warning;

    #[test]
    fn the_warning_lists_networks_and_build_cache() {
        assert_eq!(
            prune_warning(false, false),
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - unused build cache\n"
        );
        let all = prune_warning(true, true);
        assert!(all.contains(
            "  - all anonymous volumes not used by at least one container\n  - all images without"
        ));
        assert!(all.ends_with("  - all build cache\n"));
    }
}
