//! `build`: reads and parses the Dockerfile, checks every context source before anything
//! is made, runs the stages up to the target, and stores the last stage's image with its
//! tags — only then, so a failed build leaves no image, container or tag behind (the
//! layers of the steps that succeeded stay, as cache).

use super::base::Stage;
use super::context::Tree;
use super::dockerfile;
use super::error::ParseError;
use super::forms::quote_literal;
use super::instruction::{self, Command, Instruction};
use super::options::{BuildOptions, BuildOutcome, cancelled_error};
use super::progress::BuildEvent;
use crate::engine::build::BuildFault;
use crate::engine::engine_event::EngineEvent;
use crate::engine::error::{EngineError, Result};
use crate::engine::image::commit::LayerSource;
use crate::engine::image::reference::Reference;
use crate::engine::{Engine, ImageId};
use std::collections::{BTreeMap, HashSet};

/// The running build, shared by the steps.
pub struct Builder<'a> {
    pub(super) engine: &'a Engine,
    pub(super) opts: &'a BuildOptions,
    pub(super) file: String,
    pub(super) escape: char,
    pub(super) tree: Tree,
    pub(super) stages: Vec<Stage>,
    pub(super) build_args: BTreeMap<String, String>,
    pub(super) global_args: BTreeMap<String, String>,
    pub(super) used_args: HashSet<String>,
    pub(super) cmd_set_in_stage: bool,
    pub(super) progress: &'a mut dyn FnMut(BuildEvent),
}

/// The parsed Dockerfile cut into the ARGs before the first FROM and the stages to build.
struct Plan<'d> {
    globals: Vec<&'d Instruction>,
    stages: Vec<Vec<&'d Instruction>>,
}

impl Engine {
    /// Builds an image from a Dockerfile; `progress` hears every step.
    pub fn build(
        &self,
        opts: &BuildOptions,
        progress: &mut dyn FnMut(BuildEvent),
    ) -> Result<BuildOutcome> {
        opts.check_platform()?;
        let refs = opts
            .tags
            .iter()
            .map(|t| Reference::parse(t))
            .collect::<Result<Vec<_>>>()?;
        let tree = match &opts.context {
            Some(c) => Tree::context(c)?,
            None => Tree::empty(),
        };
        let (text, file) = dockerfile::read(opts, &tree)?;
        let df = instruction::parse(&text, &file)?;
        super::run::sweep_abandoned(self);
        let plan = Plan::of(&df.instructions, opts.target.as_deref(), &file)?;
        let mut b = Builder {
            engine: self,
            opts,
            file,
            escape: df.escape,
            tree,
            stages: Vec::new(),
            build_args: opts.build_args.clone(),
            global_args: BTreeMap::new(),
            used_args: HashSet::new(),
            cmd_set_in_stage: false,
            progress,
        };
        b.global_args = b.globals(&plan.globals)?;
        b.precheck(&plan.stages)?;
        b.run_plan(&plan)?;
        let id = b.store(&refs)?;
        let mut unused: Vec<String> = opts
            .build_args
            .keys()
            .filter(|k| !b.used_args.contains(*k))
            .cloned()
            .collect();
        unused.sort();
        Ok(BuildOutcome {
            id,
            tags: refs.iter().map(|r| r.to_string()).collect(),
            unused_args: unused,
        })
    }
}

impl<'d> Plan<'d> {
    /// Splits `all` into the global ARGs and the stages up to `target` (the last stage
    /// without one).
    fn of(all: &'d [Instruction], target: Option<&str>, file: &str) -> Result<Plan<'d>> {
        let mut globals = Vec::new();
        let mut stages: Vec<Vec<&Instruction>> = Vec::new();
        for ins in all {
            match (&ins.command, stages.last_mut()) {
                (Command::From { .. }, _) => stages.push(vec![ins]),
                (_, Some(s)) => s.push(ins),
                (_, None) => globals.push(ins),
            }
        }
        if let Some(t) = target {
            let last = stages
                .iter()
                .position(|s| matches!(&s[0].command, Command::From { alias: Some(a), .. } if a.eq_ignore_ascii_case(t)))
                .ok_or_else(|| EngineError::Invalid(format!("target stage '{t}' could not be found in {file}")))?;
            stages.truncate(last + 1);
        }
        Ok(Plan { globals, stages })
    }
}

impl Builder<'_> {
    pub(super) fn perr_at(&self, line: usize, msg: impl ToString) -> EngineError {
        ParseError::new(&self.file, line, msg.to_string()).into()
    }

    /// Announces step `number` of `total`.
    fn announce(&mut self, number: usize, total: usize, text: String) {
        (self.progress)(BuildEvent::Step {
            number,
            total,
            text,
        });
    }

    /// Runs the global ARG steps and every stage of `plan`, in order.
    fn run_plan(&mut self, plan: &Plan) -> Result<()> {
        let labels = !self.opts.labels.is_empty();
        let total = plan.globals.len()
            + plan.stages.iter().map(Vec::len).sum::<usize>()
            + usize::from(labels);
        let mut number = 0;
        for g in &plan.globals {
            // Docker's legacy builder lists the ARGs before FROM as steps of their own.
            number += 1;
            self.announce(number, total, format!("{} {}", g.keyword, g.args));
        }
        let last = plan.stages.len() - 1;
        for (i, ins_list) in plan.stages.iter().enumerate() {
            let mut stage = self.from(ins_list[0], &mut number, total)?;
            self.cmd_set_in_stage = false;
            for ins in &ins_list[1..] {
                if self.opts.cancelled() {
                    return Err(cancelled_error());
                }
                number += 1;
                self.announce(number, total, format!("{} {}", ins.keyword, ins.args));
                self.step(&mut stage, ins)?;
            }
            if i == last && labels {
                let ins = self.label_instruction();
                number += 1;
                self.announce(number, total, format!("LABEL {}", ins.args));
                self.step(&mut stage, &ins)?;
            }
            self.stages.push(stage);
        }
        Ok(())
    }

    /// `--label` flags as a LABEL instruction at the end of the last stage.
    fn label_instruction(&self) -> Instruction {
        let labels = &self.opts.labels;
        let text = labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        let pairs = labels
            .iter()
            .map(|(k, v)| (quote_literal(k), quote_literal(v)))
            .collect();
        Instruction {
            line: 0,
            keyword: "LABEL".into(),
            args: text,
            command: Command::Label(pairs),
        }
    }

    /// Stores the last stage's image with `refs`; returns its id.
    fn store(&mut self, refs: &[Reference]) -> Result<ImageId> {
        let state = self
            .stages
            .pop()
            .map(|s| s.state)
            .ok_or(BuildFault::NoStage)?;
        let layers = state
            .layers
            .iter()
            .map(|l| LayerSource::Present(l.diff_id.clone()))
            .collect();
        let engine = self.engine;
        let id = ImageId::from_trusted(engine.commit_layers(
            state.config_bytes(),
            state.manifest(),
            layers,
            Vec::new(),
            refs,
        )?);
        for r in refs {
            engine.emit(EngineEvent::ImageTag {
                id: &id,
                name: &r.to_string(),
            });
        }
        Ok(id)
    }
}
