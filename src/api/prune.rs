//! `POST /{containers,images,volumes,networks}/prune`: Docker's reports of what went.

use super::body::{Handled, ok_json};
use super::route::Target;
use super::state::Api;
use crate::engine::Removed;
use serde_json::{Value, json};

/// `POST /containers/prune`.
pub async fn containers(api: &Api) -> Handled {
    let r = api.blocking(|e| e.prune_containers()).await?;
    ok_json(&json!({ "ContainersDeleted": r.deleted, "SpaceReclaimed": r.reclaimed }))
}

/// `POST /images/prune?filters={"dangling":["false"]}` (false: every unused image).
pub async fn images(api: &Api, t: &Target) -> Handled {
    let all = super::containers::filters(t)?
        .iter()
        .any(|(k, v)| k == "dangling" && matches!(v.as_str(), "false" | "0"));
    let (removed, reclaimed) = api
        .blocking(move |e| e.prune_images(all).map(|p| (p.removed, p.reclaimed)))
        .await?;
    let deleted: Vec<Value> = removed
        .iter()
        .map(|r| match r {
            Removed::Untagged(s) => json!({ "Untagged": s }),
            Removed::Deleted(s) => json!({ "Deleted": s }),
        })
        .collect();
    ok_json(&json!({ "ImagesDeleted": deleted, "SpaceReclaimed": reclaimed }))
}

/// `POST /volumes/prune?filters={"all":["true"]}` (without: anonymous volumes only; every
/// unused one for clients older than API 1.42, as dockerd does).
pub async fn volumes(api: &Api, t: &Target) -> Handled {
    let all = t.older_than(1, 42)
        || super::containers::filters(t)?
            .iter()
            .any(|(k, v)| k == "all" && matches!(v.as_str(), "true" | "1"));
    let r = api.blocking(move |e| e.prune_volumes(all)).await?;
    ok_json(&json!({ "VolumesDeleted": r.deleted, "SpaceReclaimed": r.reclaimed }))
}

/// `POST /networks/prune`.
pub async fn networks(api: &Api) -> Handled {
    let deleted = api.blocking(|e| e.prune_networks()).await?;
    ok_json(&json!({ "NetworksDeleted": deleted }))
}
