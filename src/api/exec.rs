//! Exec instances: `POST /containers/{id}/exec` records what to run, `POST /exec/{id}/start`
//! runs it (attached over the hijacked connection, or detached), `GET /exec/{id}/json`
//! reports its exit code (what `docker exec` reads at the end), `POST /exec/{id}/resize`.

use super::body::{Handled, empty, json, ok_json};
use super::create::read_json;
use super::error::ApiError;
use super::hijack::{Streams, pump, switching};
use super::route::Target;
use super::state::{Api, ExecEntry};
use crate::engine::{ExecRequest, Frame};
use hyper::body::Incoming;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ExecConfig {
    attach_stdin: Option<bool>,
    tty: Option<bool>,
    cmd: Option<Vec<String>>,
    env: Option<Vec<String>>,
    user: Option<String>,
    working_dir: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct StartConfig {
    detach: Option<bool>,
}

fn entry(api: &Api, id: &str) -> Result<ExecEntry, ApiError> {
    api.execs
        .lock()
        .ok()
        .and_then(|m| m.get(id).cloned())
        .ok_or_else(|| ApiError::not_found(format!("no such exec instance: '{id}'")))
}

fn update(api: &Api, id: &str, f: impl FnOnce(&mut ExecEntry)) {
    if let Ok(mut m) = api.execs.lock()
        && let Some(e) = m.get_mut(id)
    {
        f(e);
    }
}

/// `POST /containers/{id}/exec`: 201 with the exec id.
pub async fn create(api: &Api, id: &str, body: Incoming) -> Handled {
    let cfg: ExecConfig = read_json(body).await?;
    let argv = cfg.cmd.unwrap_or_default();
    if argv.is_empty() {
        return Err(ApiError::bad_request("no exec command specified"));
    }
    let key = id.to_string();
    let c = api.blocking(move |e| e.container(&key)).await?;
    if c.state.status.as_str() != "running" {
        return Err(ApiError {
            status: StatusCode::CONFLICT,
            message: format!("container '{}' is not running", c.name()),
        });
    }
    let request = ExecRequest {
        argv,
        env: cfg.env.unwrap_or_default(),
        user: cfg.user.filter(|s| !s.is_empty()),
        workdir: cfg.working_dir.filter(|s| !s.is_empty()),
        tty: cfg.tty.unwrap_or(false),
        stdin: cfg.attach_stdin.unwrap_or(false),
    };
    let exec_id = random_id();
    if let Ok(mut m) = api.execs.lock() {
        m.insert(
            exec_id.clone(),
            ExecEntry {
                container: c.id().to_string(),
                request,
                running: false,
                exit_code: None,
            },
        );
    }
    Ok(json(
        StatusCode::CREATED,
        &serde_json::json!({ "Id": exec_id }),
    ))
}

/// A fresh 64-hex id.
fn random_id() -> String {
    let mut b = [0u8; 32];
    let _ = getrandom::fill(&mut b);
    hex::encode(b)
}

/// `POST /exec/{id}/start`.
pub async fn start(api: &Api, id: &str, mut req: Request<Incoming>) -> Handled {
    let e = entry(api, id)?;
    let upgrade = hyper::upgrade::on(&mut req);
    let cfg: StartConfig = read_json(req.into_body()).await.unwrap_or_default();
    let (container, request) = (e.container.clone(), e.request.clone());
    let session = api
        .blocking(move |en| en.exec(&container, &request))
        .await?;
    update(api, id, |e| e.running = true);
    let (api, key) = (api.clone(), id.to_string());
    let done = {
        let (api, key) = (api.clone(), key.clone());
        move |code| {
            update(&api, &key, |e| {
                e.running = false;
                e.exit_code = Some(code);
            })
        }
    };
    if cfg.detach.unwrap_or(false) {
        std::thread::spawn(move || {
            let mut session = session;
            while let Ok(Some(frame)) = session.recv() {
                if let Frame::Exit(code) = frame {
                    done(code);
                    break;
                }
            }
        });
        return empty(StatusCode::OK);
    }
    let streams = Streams {
        stdin: e.request.stdin,
        stdout: true,
        stderr: true,
        tty: e.request.tty,
    };
    tokio::spawn(async move {
        match upgrade.await {
            Ok(u) => pump(&api, &key, session, TokioIo::new(u), streams, done).await,
            Err(err) => tracing::debug!("exec upgrade: {err}"),
        }
    });
    switching(e.request.tty)
}

/// `GET /exec/{id}/json`.
pub async fn inspect(api: &Api, id: &str) -> Handled {
    let e = entry(api, id)?;
    ok_json(&serde_json::json!({
        "ID": id,
        "ContainerID": e.container,
        "Running": e.running,
        "ExitCode": e.exit_code,
        "OpenStdin": e.request.stdin,
        "OpenStdout": true,
        "OpenStderr": true,
        "ProcessConfig": {
            "entrypoint": e.request.argv.first(),
            "arguments": e.request.argv.get(1..).unwrap_or_default(),
            "tty": e.request.tty,
            "user": e.request.user.clone().unwrap_or_default(),
        },
        "Pid": 0,
    }))
}

/// `POST /exec/{id}/resize?h&w`.
pub async fn resize(api: &Api, id: &str, t: &Target) -> Handled {
    entry(api, id)?;
    let num = |k: &str| t.get(k).unwrap_or("0").parse::<u16>().unwrap_or(0);
    if let Some(input) = api.inputs.lock().ok().and_then(|m| m.get(id).cloned()) {
        let _ = input.resize(num("h"), num("w"));
    }
    empty(StatusCode::OK)
}
