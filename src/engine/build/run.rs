//! RUN: the command in a real container of the runtime (its own record, shim, namespaces
//! and cgroup, network `none` unless the default network says otherwise), its output
//! streamed, and its read-write layer's diff turned into the step's layer. The container
//! goes away whatever happens.

use super::layer::{LayerBuilder, Made, append_upper};
use super::progress::BuildEvent;
use super::state::ImageState;
use crate::engine::container::{ContainerConfig, NetConfig, Resources, RestartPolicy};
use crate::engine::error::{EngineError, Result};
use crate::engine::lifecycle::create::DEFAULT_PATH;
use crate::engine::runtime::protocol::{Decoder, FrameKind};
use crate::engine::runtime::storage::{Driver, driver};
use crate::engine::{ContainerId, Engine, ImageId};
use std::collections::BTreeMap;

/// What to run.
pub struct RunSpec {
    /// The full argv (the shell and the command, or the exec form).
    pub argv: Vec<String>,
    /// The environment: the image's plus the build arguments in scope.
    pub env: Vec<String>,
    /// The network to run on.
    pub network: String,
    /// The history text, also used in the failure message.
    pub created_by: String,
}

/// Removes the build container when dropped.
struct Guard<'a> {
    engine: &'a Engine,
    id: ContainerId,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        let _ = self.engine.remove_container(&self.id, true, false);
    }
}

/// The label every build container carries.
pub const BUILD_LABEL: &str = "berth.build";

/// Removes build containers left by a build that was killed (its CLI interrupted): those
/// not running for a minute or more. A live build removes its own container at once.
pub fn sweep_abandoned(engine: &Engine) {
    let Ok(all) = engine.containers() else {
        return;
    };
    let now = chrono::Utc::now();
    for c in all {
        let stale = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.is_none_or(|t| now.signed_duration_since(t).num_seconds() >= 60)
        };
        if c.config.labels.contains_key(BUILD_LABEL)
            && !c.state.status.has_shim()
            && stale(c.state.finished_at)
            && stale(Some(c.config.created))
        {
            let _ = engine.remove_container(c.id(), true, false);
        }
    }
}

/// Runs `spec` on top of `state`; returns the new layer, or the command's failure.
pub fn run(
    engine: &Engine,
    state: &ImageState,
    image_id: &str,
    spec: &RunSpec,
    cancel: &dyn Fn() -> bool,
    progress: &mut dyn FnMut(BuildEvent),
) -> Result<Made> {
    if driver() == Driver::Copy {
        return Err(EngineError::Invalid(
            "RUN needs the overlay storage driver: the copy driver keeps no diff of a container's changes".into(),
        ));
    }
    let id = ContainerId::random();
    let name = format!("build-{}", id.short());
    let mut env = spec.env.clone();
    if !env.iter().any(|e| e.starts_with("PATH=")) {
        env.insert(0, DEFAULT_PATH.to_string());
    }
    let str_of = |k: &str| state.cfg(k).as_str().unwrap_or_default().to_string();
    let workdir = str_of("WorkingDir");
    let config = ContainerConfig {
        id: id.clone(),
        name: name.clone(),
        created: chrono::Utc::now(),
        image: image_id.to_string(),
        image_id: ImageId::from_trusted(image_id),
        layers: state.chains(),
        entrypoint: Vec::new(),
        cmd: spec.argv.clone(),
        env,
        working_dir: if workdir.is_empty() {
            "/".into()
        } else {
            workdir
        },
        user: str_of("User"),
        hostname: id.short().to_string(),
        labels: BTreeMap::from([(BUILD_LABEL.to_string(), "true".to_string())]),
        tty: false,
        open_stdin: false,
        mounts: Vec::new(),
        read_only: false,
        resources: Resources::default(),
        restart: RestartPolicy {
            name: "no".into(),
            max_retry: 0,
        },
        auto_remove: false,
        security: Default::default(),
        network_mode: spec.network.clone(),
        net: NetConfig::default(),
        stop_signal: "SIGTERM".into(),
        stop_timeout: None,
        // A build step's output goes to the build's progress, never rotated away.
        log_config: Default::default(),
        // RUN steps are not probed, whatever HEALTHCHECK the stage has.
        healthcheck: None,
        shell: Vec::new(),
    };
    let attached = engine.attach_record(&spec.network, &id, &name, &[], None)?;
    if let Err(e) = engine.write_new_container(&config) {
        if attached.is_some() {
            crate::engine::network::ops::release_container(engine.paths(), &id);
        }
        return Err(e);
    }
    let guard = Guard {
        engine,
        id: id.clone(),
    };
    progress(BuildEvent::Running(id.clone()));
    let mut stream = engine.start_container_attached(&id)?;
    let code = frames(&mut stream, cancel, progress)?;
    drop(stream);
    // Wait for the shim to record the exit (the container's mounts are gone then).
    let recorded = engine.wait_container(&id)?;
    let code = code.unwrap_or(recorded);
    if code != 0 {
        return Err(EngineError::Exec {
            message: format!(
                "The command '{}' returned a non-zero code: {code}",
                spec.created_by
            ),
            // As dockerd: `docker build` exits with the failing RUN's code.
            code,
        });
    }
    let upper = engine.paths().container(&id).join("rw").join("upper");
    let mut layer = LayerBuilder::new(engine)?;
    append_upper(layer.tar(), &upper)?;
    let made = layer.finish(engine, state)?;
    drop(guard);
    Ok(made)
}

/// Streams the container's output until its exit frame (its code), the end of the stream
/// (None), or a cancel (an error; the caller's guard kills the container).
fn frames(
    stream: &mut std::os::unix::net::UnixStream,
    cancel: &dyn Fn() -> bool,
    progress: &mut dyn FnMut(BuildEvent),
) -> Result<Option<i32>> {
    use std::io::Read;
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_millis(100)));
    let mut dec = Decoder::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if cancel() {
            return Err(super::options::cancelled_error());
        }
        let n = match stream.read(&mut buf) {
            Ok(0) => return Ok(None),
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                ) =>
            {
                continue;
            }
            Err(_) => return Ok(None),
        };
        dec.feed(&buf[..n]);
        while let Ok(Some((kind, data))) = dec.next_frame() {
            match kind {
                FrameKind::Stdout | FrameKind::Stderr => progress(BuildEvent::Output(data)),
                FrameKind::Exit if data.len() == 4 => {
                    return Ok(Some(i32::from_be_bytes([
                        data[0], data[1], data[2], data[3],
                    ])));
                }
                _ => {}
            }
        }
    }
}
