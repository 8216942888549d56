//! What the shim does when it panics: the container cannot outlive its shim (it is tied
//! to it by PDEATHSIG), so it is ended here on purpose and its record says why, instead
//! of the container vanishing with no trace but a stale "running".

use super::cgroups::Cgroup;
use crate::engine::Engine;
use crate::engine::container::record::update_state;
use crate::engine::container::{ContainerConfig, Status};
use crate::engine::engine_event::EngineEvent;

/// The text of a panic payload (`panic!` with a literal or a formatted message).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Ends the container of a shim that panicked, releases its cgroup and socket, and records
/// the end: `exited` with exit code 137 (killed) if it was running, else left `created`
/// with 125; `error` names the panic. Emits `die`.
pub fn record_panic(engine: &Engine, config: &ContainerConfig, message: &str) {
    let id = &config.id;
    let cgroup = Cgroup::for_config(config);
    cgroup.kill_all();
    cgroup.remove();
    let _ = std::fs::remove_file(engine.paths().shim_socket(id));
    let _ = std::fs::remove_file(engine.paths().cpu_samples(id));
    let error = format!("berth shim failed: {message}");
    let mut code = 125;
    let _ = update_state(engine.paths(), id, |s| {
        if s.status.has_shim() {
            s.status = Status::Exited;
            s.exit_code = 137;
            s.finished_at = Some(chrono::Utc::now());
        } else {
            s.exit_code = 125;
        }
        code = s.exit_code;
        s.pid = 0;
        s.shim_pid = 0;
        s.error = error.clone();
    });
    engine.emit(EngineEvent::ContainerDie {
        id,
        name: &config.name,
        exit_code: code,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::container::record::{self, files};
    use crate::engine::container::{ContainerConfig, ContainerState};
    use crate::engine::store::write_json;

    fn config(id: &str) -> ContainerConfig {
        ContainerConfig {
            id: crate::engine::ContainerId::from_trusted(id),
            name: "guarded".into(),
            created: chrono::Utc::now(),
            image: "busybox:latest".into(),
            cmd: vec!["sleep".into(), "1".into()],
            network_mode: "none".into(),
            stop_signal: "SIGTERM".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_panic_is_recorded_and_the_payload_named() {
        let root = tempfile::tempdir().expect("tempdir");
        let engine = Engine::open(root.path(), Default::default()).expect("engine");
        let id = "cd".repeat(32);
        let dir = engine.paths().container(&id);
        std::fs::create_dir_all(&dir).expect("dir");
        let cfg = config(&id);
        let state = ContainerState {
            status: Status::Running,
            pid: 0,
            shim_pid: 1,
            ..Default::default()
        };
        write_json(&dir.join(files::CONFIG), &cfg).expect("config");
        write_json(&dir.join(files::STATE), &state).expect("state");

        let payload = std::panic::catch_unwind(|| panic!("boom {}", 7)).expect_err("panics");
        let message = panic_message(payload.as_ref());
        assert_eq!(message, "boom 7");
        record_panic(&engine, &cfg, &message);

        let c = record::load(engine.paths(), &id).expect("load");
        assert_eq!(c.state.status, Status::Exited);
        assert_eq!(c.state.exit_code, 137);
        assert_eq!(c.state.shim_pid, 0);
        assert_eq!(c.state.error, "berth shim failed: boom 7");
        let events = engine.events_since(None);
        assert!(
            events.iter().any(|e| e.action == "die" && e.id == id),
            "no die event: {events:?}"
        );
    }
}
