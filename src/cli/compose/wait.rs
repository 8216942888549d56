//! Waiting for a service's dependencies before starting it: `service_started` (started
//! earlier in the order), `service_healthy` (its container's health status, the engine's
//! `State.Health`) and `service_completed_successfully` (it exited 0).

use super::progress::Progress;
use crate::cli::Ctx;
use crate::compose::{Condition, Project, plan};
use crate::engine::{HealthStatus, Status};
use anyhow::{Result, bail};
use std::time::Duration;

/// How often a dependency's state is looked at.
const POLL: Duration = Duration::from_millis(200);

/// The health status of container `name` (`None` when it has no healthcheck), its state
/// and its exit code.
fn health(ctx: &Ctx, name: &str) -> Result<(Option<HealthStatus>, Status, i32)> {
    let c = ctx.engine.container(name)?;
    let status = c.config.active_healthcheck().map(|_| {
        c.state
            .health
            .as_ref()
            .map(|h| h.status)
            .unwrap_or(HealthStatus::Starting)
    });
    Ok((status, c.state.status, c.state.exit_code))
}

/// Waits until every dependency of service `key` (that is part of this run) is ready.
pub fn dependencies(
    ctx: &Ctx,
    p: &Project,
    key: &str,
    selected: &[String],
    progress: &Progress,
) -> Result<()> {
    let svc = p.service(key)?;
    for (dep, d) in &svc.depends_on {
        if !selected.contains(dep) || d.condition == Condition::ServiceStarted {
            continue;
        }
        let name = plan::container_name(p, dep, 1);
        progress.working("Container", &name, "Waiting");
        match d.condition {
            Condition::ServiceHealthy => healthy(ctx, &name)?,
            Condition::ServiceCompletedSuccessfully => {
                let code = ctx.engine.wait_container(&name)?;
                if code != 0 {
                    progress.failed(
                        "Container",
                        &name,
                        &format!("service \"{dep}\" didn't complete successfully: exit {code}"),
                    );
                    bail!("service \"{dep}\" didn't complete successfully: exit {code}");
                }
                progress.done("Container", &name, "Exited");
                continue;
            }
            Condition::ServiceStarted => {}
        }
        progress.done("Container", &name, "Healthy");
    }
    Ok(())
}

/// Waits until container `name` is healthy.
pub fn healthy(ctx: &Ctx, name: &str) -> Result<()> {
    loop {
        let (status, state, code) = health(ctx, name)?;
        match status {
            Some(HealthStatus::Healthy) => return Ok(()),
            Some(HealthStatus::Unhealthy) => {
                bail!("dependency failed to start: container {name} is unhealthy")
            }
            None => {
                bail!("dependency failed to start: container {name} has no healthcheck configured")
            }
            _ => {}
        }
        if !matches!(
            state,
            Status::Running | Status::Restarting | Status::Created
        ) {
            bail!("dependency failed to start: container {name} exited ({code})");
        }
        std::thread::sleep(POLL);
    }
}
