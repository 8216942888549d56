//! Making what a plan says: volumes, then each pod's containers, then starting them. A
//! failure removes the containers and new volumes made so far, so nothing is half-made.

use super::plan::Plan;
use crate::engine::{Engine, MountKind};
use anyhow::{Context, Result, bail};

/// What `play` made: each pod with its containers' ids.
#[derive(Debug, Clone, Default)]
pub struct Played {
    /// Pod name and its containers' ids, in plan order.
    pub pods: Vec<(String, Vec<String>)>,
}

/// Makes and starts everything of `plan`. `ensure_image` makes an image present (the CLI
/// pulls it when missing, with its progress).
pub fn run(
    engine: &Engine,
    plan: &Plan,
    ensure_image: &mut dyn FnMut(&str) -> Result<()>,
) -> Result<Played> {
    for pod in &plan.pods {
        for c in &pod.containers {
            let name = c.options.name.as_deref().unwrap_or_default();
            if engine.container(name).is_ok() {
                bail!(
                    "container name '{name}' is already in use: remove it (berth kube down FILE) and play again"
                );
            }
        }
    }
    let mut images: Vec<&str> = Vec::new();
    for c in plan.pods.iter().flat_map(|p| &p.containers) {
        if !images.contains(&c.options.image.as_str()) {
            images.push(&c.options.image);
        }
    }
    for image in images {
        ensure_image(image)?;
    }
    let mut made = Made::default();
    let result = make(engine, plan, &mut made);
    if result.is_err() {
        made.undo(engine);
    }
    result
}

/// What this play made, to take back on failure.
#[derive(Default)]
struct Made {
    containers: Vec<String>,
    volumes: Vec<String>,
}

impl Made {
    fn undo(&self, engine: &Engine) {
        for id in self.containers.iter().rev() {
            let _ = engine.remove_container(id, true, true);
        }
        for v in &self.volumes {
            let _ = engine.remove_volume(v, true);
        }
    }
}

fn make(engine: &Engine, plan: &Plan, made: &mut Made) -> Result<Played> {
    for v in &plan.volumes {
        if engine.volume(&v.name).is_err() {
            engine
                .create_volume(Some(&v.name), v.labels.clone())
                .with_context(|| format!("cannot make volume '{}'", v.name))?;
            made.volumes.push(v.name.clone());
        }
        if let Some(files) = &v.files {
            engine
                .write_volume_files(&v.name, files)
                .with_context(|| format!("cannot fill volume '{}'", v.name))?;
        }
    }
    let mut played = Played::default();
    let mut ids = Vec::new();
    for pod in &plan.pods {
        let mut pod_ids = Vec::new();
        for c in &pod.containers {
            let o = &c.options;
            for m in o.mounts.iter().filter(|m| m.kind == MountKind::Bind) {
                make_host_dir(&m.source)?;
            }
            let created = engine.create_container(o).with_context(|| {
                format!(
                    "cannot create container '{}'",
                    o.name.as_deref().unwrap_or_default()
                )
            })?;
            made.containers.push(created.config.id.to_string());
            pod_ids.push(created.config.id.to_string());
            ids.push(created.config.id);
        }
        played.pods.push((pod.name.clone(), pod_ids));
    }
    for id in &ids {
        engine
            .start_container(id)
            .with_context(|| format!("cannot start container {}", crate::engine::short_id(id)))?;
    }
    Ok(played)
}

/// A missing bind source is made as a directory (Kubernetes' `DirectoryOrCreate`, and what
/// Docker's `-v` does).
fn make_host_dir(path: &str) -> Result<()> {
    if std::fs::symlink_metadata(path).is_err() {
        std::fs::create_dir_all(path)
            .with_context(|| format!("cannot create host directory '{path}'"))?;
    }
    Ok(())
}
