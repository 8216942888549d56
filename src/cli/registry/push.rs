//! `berth push [-a] [-q] NAME[:TAG]`, printed as Docker does.

use super::progress::{Direction, Out, Renderer};
use super::{PushArgs, runtime};
use crate::cli::Ctx;
use crate::engine::PushOptions;
use crate::engine::RemoteReference;

/// Runs `push`.
pub fn push(ctx: &Ctx, a: PushArgs) -> anyhow::Result<i32> {
    let r = RemoteReference::parse(&a.image)?;
    let opts = PushOptions {
        registries: ctx.config.registries.clone(),
        credentials: None,
    };
    let targets: Vec<String> = if a.all_tags {
        anyhow::ensure!(
            !r.explicit_tag,
            "tag can't be used with --all-tags/-a: push '{}' alone",
            r.reference.name
        );
        let prefix = format!("{}:", r.reference.name);
        let mut tags: Vec<String> = ctx
            .engine
            .images()?
            .into_iter()
            .flat_map(|i| i.repo_tags)
            .filter(|t| t.starts_with(&prefix))
            .collect();
        tags.sort();
        tags.dedup();
        anyhow::ensure!(
            !tags.is_empty(),
            "no local tags of '{}': tag an image first",
            r.reference.name
        );
        tags
    } else {
        if !r.explicit_tag && !a.quiet {
            println!("Using default tag: latest");
        }
        vec![a.image.clone()]
    };
    let rt = runtime()?;
    for target in targets {
        let t = RemoteReference::parse(&target)?;
        let render = Renderer::new(Direction::Push, a.quiet, Out::Stdout);
        render.line(&format!(
            "The push refers to repository [{}]",
            t.reference.full_name()
        ));
        let res = rt.block_on(ctx.engine.push_image(&target, &opts, |p| render.event(p)));
        render.finish();
        let res = res?;
        if a.quiet {
            println!("{}", t.reference);
        } else {
            println!("{}: digest: {} size: {}", res.tag, res.digest, res.size);
        }
    }
    Ok(0)
}
