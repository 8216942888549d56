//! Waiting for a service's dependencies before starting it: `service_started` (started
//! earlier in the order), `service_healthy` (its container's health status, as `inspect`
//! shows it in `State.Health.Status`) and `service_completed_successfully` (it exited 0).

use super::progress::Progress;
use crate::cli::Ctx;
use crate::compose::{Condition, Project, plan};
use crate::engine::Status;
use anyhow::{Result, bail};
use std::time::Duration;

/// How often a dependency's state is looked at.
const POLL: Duration = Duration::from_millis(200);

/// The health status of container `name` (`starting`, `healthy`, `unhealthy`), `None`
/// when it has no healthcheck.
fn health(ctx: &Ctx, name: &str) -> Result<(Option<String>, Status, i32)> {
    let c = ctx.engine.container(name)?;
    let doc = ctx.engine.inspect_document(&c);
    let status = doc["State"]["Health"]["Status"]
        .as_str()
        .map(str::to_string);
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
        match status.as_deref() {
            Some("healthy") => return Ok(()),
            Some("unhealthy") => bail!("dependency failed to start: container {name} is unhealthy"),
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
