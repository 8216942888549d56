//! RUN: the command line (exec form, shell form, or a shell script from heredocs), the
//! build arguments it sees, and its history text (`|N K=V ... cmd`, as Docker writes it);
//! the container itself is `run`'s.

use super::base::Stage;
use super::executor::Builder;
use super::instruction::CmdForm;
use super::lexer::Heredoc;
use super::run::{self, RunSpec};
use crate::engine::error::Result;

/// The argv of a RUN: exec form as is, else the stage's shell with the command (and the
/// heredoc bodies it names appended as a script).
fn run_argv(shell: Vec<String>, cmd: &CmdForm, heredocs: &[Heredoc]) -> Vec<String> {
    match cmd {
        CmdForm::Exec(a) => a.clone(),
        CmdForm::Shell(s) if heredocs.is_empty() => shell.into_iter().chain([s.clone()]).collect(),
        CmdForm::Shell(s) => {
            let rest: Vec<&str> = s
                .split_whitespace()
                .filter(|w| !w.starts_with("<<"))
                .collect();
            let script = if rest.is_empty() {
                heredocs.iter().map(|h| h.body.as_str()).collect::<String>()
            } else {
                let mut t = format!("{s}\n");
                for h in heredocs {
                    t.push_str(&h.body);
                    t.push_str(&h.name);
                    t.push('\n');
                }
                t
            };
            shell.into_iter().chain([script]).collect()
        }
    }
}

impl Builder<'_> {
    /// Runs a RUN step (through the cache).
    pub(super) fn run_step(
        &mut self,
        stage: &mut Stage,
        cmd: &CmdForm,
        heredocs: &[Heredoc],
    ) -> Result<()> {
        let argv = run_argv(stage.state.shell(), cmd, heredocs);
        let env_now = stage.state.env();
        // Build arguments an ENV of the same name does not hide.
        let args: Vec<String> = stage
            .args
            .iter()
            .filter(|(k, _)| {
                !env_now
                    .iter()
                    .any(|e| e.split('=').next() == Some(k.as_str()))
            })
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let mut created_by = argv.join(" ");
        if !args.is_empty() {
            created_by = format!("|{} {} {created_by}", args.len(), args.join(" "));
        }
        let mut env = env_now;
        env.extend(args.iter().cloned());
        let spec = RunSpec {
            argv,
            env,
            network: self.opts.network.clone(),
            created_by: created_by.clone(),
        };
        let base_id = stage.base_id.clone();
        self.layered(stage, created_by, String::new(), |b, state| {
            run::run(
                b.engine,
                state,
                &base_id,
                &spec,
                &|| b.opts.cancelled(),
                b.progress,
            )
        })
    }
}
