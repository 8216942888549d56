//! FROM: a stage starts from its base (an earlier stage, a local or pulled image, or
//! `scratch`), then runs the base image's ONBUILD triggers.

use super::base::{self, Stage};
use super::executor::Builder;
use super::instruction::{self, Command, Instruction};
use super::progress::BuildEvent;
use super::words;
use crate::engine::Engine;
use crate::engine::error::Result;
use std::collections::BTreeMap;
use std::time::Instant;

impl Builder<'_> {
    /// Starts a stage from its FROM line.
    pub(super) fn from(
        &mut self,
        ins: &Instruction,
        number: &mut usize,
        total: usize,
    ) -> Result<Stage> {
        let Command::From { image, alias } = &ins.command else {
            return Err(self.perr_at(ins.line, "a stage must start with FROM"));
        };
        *number += 1;
        (self.progress)(BuildEvent::Step {
            number: *number,
            total,
            text: format!("FROM {}", ins.args),
        });
        let start = Instant::now();
        let name = words::expand(image, &self.global_args, self.escape)
            .map_err(|e| self.perr_at(ins.line, e))?;
        if name.is_empty() {
            return Err(self.perr_at(
                ins.line,
                format!("FROM '{image}' expands to an empty name: expected an image"),
            ));
        }
        let (state, base_id) = {
            let mut note = |e| (self.progress)(e);
            base::resolve_base(self.engine, &name, &self.stages, self.opts, &mut note)?
        };
        let triggers = super::state::strings(&base_triggers(self.engine, &base_id));
        let mut stage = Stage {
            name: alias.clone(),
            state,
            base_id,
            args: BTreeMap::new(),
            source: String::new(),
        };
        (self.progress)(BuildEvent::StepDone {
            id: stage.state.id(),
            layer_size: None,
            elapsed: start.elapsed(),
        });
        self.run_triggers(&mut stage, triggers)?;
        Ok(stage)
    }

    /// Runs the base image's ONBUILD instructions on `stage`.
    fn run_triggers(&mut self, stage: &mut Stage, triggers: Vec<String>) -> Result<()> {
        if triggers.is_empty() {
            return Ok(());
        }
        (self.progress)(BuildEvent::Note(format!(
            "# Executing {} build trigger{}",
            triggers.len(),
            if triggers.len() == 1 { "" } else { "s" }
        )));
        for t in triggers {
            let df = instruction::parse(&format!("FROM scratch\n{t}\n"), "ONBUILD")?;
            self.step(stage, &df.instructions[1])?;
        }
        Ok(())
    }
}

/// The ONBUILD triggers of a base image's config.
fn base_triggers(engine: &Engine, base_id: &str) -> serde_json::Value {
    if base_id.is_empty() {
        return serde_json::Value::Null;
    }
    engine
        .blobs()
        .read(base_id)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .map(|v| v["config"]["OnBuild"].clone())
        .unwrap_or(serde_json::Value::Null)
}
