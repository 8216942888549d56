//! One instruction of a stage: each kind goes to its own function — config-only steps in
//! `step_config`, RUN in `step_run`, COPY and ADD in `step_copy` — that writes its history
//! text as Docker's legacy builder does and goes through the cache (`cached`).

use super::base::Stage;
use super::error::ParseError;
use super::executor::Builder;
use super::instruction::{Command, Instruction};
use super::words;
use crate::engine::error::{EngineError, Result};
use std::collections::BTreeMap;

/// Go's `%q` of a string slice: `["a" "b c"]`, as Docker's history shows commands.
pub(super) fn go_list(a: &[String]) -> String {
    let q: Vec<String> = a.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", q.join(" "))
}

/// Expands one word of an instruction (its variables already bound).
pub(super) type Expand<'v> = dyn Fn(&str) -> Result<String> + 'v;

impl Builder<'_> {
    pub(super) fn perr(&self, ins: &Instruction, msg: impl ToString) -> EngineError {
        ParseError::new(&self.file, ins.line, msg.to_string()).into()
    }

    /// An expander of words at `ins` that borrows nothing of the builder.
    pub(super) fn expander<'v>(
        &self,
        ins: &Instruction,
        vars: &'v BTreeMap<String, String>,
    ) -> impl Fn(&str) -> Result<String> + 'v {
        let (file, line, escape) = (self.file.clone(), ins.line, self.escape);
        move |w: &str| {
            words::expand(w, vars, escape)
                .map_err(|e| ParseError::new(&file, line, e.to_string()).into())
        }
    }

    /// Runs instruction `ins` (not FROM) on `stage`.
    pub fn step(&mut self, stage: &mut Stage, ins: &Instruction) -> Result<()> {
        // Line 0: made from flags (`--label`), not from the Dockerfile.
        stage.source = match ins.line {
            0 => String::new(),
            n => format!("{}:{n}", self.file),
        };
        let vars = stage.vars();
        words::check_total(&vars).map_err(|e| self.perr(ins, e))?;
        let nop = format!("{} #(nop) ", stage.state.shell().join(" "));
        let x = self.expander(ins, &vars);
        match &ins.command {
            Command::From { .. } => Err(self.perr(ins, "FROM inside a stage")),
            Command::Env(pairs) => self.env(stage, &nop, pairs, &x),
            Command::Arg(list) => self.arg(stage, &nop, list, &x),
            Command::Label(pairs) => self.label(stage, &nop, pairs, &x),
            Command::Workdir(w) => self.workdir(stage, &nop, &x(w)?),
            Command::User(u) => self.user(stage, &nop, x(u)?),
            Command::StopSignal(sig) => self.stop_signal(stage, &nop, x(sig)?),
            Command::Expose(ports) => self.expose(stage, ins, &nop, ports, &x),
            Command::Volume(vols) => self.volume(stage, &nop, vols, &x),
            Command::Cmd(form) | Command::Entrypoint(form) => {
                self.cmd_or_entrypoint(stage, ins, &nop, form)
            }
            Command::Shell(sh) => self.shell(stage, &nop, sh),
            Command::Healthcheck(h) => self.healthcheck(stage, &nop, h.as_ref()),
            Command::Onbuild(text) => self.onbuild(stage, &nop, text),
            Command::Maintainer(m) => self.maintainer(stage, &nop, m),
            Command::Run { cmd, heredocs } => self.run_step(stage, cmd, heredocs),
            Command::Copy(c) => self.copy(stage, ins, c, false, &vars),
            Command::Add(c) => self.copy(stage, ins, c, true, &vars),
        }
    }
}

/// Normalises an absolute path: no `.`, `..` stops at `/`, no trailing slash.
pub fn clean_abs(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}
