//! Images: list, inspect, remove. Pull (`POST /images/create`) is in `pull.rs`.

use super::body::{Handled, ok_json};
use super::route::Target;
use super::state::Api;
use crate::engine::{Image, Removed};
use serde_json::{Value, json};

/// The list entry Docker gives for an image.
fn summary(i: &Image) -> Value {
    let labels = i
        .config
        .config()
        .as_ref()
        .and_then(|c| c.labels().clone())
        .unwrap_or_default();
    json!({
        "Id": i.id,
        "ParentId": "",
        "RepoTags": i.repo_tags,
        "RepoDigests": i.repo_digests,
        "Created": i.created.timestamp(),
        "Size": i.size,
        "SharedSize": -1,
        "Labels": labels,
        "Containers": -1,
    })
}

/// `GET /images/json`.
pub async fn list(api: &Api) -> Handled {
    let mut images = api.blocking(|e| e.images()).await?;
    images.sort_by_key(|i| std::cmp::Reverse(i.created));
    ok_json(&Value::Array(images.iter().map(summary).collect()))
}

/// `GET /images/{name}/json`: the document `berth image inspect` prints.
pub async fn inspect(api: &Api, name: &str) -> Handled {
    let name = name.to_string();
    let doc = api.blocking(move |e| e.image_inspect(&name)).await?;
    ok_json(&doc)
}

/// `DELETE /images/{name}?force`: what was untagged and deleted.
pub async fn remove(api: &Api, name: &str, t: &Target) -> Handled {
    let (name, force) = (name.to_string(), t.flag("force"));
    let removed = api.blocking(move |e| e.remove_image(&name, force)).await?;
    let out: Vec<Value> = removed
        .iter()
        .map(|r| match r {
            Removed::Untagged(s) => json!({ "Untagged": s }),
            Removed::Deleted(s) => json!({ "Deleted": s }),
        })
        .collect();
    ok_json(&Value::Array(out))
}
