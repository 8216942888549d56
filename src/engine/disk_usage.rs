//! `system df`: how much space images, containers and volumes take, and how much of it
//! could be reclaimed.

use crate::engine::Engine;
use crate::engine::container::{Container, MountKind};
use crate::engine::error::Result;
use crate::engine::image::Image;
use crate::engine::volume::size::dir_size;
use std::collections::HashMap;

/// One image's use of space.
#[derive(Debug, Clone)]
pub struct ImageUsage {
    /// The image.
    pub image: Image,
    /// Bytes of layers other images share.
    pub shared: u64,
    /// Bytes only this image holds.
    pub unique: u64,
    /// Containers created from it.
    pub containers: usize,
}

/// One container's use of space.
#[derive(Debug, Clone)]
pub struct ContainerUsage {
    /// The container.
    pub container: Container,
    /// Bytes in its read-write layer.
    pub size: u64,
    /// Volumes mounted into it.
    pub volumes: usize,
}

/// One volume's use of space.
#[derive(Debug, Clone)]
pub struct VolumeUsage {
    /// Volume name.
    pub name: String,
    /// Bytes of data.
    pub size: u64,
    /// Containers using it.
    pub links: usize,
}

/// Everything `system df` shows.
#[derive(Debug, Clone, Default)]
pub struct DiskUsage {
    /// Images.
    pub images: Vec<ImageUsage>,
    /// Containers.
    pub containers: Vec<ContainerUsage>,
    /// Volumes.
    pub volumes: Vec<VolumeUsage>,
    /// Bytes of all layers, each counted once.
    pub layers_size: u64,
    /// Bytes of layers no container's image uses.
    pub layers_reclaimable: u64,
}

impl Engine {
    /// Measures the space used under the state root.
    pub fn disk_usage(&self) -> Result<DiskUsage> {
        let images = self.images()?;
        let containers = self.containers()?;
        // How many images hold each layer, and whether a container's image holds it.
        let mut holders: HashMap<&str, usize> = HashMap::new();
        let mut layer_size: HashMap<&str, u64> = HashMap::new();
        for img in &images {
            for (l, s) in img.layers.iter().zip(img.layer_sizes.iter()) {
                *holders.entry(l.as_str()).or_default() += 1;
                layer_size.insert(l.as_str(), *s);
            }
        }
        let mut used_layers: HashMap<&str, bool> = HashMap::new();
        for c in &containers {
            for l in &c.config.layers {
                used_layers.insert(l.as_str(), true);
            }
        }
        let mut out = DiskUsage {
            layers_size: layer_size.values().sum(),
            layers_reclaimable: layer_size
                .iter()
                .filter(|(l, _)| !used_layers.contains_key(*l))
                .map(|(_, s)| *s)
                .sum(),
            ..DiskUsage::default()
        };
        for img in &images {
            let shared: u64 = img
                .layers
                .iter()
                .zip(img.layer_sizes.iter())
                .filter(|(l, _)| holders.get(l.as_str()).copied().unwrap_or(0) > 1)
                .map(|(_, s)| *s)
                .sum();
            out.images.push(ImageUsage {
                shared,
                unique: img.size.saturating_sub(shared),
                containers: containers
                    .iter()
                    .filter(|c| c.config.image_id == img.id)
                    .count(),
                image: img.clone(),
            });
        }
        for c in &containers {
            out.containers.push(ContainerUsage {
                size: dir_size(&self.paths().container(c.id()).join("rw").join("upper")),
                volumes: c
                    .config
                    .mounts
                    .iter()
                    .filter(|m| m.kind == MountKind::Volume)
                    .count(),
                container: c.clone(),
            });
        }
        for v in self.volumes()? {
            let name = v.name().to_string();
            out.volumes.push(VolumeUsage {
                size: dir_size(&v.mountpoint),
                links: containers
                    .iter()
                    .filter(|c| {
                        c.config
                            .mounts
                            .iter()
                            .any(|m| m.kind == MountKind::Volume && m.source == name)
                    })
                    .count(),
                name,
            });
        }
        Ok(out)
    }
}
