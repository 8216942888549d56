//! `berth pull [-a] [-q] [--platform P] NAME[:TAG|@DIGEST]`, printed as Docker does, and the
//! pull `run` and `create` make first (`--pull`), printed the same way on stderr.

use super::progress::{Direction, Out, Renderer};
use super::{PullArgs, runtime};
use crate::cli::Ctx;
use crate::engine::PullStatus;
use crate::engine::RemoteReference;
use crate::engine::{Platform, PullOptions, PullPolicy, PullResult};

/// Runs `pull`.
pub fn pull(ctx: &Ctx, a: PullArgs) -> anyhow::Result<i32> {
    let platform = a.platform.as_deref().map(Platform::parse).transpose()?;
    let opts = PullOptions {
        platform,
        registries: ctx.config.registries.clone(),
        credentials: None,
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
        pull_one(ctx, &rt, &t, &opts, Out::Stdout, a.quiet)?;
        println!("{}", full(&t));
    }
    Ok(0)
}

/// For `run`/`create` of `image`: pulls it when `policy` says so, printing on stderr as
/// Docker does (`Unable to find image 'busybox:latest' locally`, the layers, `Digest:`,
/// `Status:`), so stdout keeps only the container's id or output. `quiet` prints nothing.
/// A failed pull stores nothing; its error is returned.
pub fn for_create(ctx: &Ctx, image: &str, policy: PullPolicy, quiet: bool) -> anyhow::Result<()> {
    let Some(r) = ctx.engine.image_to_pull(image, policy)? else {
        return Ok(());
    };
    if policy == PullPolicy::Missing && !quiet {
        eprintln!("Unable to find image '{r}' locally");
    }
    let opts = PullOptions {
        platform: None,
        registries: ctx.config.registries.clone(),
        credentials: None,
    };
    // Dropped (its threads ended) before the container is created and its shim started.
    let rt = runtime()?;
    let res = pull_one(ctx, &rt, &r, &opts, Out::Stderr, quiet);
    drop(rt);
    res.map(|_| ())
}

/// Pulls one reference, drawing its progress and then `Digest:` and `Status:` on `out`.
fn pull_one(
    ctx: &Ctx,
    rt: &tokio::runtime::Runtime,
    t: &RemoteReference,
    opts: &PullOptions,
    out: Out,
    quiet: bool,
) -> anyhow::Result<PullResult> {
    let head = match (&t.digest, t.explicit_tag || t.digest.is_none()) {
        (Some(d), false) => d.clone(),
        _ => t.reference.tag.clone(),
    };
    let render = Renderer::new(Direction::Pull, quiet, out)
        .with_header(format!("{head}: Pulling from {}", t.path()));
    let res = rt.block_on(
        ctx.engine
            .pull_image(&t.to_string(), opts, |p| render.event(p)),
    );
    render.finish();
    let res = res?;
    if !quiet {
        out.line(&format!("Digest: {}", res.digest));
        let status = match res.status {
            PullStatus::UpToDate => "Image is up to date for",
            PullStatus::Downloaded => "Downloaded newer image for",
        };
        out.line(&format!("Status: {status} {}", res.reference));
    }
    Ok(res)
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
