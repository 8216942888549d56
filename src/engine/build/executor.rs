//! `build`: reads and parses the Dockerfile, checks every context source before anything
//! is made, runs the stages up to the target, and stores the last stage's image with its
//! tags — only then, so a failed build leaves no image, container or tag behind (the
//! layers of the steps that succeeded stay, as cache).

use super::base::{self, Stage};
use super::context::Tree;
use super::error::ParseError;
use super::forms::quote_literal;
use super::instruction::{self, Command, Instruction};
use super::progress::BuildEvent;
use super::words;
use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use crate::engine::image::commit::LayerSource;
use crate::engine::image::reference::Reference;
use crate::engine::registry::RegistryOptions;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What `build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The context directory; None for no context (`build -` with a Dockerfile on stdin).
    pub context: Option<PathBuf>,
    /// `-f`: the Dockerfile's path (default `<context>/Dockerfile`).
    pub dockerfile: Option<PathBuf>,
    /// The Dockerfile's text when it does not come from a file (stdin).
    pub dockerfile_text: Option<String>,
    /// `-t`, in order.
    pub tags: Vec<String>,
    /// `--build-arg K=V`.
    pub build_args: BTreeMap<String, String>,
    /// `--no-cache`.
    pub no_cache: bool,
    /// `--target`.
    pub target: Option<String>,
    /// `--label`.
    pub labels: BTreeMap<String, String>,
    /// The network RUN steps use (`none` unless configured).
    pub network: String,
    /// Registry settings for pulling missing base images.
    pub registries: RegistryOptions,
    /// Set to stop the build (between steps, and a RUN's container is killed).
    pub cancel: Option<Arc<AtomicBool>>,
}

impl BuildOptions {
    /// Whether the build was asked to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
    }
}

/// The error of a build that was asked to stop.
pub fn cancelled_error() -> EngineError {
    EngineError::Conflict("the build was cancelled".into())
}

/// What a build made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOutcome {
    /// The image id (`sha256:...`).
    pub id: String,
    /// The references tagged, as stored (`name:tag`).
    pub tags: Vec<String>,
    /// Build arguments given but declared by no ARG.
    pub unused_args: Vec<String>,
}

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

impl Engine {
    /// Builds an image from a Dockerfile; `progress` hears every step.
    pub fn build(
        &self,
        opts: &BuildOptions,
        progress: &mut dyn FnMut(BuildEvent),
    ) -> Result<BuildOutcome> {
        let refs = opts
            .tags
            .iter()
            .map(|t| Reference::parse(t))
            .collect::<Result<Vec<_>>>()?;
        let (text, file) = read_dockerfile(opts)?;
        let df = instruction::parse(&text, &file)?;
        let tree = match &opts.context {
            Some(c) => Tree::context(c).map_err(EngineError::Invalid)?,
            None => Tree::empty(),
        };
        super::run::sweep_abandoned(self);
        let (globals, stages) = split_stages(&df.instructions);
        let last = match &opts.target {
            None => stages.len() - 1,
            Some(t) => stages
                .iter()
                .position(|s| matches!(&s[0].command, Command::From { alias: Some(a), .. } if a.eq_ignore_ascii_case(t)))
                .ok_or_else(|| EngineError::Invalid(format!("target stage '{t}' could not be found in {file}")))?,
        };
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
        b.global_args = b.globals(&globals)?;
        b.precheck(&stages[..=last])?;
        let mut total: usize = globals.len() + stages[..=last].iter().map(Vec::len).sum::<usize>();
        if !opts.labels.is_empty() {
            total += 1;
        }
        let mut number = 0;
        for g in &globals {
            // Docker's legacy builder lists the ARGs before FROM as steps of their own.
            number += 1;
            (b.progress)(BuildEvent::Step {
                number,
                total,
                text: format!("{} {}", g.keyword, g.args),
            });
        }
        for (i, ins_list) in stages[..=last].iter().enumerate() {
            let mut stage = b.from(ins_list[0], &mut number, total)?;
            b.cmd_set_in_stage = false;
            for ins in &ins_list[1..] {
                if opts.cancelled() {
                    return Err(cancelled_error());
                }
                number += 1;
                (b.progress)(BuildEvent::Step {
                    number,
                    total,
                    text: format!("{} {}", ins.keyword, ins.args),
                });
                b.step(&mut stage, ins)?;
            }
            if i == last && !opts.labels.is_empty() {
                let text = opts
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let pairs = opts
                    .labels
                    .iter()
                    .map(|(k, v)| (quote_literal(k), quote_literal(v)))
                    .collect();
                let ins = Instruction {
                    line: 0,
                    keyword: "LABEL".into(),
                    args: text.clone(),
                    command: Command::Label(pairs),
                };
                number += 1;
                (b.progress)(BuildEvent::Step {
                    number,
                    total,
                    text: format!("LABEL {text}"),
                });
                b.step(&mut stage, &ins)?;
            }
            b.stages.push(stage);
        }
        let state = b
            .stages
            .pop()
            .map(|s| s.state)
            .ok_or_else(|| EngineError::Other("no stage was built".into()))?;
        let layers = state
            .layers
            .iter()
            .map(|l| LayerSource::Present(l.diff_id.clone()))
            .collect();
        let id = self.commit_layers(
            state.config_bytes(),
            state.manifest(),
            layers,
            Vec::new(),
            &refs,
        )?;
        for r in &refs {
            self.emit("image", "tag", &id, &[("name", &r.to_string())]);
        }
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

fn read_dockerfile(opts: &BuildOptions) -> Result<(String, String)> {
    if let Some(t) = &opts.dockerfile_text {
        return Ok((t.clone(), "Dockerfile".into()));
    }
    let path = match (&opts.dockerfile, &opts.context) {
        (Some(f), _) => f.clone(),
        (None, Some(c)) => c.join("Dockerfile"),
        (None, None) => {
            return Err(EngineError::Invalid(
                "no Dockerfile: give one with -f or on stdin".into(),
            ));
        }
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Dockerfile".into());
    let text = std::fs::read_to_string(&path).map_err(|e| {
        EngineError::Invalid(format!("cannot read Dockerfile '{}': {e}", path.display()))
    })?;
    Ok((text, name))
}

/// The ARGs before the first FROM, and the stages (each starting with its FROM).
fn split_stages(all: &[Instruction]) -> (Vec<&Instruction>, Vec<Vec<&Instruction>>) {
    let mut globals = Vec::new();
    let mut stages: Vec<Vec<&Instruction>> = Vec::new();
    for ins in all {
        match (&ins.command, stages.last_mut()) {
            (Command::From { .. }, _) => stages.push(vec![ins]),
            (_, Some(s)) => s.push(ins),
            (_, None) => globals.push(ins),
        }
    }
    (globals, stages)
}

impl Builder<'_> {
    fn perr_at(&self, line: usize, msg: impl Into<String>) -> EngineError {
        ParseError::new(&self.file, line, msg).into()
    }

    /// The values of the ARGs before the first FROM (for FROM lines and stage ARGs).
    fn globals(&mut self, globals: &[&Instruction]) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        for ins in globals {
            if let Command::Arg(list) = &ins.command {
                for (name, dflt) in list {
                    self.used_args.insert(name.clone());
                    let v = match (self.build_args.get(name), dflt) {
                        (Some(v), _) => Some(v.clone()),
                        (None, Some(d)) => Some(
                            words::expand(d, &out, self.escape)
                                .map_err(|e| self.perr_at(ins.line, e))?,
                        ),
                        (None, None) => None,
                    };
                    if let Some(v) = v {
                        out.insert(name.clone(), v);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Starts a stage from its FROM line.
    fn from(&mut self, ins: &Instruction, number: &mut usize, total: usize) -> Result<Stage> {
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
            base::resolve_base(
                self.engine,
                &name,
                &self.stages,
                &self.opts.registries,
                &mut note,
            )?
        };
        let triggers = super::state::strings(&base_triggers(self.engine, &base_id));
        let mut stage = Stage {
            name: alias.clone(),
            state,
            base_id,
            args: BTreeMap::new(),
        };
        (self.progress)(BuildEvent::StepDone {
            id: stage.state.id(),
            layer_size: None,
            elapsed: start.elapsed(),
        });
        if !triggers.is_empty() {
            (self.progress)(BuildEvent::Note(format!(
                "# Executing {} build trigger{}",
                triggers.len(),
                if triggers.len() == 1 { "" } else { "s" }
            )));
            for t in triggers {
                let df = instruction::parse(&format!("FROM scratch\n{t}\n"), "ONBUILD")?;
                self.step(&mut stage, &df.instructions[1])?;
            }
        }
        Ok(stage)
    }

    /// Checks every context source of the stages before anything runs, so a hostile or
    /// mistaken COPY fails without leaving layers behind. Variables come from the build
    /// arguments, ARG defaults and ENV lines seen so far (not from the base image's ENV).
    fn precheck(&self, stages: &[Vec<&Instruction>]) -> Result<()> {
        for stage in stages {
            let mut vars = self.global_args.clone();
            for ins in stage {
                let x = |w: &str, vars: &BTreeMap<String, String>| {
                    words::expand(w, vars, self.escape).map_err(|e| self.perr_at(ins.line, e))
                };
                match &ins.command {
                    Command::Arg(list) => {
                        for (n, d) in list {
                            if let Some(v) = self
                                .build_args
                                .get(n)
                                .cloned()
                                .or(d.as_ref().map(|d| x(d, &vars)).transpose()?)
                            {
                                vars.insert(n.clone(), v);
                            }
                        }
                    }
                    Command::Env(pairs) => {
                        for (k, v) in pairs {
                            let (k, v) = (x(k, &vars)?, x(v, &vars)?);
                            vars.insert(k, v);
                        }
                    }
                    Command::Copy(c) | Command::Add(c) if c.from.is_none() => {
                        for s in c.sources.iter().filter(|s| !s.starts_with("<<")) {
                            let s = x(s, &vars)?;
                            if !s.contains("://") {
                                self.tree
                                    .resolve(&s, &ins.keyword)
                                    .map_err(|e| self.perr_at(ins.line, e))?;
                            }
                        }
                    }
                    _ => {}
                }
            }
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
