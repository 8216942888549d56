//! Images: list, inspect, remove. Pull (`POST /images/create`) is in `pull.rs`.

use super::body::{Handled, empty, ok_json};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::{Image, Removed};
use hyper::StatusCode;
use serde_json::{Value, json};

/// The list entry Docker gives for an image.
pub(super) fn summary(i: &Image) -> Value {
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

/// `POST /images/{name}/tag?repo&tag`: 201.
pub async fn tag(api: &Api, name: &str, t: &Target) -> Handled {
    let repo = t
        .get("repo")
        .filter(|r| !r.is_empty())
        .ok_or_else(|| ApiError::bad_request("tag needs a repository (repo=)"))?;
    let target = match t.get("tag").filter(|s| !s.is_empty()) {
        Some(tag) => format!("{repo}:{tag}"),
        None => repo.to_string(),
    };
    let source = name.to_string();
    api.blocking(move |e| e.tag_image(&source, &target)).await?;
    empty(StatusCode::CREATED)
}

/// `GET /images/{name}/history`: newest layer first, as Docker lists them.
pub async fn history(api: &Api, name: &str) -> Handled {
    let name = name.to_string();
    let rows = api.blocking(move |e| e.image_history(&name)).await?;
    let out: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "Id": r.id.clone().unwrap_or_else(|| "<missing>".into()),
                "Created": r.created.map(|t| t.timestamp()).unwrap_or(0),
                "CreatedBy": r.created_by,
                "Tags": Value::Null,
                "Size": r.size,
                "Comment": r.comment,
            })
        })
        .collect();
    ok_json(&Value::Array(out))
}
