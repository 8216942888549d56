//! The project's objects in the engine: its containers (found by their
//! `com.docker.compose.project` label), and its networks and volumes (created on `up`,
//! removed on `down`, with Compose's labels).

use super::progress::Progress;
use crate::cli::Ctx;
use crate::compose::Project;
use crate::compose::plan::{self, NETWORK, PROJECT, VERSION, VOLUME};
use crate::engine::{Container, NetworkCreateOptions};
use anyhow::{Result, bail};
use std::collections::BTreeMap;

/// The containers of project `name` (one-off `run` containers too when `oneoff`), in
/// name order.
pub fn containers(ctx: &Ctx, name: &str, oneoff: bool) -> Result<Vec<Container>> {
    let mut v: Vec<Container> = ctx
        .engine
        .containers()?
        .into_iter()
        .filter(|c| c.config.labels.get(PROJECT).map(String::as_str) == Some(name))
        .filter(|c| oneoff || c.config.labels.get(plan::ONEOFF).map(String::as_str) != Some("True"))
        .collect();
    v.sort_by(|a, b| a.name().cmp(b.name()));
    Ok(v)
}

/// The service key of a container of the project.
pub fn service_of(c: &Container) -> &str {
    c.config
        .labels
        .get(plan::SERVICE)
        .map(String::as_str)
        .unwrap_or_default()
}

fn labels(
    project: &str,
    key_label: &str,
    key: &str,
    user: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut l = user.clone();
    l.insert(PROJECT.into(), project.into());
    l.insert(key_label.into(), key.into());
    l.insert(VERSION.into(), plan::TOOL_VERSION.into());
    l
}

/// Creates the networks the `services` use that do not exist yet.
pub fn ensure_networks(
    ctx: &Ctx,
    p: &Project,
    services: &[String],
    progress: &Progress,
) -> Result<()> {
    let used: std::collections::BTreeSet<&String> = services
        .iter()
        .filter_map(|s| p.services.get(s))
        .flat_map(|s| s.networks.keys())
        .collect();
    for key in used {
        let Some(def) = p.networks.get(key) else {
            continue;
        };
        if ctx.engine.network(&def.name).is_ok() {
            continue;
        }
        if def.external {
            bail!(
                "network {} declared as external, but could not be found",
                def.name
            );
        }
        progress.working("Network", &def.name, "Creating");
        ctx.engine.create_network(&NetworkCreateOptions {
            name: def.name.clone(),
            driver: Some("bridge".into()),
            internal: def.internal,
            labels: labels(&p.name, NETWORK, key, &def.labels),
            ..NetworkCreateOptions::default()
        })?;
        progress.done("Network", &def.name, "Created");
    }
    Ok(())
}

/// Creates the named volumes the `services` mount that do not exist yet.
pub fn ensure_volumes(
    ctx: &Ctx,
    p: &Project,
    services: &[String],
    progress: &Progress,
) -> Result<()> {
    let used: std::collections::BTreeSet<&String> = services
        .iter()
        .filter_map(|s| p.services.get(s))
        .flat_map(|s| s.volumes.iter())
        .filter(|m| m.kind == "volume")
        .filter_map(|m| m.source.as_ref())
        .collect();
    for key in used {
        let Some(def) = p.volumes.get(key) else {
            continue;
        };
        if ctx.engine.volume(&def.name).is_ok() {
            continue;
        }
        if def.external {
            bail!("external volume \"{}\" not found", def.name);
        }
        progress.working("Volume", &def.name, "Creating");
        ctx.engine
            .create_volume(Some(&def.name), labels(&p.name, VOLUME, key, &def.labels))?;
        progress.done("Volume", &def.name, "Created");
    }
    Ok(())
}

/// The networks to remove on `down`: the project's own (by the model when there is one,
/// and by label), never external ones.
pub fn project_networks(ctx: &Ctx, name: &str, p: Option<&Project>) -> Result<Vec<String>> {
    let mut names: Vec<String> = ctx
        .engine
        .networks()?
        .into_iter()
        .filter(|n| n.labels.get(PROJECT).map(String::as_str) == Some(name))
        .map(|n| n.name)
        .collect();
    if let Some(p) = p {
        for def in p.networks.values().filter(|d| !d.external) {
            if !names.contains(&def.name) && ctx.engine.network(&def.name).is_ok() {
                names.push(def.name.clone());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// The named volumes to remove on `down -v`: the project's own, never external ones.
pub fn project_volumes(ctx: &Ctx, name: &str, p: Option<&Project>) -> Result<Vec<String>> {
    let mut names: Vec<String> = ctx
        .engine
        .volumes()?
        .into_iter()
        .filter(|v| v.meta.labels.get(PROJECT).map(String::as_str) == Some(name))
        .map(|v| v.name().to_string())
        .collect();
    if let Some(p) = p {
        for def in p.volumes.values().filter(|d| !d.external) {
            if !names.contains(&def.name) && ctx.engine.volume(&def.name).is_ok() {
                names.push(def.name.clone());
            }
        }
    }
    names.sort();
    Ok(names)
}
