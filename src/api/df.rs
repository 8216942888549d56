//! `GET /system/df` (`docker system df`): images, containers and volumes with the sizes
//! the engine measures (`berth system df` reads the same [`crate::engine::DiskUsage`]).

use super::body::Handled;
use super::body::ok_json;
use super::state::Api;
use serde_json::{Value, json};

/// `GET /system/df`: `LayersSize`, `Images` (with `Size`, `SharedSize`, `Containers`),
/// `Containers` (with `SizeRw`, `SizeRootFs`), `Volumes` (with `UsageData`), and an empty
/// `BuildCache` with `BuilderSize` 0 (berth's build cache is its images' layers, counted
/// there).
pub async fn df(api: &Api) -> Handled {
    let (du, vols) = api
        .blocking(|e| Ok((e.disk_usage()?, e.volumes()?)))
        .await?;
    let images: Vec<Value> = du
        .images
        .iter()
        .map(|u| {
            let mut doc = super::images::summary(&u.image);
            doc["Size"] = json!(u.shared + u.unique);
            doc["SharedSize"] = json!(u.shared);
            doc["Containers"] = json!(u.containers);
            doc
        })
        .collect();
    let containers: Vec<Value> = du
        .containers
        .iter()
        .map(|u| {
            let mut doc = super::containers::summary(&u.container, "");
            let image_size = du
                .images
                .iter()
                .find(|i| i.image.id == u.container.config.image_id)
                .map_or(0, |i| i.shared + i.unique);
            doc["SizeRw"] = json!(u.size);
            doc["SizeRootFs"] = json!(u.size + image_size);
            doc
        })
        .collect();
    let volumes: Vec<Value> = vols
        .iter()
        .map(|v| {
            let mut doc = v.inspect_json();
            let usage = du.volumes.iter().find(|u| u.name == doc["Name"]);
            doc["UsageData"] = json!({
                "Size": usage.map_or(-1, |u| u.size as i64),
                "RefCount": usage.map_or(-1, |u| u.links as i64),
            });
            doc
        })
        .collect();
    ok_json(&json!({
        "LayersSize": du.layers_size,
        "Images": images,
        "Containers": containers,
        "Volumes": volumes,
        "BuildCache": [],
        "BuilderSize": 0,
    }))
}
