//! `berth pull [-a] [-q] [--platform P] NAME[:TAG|@DIGEST]`, printed as Docker does.

use super::progress::{Direction, Renderer};
use super::{PullArgs, runtime};
use crate::cli::Ctx;
use crate::engine::image::reference::RemoteReference;
use crate::engine::registry::pull::PullStatus;
use crate::engine::registry::{Platform, PullOptions};

/// Runs `pull`.
pub fn pull(ctx: &Ctx, a: PullArgs) -> anyhow::Result<i32> {
    let platform = a.platform.as_deref().map(Platform::parse).transpose()?;
    let opts = PullOptions {
        platform,
        registries: ctx.config.registries.clone(),
    };
    let r = RemoteReference::parse(&a.image)?;
    let rt = runtime()?;
    let targets: Vec<String> = if a.all_tags {
        anyhow::ensure!(
            !r.explicit_tag && r.digest.is_none(),
            "tag can't be used with --all-tags/-a: pull '{}' alone",
            r.reference.name
        );
        let mut tags = rt.block_on(ctx.engine.registry_tags(&a.image, &opts))?;
        tags.sort();
        tags.into_iter()
            .map(|t| format!("{}:{t}", r.reference.name))
            .collect()
    } else {
        if !r.explicit_tag && r.digest.is_none() && !a.quiet {
            println!("Using default tag: latest");
        }
        vec![a.image.clone()]
    };
    for target in targets {
        let t = RemoteReference::parse(&target)?;
        let render = Renderer::new(Direction::Pull, a.quiet);
        let head = match (&t.digest, t.explicit_tag || t.digest.is_none()) {
            (Some(d), false) => d.clone(),
            _ => t.reference.tag.clone(),
        };
        render.line(&format!("{head}: Pulling from {}", t.path()));
        let res = rt.block_on(ctx.engine.pull_image(&target, &opts, |p| render.event(p)));
        render.finish();
        let res = res?;
        if !a.quiet {
            println!("Digest: {}", res.digest);
            let status = match res.status {
                PullStatus::UpToDate => "Image is up to date for",
                PullStatus::Downloaded => "Downloaded newer image for",
            };
            println!("Status: {status} {}", res.reference);
        }
        println!("{}", full(&t));
    }
    Ok(0)
}

/// `docker.io/library/busybox:latest`, as Docker prints after a pull.
fn full(t: &RemoteReference) -> String {
    let name = t.reference.full_name();
    match (&t.digest, t.explicit_tag) {
        (Some(d), false) => format!("{name}@{d}"),
        (Some(d), true) => format!("{name}:{}@{d}", t.reference.tag),
        (None, _) => format!("{name}:{}", t.reference.tag),
    }
}
