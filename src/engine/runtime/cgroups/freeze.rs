//! Freezing and thawing a container's processes (`pause`, `unpause`).

use super::super::error::{Result, RuntimeError};
use super::{Cgroup, Layout, write};
use std::fs;
use std::time::Duration;

impl Cgroup {
    /// Freezes (`pause`) or thaws (`unpause`) every process in the cgroup, and waits until
    /// the kernel says it is done (freezing is asynchronous: v1 shows `FREEZING`, v2's
    /// `cgroup.events` says `frozen 0` until every task has stopped), as runc does. A freeze
    /// that does not finish in a few seconds is undone and reported.
    pub fn set_frozen(&self, frozen: bool) -> Result<()> {
        let (d, file, value, state_file, done) = match self.layout {
            Layout::V1 => {
                let d = self.dir("freezer").ok_or(RuntimeError::Cgroup(
                    "the freezer cgroup controller is not mounted",
                ))?;
                let (value, done) = if frozen {
                    ("FROZEN", "FROZEN")
                } else {
                    ("THAWED", "THAWED")
                };
                (d, "freezer.state", value, "freezer.state", done)
            }
            Layout::V2 => {
                let d = self
                    .dir("unified")
                    .ok_or(RuntimeError::Cgroup("the container has no cgroup"))?;
                let (value, done) = if frozen {
                    ("1", "frozen 1")
                } else {
                    ("0", "frozen 0")
                };
                (d, "cgroup.freeze", value, "cgroup.events", done)
            }
        };
        write(d, file, value)?;
        let reached = || {
            fs::read_to_string(d.join(state_file))
                .map(|s| s.lines().any(|l| l.trim() == done))
                // Unreadable: nothing to wait for.
                .unwrap_or(true)
        };
        for _ in 0..500 {
            if reached() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if frozen {
            let _ = self.set_frozen(false);
            return Err(RuntimeError::FreezeTimeout(d.to_path_buf()));
        }
        Ok(())
    }

    /// Whether the cgroup is frozen or being frozen (`pause`): a process joining it now
    /// would stop at once.
    pub fn is_frozen(&self) -> bool {
        let (file, thawed) = match self.layout {
            Layout::V1 => ("freezer.state", "THAWED"),
            Layout::V2 => ("cgroup.freeze", "0"),
        };
        let controller = if self.layout == Layout::V1 {
            "freezer"
        } else {
            "unified"
        };
        self.dir(controller)
            .and_then(|d| fs::read_to_string(d.join(file)).ok())
            .is_some_and(|s| s.trim() != thawed)
    }
}
