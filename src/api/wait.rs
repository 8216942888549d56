//! `POST /containers/{id}/wait?condition=`: the headers leave at once (the docker CLI
//! waits for them before it starts the container), the exit code follows in the body.

use super::body::{Handled, channel};
use super::error::ApiError;
use super::route::Target;
use super::state::Api;
use crate::engine::{Container, Engine, EngineError, Status};
use bytes::Bytes;
use std::time::Duration;

/// Docker's wait conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Condition {
    NotRunning,
    NextExit,
    Removed,
}

fn condition(t: &Target) -> Result<Condition, ApiError> {
    match t.get("condition").unwrap_or("") {
        "" | "not-running" => Ok(Condition::NotRunning),
        "next-exit" => Ok(Condition::NextExit),
        "removed" => Ok(Condition::Removed),
        other => Err(ApiError::bad_request(format!(
            "invalid condition '{other}': use not-running, next-exit or removed"
        ))),
    }
}

fn running(c: &Container) -> bool {
    matches!(
        c.state.status,
        Status::Running | Status::Paused | Status::Restarting
    )
}

/// The container's record now, `None` once it is gone.
async fn current(engine: &Engine, id: &str) -> Option<Container> {
    let (engine, id) = (engine.clone(), id.to_string());
    tokio::task::spawn_blocking(move || match engine.container(&id) {
        Err(EngineError::NoSuchContainer(_)) => None,
        other => other.ok(),
    })
    .await
    .ok()
    .flatten()
}

/// Waits for the exit `cond` asks for; its code.
async fn exit_code(api: &Api, first: Container, cond: Condition, mark: u64) -> i32 {
    let id = first.id().to_string();
    if cond == Condition::NotRunning && !running(&first) {
        return first.state.exit_code;
    }
    let mut last = first.state.exit_code;
    loop {
        if let Some(code) = api.exits.after(&id, mark) {
            return code;
        }
        match current(&api.engine, &id).await {
            None => return last,
            Some(c) if running(&c) => {
                let engine = api.engine.clone();
                let key = id.clone();
                let waited = tokio::task::spawn_blocking(move || engine.wait_container(&key)).await;
                if let Some(code) = api.exits.after(&id, mark) {
                    return code;
                }
                if let Ok(Ok(code)) = waited {
                    return code;
                }
            }
            Some(c) => {
                // Exited since the request came (started and finished by someone else).
                if c.state.finished_at != first.state.finished_at && c.state.finished_at.is_some() {
                    return c.state.exit_code;
                }
                last = c.state.exit_code;
            }
        }
        api.exits.changed(Duration::from_millis(100)).await;
    }
}

/// Waits until the container record is gone (its `--rm` done).
async fn removed(api: &Api, id: &str) {
    while current(&api.engine, id).await.is_some() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `POST /containers/{id}/wait`.
pub async fn wait(api: &Api, id: &str, t: &Target) -> Handled {
    let cond = condition(t)?;
    let mark = api.exits.mark();
    let key = id.to_string();
    let first = api.blocking(move |e| e.container(&key)).await?;
    let (tx, reply) = channel("application/json");
    let api = api.clone();
    tokio::spawn(async move {
        let id = first.id().to_string();
        let code = exit_code(&api, first, cond, mark).await;
        if cond == Condition::Removed {
            removed(&api, &id).await;
        }
        let doc = serde_json::json!({ "StatusCode": code, "Error": null });
        let _ = tx.send(Bytes::from(format!("{doc}\n"))).await;
    });
    Ok(reply)
}
