//! What `kube generate` needs of the containers and volumes named, read through the facade.

use super::{ImageDefaults, Source};
use crate::engine::{Engine, EngineError, MountKind};
use anyhow::{Result, bail};

/// The containers named in `names` (in order) and the names that are volumes.
pub fn collect(engine: &Engine, names: &[String]) -> Result<(Vec<Source>, Vec<String>)> {
    let mut sources = Vec::new();
    let mut volumes = Vec::new();
    for name in names {
        match engine.container(name) {
            Ok(c) => sources.push(source(engine, c.config)),
            Err(EngineError::NoSuchContainer(_)) => match engine.volume(name) {
                Ok(v) => volumes.push(v.name().to_string()),
                Err(_) => bail!("{name}: no such container or volume"),
            },
            Err(e) => return Err(e.into()),
        }
    }
    Ok((sources, volumes))
}

fn source(engine: &Engine, config: crate::engine::ContainerConfig) -> Source {
    let image = engine
        .image(&config.image_id)
        .ok()
        .and_then(|i| i.config.config().clone())
        .map(|c| ImageDefaults {
            entrypoint: c.entrypoint().clone().unwrap_or_default(),
            cmd: c.cmd().clone().unwrap_or_default(),
            env: c.env().clone().unwrap_or_default(),
            working_dir: c.working_dir().clone().unwrap_or_default(),
            user: c.user().clone().unwrap_or_default(),
        })
        .unwrap_or_default();
    let mut src = Source {
        image,
        ..Source::default()
    };
    for m in &config.mounts {
        match m.kind {
            MountKind::Volume => {
                if engine.volume(&m.source).is_ok_and(|v| v.is_anonymous()) {
                    src.anonymous_volumes.insert(m.source.clone());
                }
            }
            MountKind::Bind => {
                if let Ok(md) = std::fs::metadata(&m.source) {
                    src.bind_is_dir.insert(m.source.clone(), md.is_dir());
                }
            }
            MountKind::Tmpfs => {}
        }
    }
    src.config = config;
    src
}
