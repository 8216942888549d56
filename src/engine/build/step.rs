//! One instruction of a stage: its history text as Docker's legacy builder writes it, its
//! cache key, and what it does to the image (a new layer or only the config).

use super::base::{self, Stage};
use super::cache;
use super::copy::CopyPlan;
use super::error::ParseError;
use super::executor::Builder;
use super::instruction::{CmdForm, Command, CopyArgs, Instruction};
use super::layer::{LayerBuilder, Made};
use super::progress::BuildEvent;
use super::run::{self, RunSpec};
use super::state::{ImageState, strings};
use super::words;
use crate::engine::error::{EngineError, Result};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Instant;

/// Go's `%q` of a string slice: `["a" "b c"]`, as Docker's history shows commands.
fn go_list(a: &[String]) -> String {
    let q: Vec<String> = a.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", q.join(" "))
}

impl Builder<'_> {
    fn perr(&self, ins: &Instruction, msg: impl Into<String>) -> EngineError {
        ParseError::new(&self.file, ins.line, msg).into()
    }

    /// An expander of words at `ins` that borrows nothing of the builder.
    fn expander<'v>(
        &self,
        ins: &Instruction,
        vars: &'v BTreeMap<String, String>,
    ) -> impl Fn(&str) -> Result<String> + 'v {
        let (file, line, escape) = (self.file.clone(), ins.line, self.escape);
        move |w: &str| {
            words::expand(w, vars, escape).map_err(|e| ParseError::new(&file, line, e).into())
        }
    }

    /// Runs instruction `ins` (not FROM) on `stage`.
    pub fn step(&mut self, stage: &mut Stage, ins: &Instruction) -> Result<()> {
        let vars = stage.vars();
        let nop = format!("{} #(nop) ", stage.state.shell().join(" "));
        let x = self.expander(ins, &vars);
        match &ins.command {
            Command::From { .. } => Err(self.perr(ins, "FROM inside a stage")),
            Command::Env(pairs) => {
                let mut set = Vec::new();
                for (k, v) in pairs {
                    set.push((x(k)?, x(v)?));
                }
                let text = set
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                self.meta(stage, format!("{nop} ENV {text}"), move |s| {
                    for (k, v) in &set {
                        s.set_env(k, v);
                    }
                })
            }
            Command::Arg(list) => {
                let mut shown = Vec::new();
                for (name, dflt) in list {
                    self.used_args.insert(name.clone());
                    let value = match self.build_args.get(name) {
                        Some(v) => Some(v.clone()),
                        None => match dflt {
                            Some(d) => Some(x(d)?),
                            None => self.global_args.get(name).cloned(),
                        },
                    };
                    shown.push(match &dflt {
                        Some(d) => format!("{name}={d}"),
                        None => name.clone(),
                    });
                    if let Some(v) = value {
                        stage.args.insert(name.clone(), v);
                    }
                }
                self.meta(stage, format!("{nop} ARG {}", shown.join(" ")), |_| {})
            }
            Command::Label(pairs) => {
                let mut set = Vec::new();
                for (k, v) in pairs {
                    set.push((x(k)?, x(v)?));
                }
                let text = set
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                self.meta(stage, format!("{nop} LABEL {text}"), move |s| {
                    let labels = s.cfg_mut().entry("Labels").or_insert_with(|| json!({}));
                    if !labels.is_object() {
                        *labels = json!({});
                    }
                    for (k, v) in &set {
                        labels[k] = json!(v);
                    }
                })
            }
            Command::Workdir(w) => {
                let w = x(w)?;
                let cur = stage
                    .state
                    .cfg("WorkingDir")
                    .as_str()
                    .unwrap_or("/")
                    .to_string();
                let dir = if w.starts_with('/') {
                    w
                } else {
                    format!("{}/{w}", cur.trim_end_matches('/'))
                };
                let dir = clean_abs(&dir);
                self.meta(stage, format!("{nop}WORKDIR {dir}"), move |s| {
                    s.cfg_mut().insert("WorkingDir".into(), json!(dir));
                })
            }
            Command::User(u) => {
                let u = x(u)?;
                self.meta(stage, format!("{nop} USER {u}"), move |s| {
                    s.cfg_mut().insert("User".into(), json!(u));
                })
            }
            Command::StopSignal(sig) => {
                let sig = x(sig)?;
                self.meta(stage, format!("{nop} STOPSIGNAL {sig}"), move |s| {
                    s.cfg_mut().insert("StopSignal".into(), json!(sig));
                })
            }
            Command::Expose(ports) => {
                let mut set = Vec::new();
                for p in ports {
                    let p = x(p)?;
                    let (port, proto) = p.split_once('/').unwrap_or((&p, "tcp"));
                    if port.split('-').any(|n| n.parse::<u16>().is_err())
                        || !matches!(proto, "tcp" | "udp" | "sctp")
                    {
                        return Err(self.perr(
                            ins,
                            format!("invalid port '{p}': expected PORT[/tcp|udp|sctp]"),
                        ));
                    }
                    set.push(format!("{port}/{proto}"));
                }
                self.meta(stage, format!("{nop} EXPOSE {}", set.join(" ")), move |s| {
                    let e = s
                        .cfg_mut()
                        .entry("ExposedPorts")
                        .or_insert_with(|| json!({}));
                    for p in &set {
                        e[p] = json!({});
                    }
                })
            }
            Command::Volume(vols) => {
                let mut set = Vec::new();
                for v in vols {
                    set.push(x(v)?);
                }
                self.meta(
                    stage,
                    format!("{nop} VOLUME [{}]", set.join(" ")),
                    move |s| {
                        let e = s.cfg_mut().entry("Volumes").or_insert_with(|| json!({}));
                        for v in &set {
                            e[v] = json!({});
                        }
                    },
                )
            }
            Command::Cmd(form) | Command::Entrypoint(form) => {
                let key = if ins.keyword == "CMD" {
                    "Cmd"
                } else {
                    "Entrypoint"
                };
                let argv = match form {
                    CmdForm::Exec(a) => a.clone(),
                    CmdForm::Shell(s) => {
                        stage.state.shell().into_iter().chain([s.clone()]).collect()
                    }
                };
                let reset_cmd = key == "Entrypoint" && !self.cmd_set_in_stage;
                if key == "Cmd" {
                    self.cmd_set_in_stage = true;
                }
                self.meta(
                    stage,
                    format!("{nop} {} {}", ins.keyword, go_list(&argv)),
                    move |s| {
                        s.cfg_mut().insert(key.into(), json!(argv));
                        if reset_cmd {
                            // As in Docker, ENTRYPOINT clears a CMD inherited from the base.
                            s.cfg_mut().insert("Cmd".into(), Value::Null);
                        }
                    },
                )
            }
            Command::Shell(sh) => {
                let sh = sh.clone();
                self.meta(stage, format!("{nop} SHELL {}", go_list(&sh)), move |s| {
                    s.cfg_mut().insert("Shell".into(), json!(sh));
                })
            }
            Command::Healthcheck(h) => {
                let (text, value) = match h {
                    None => ("NONE".to_string(), json!({"Test": ["NONE"]})),
                    Some(h) => {
                        let mut v = json!({"Test": h.test});
                        for (k, d) in [
                            ("Interval", h.interval),
                            ("Timeout", h.timeout),
                            ("StartPeriod", h.start_period),
                        ] {
                            if let Some(d) = d {
                                v[k] = json!(d);
                            }
                        }
                        if let Some(r) = h.retries {
                            v["Retries"] = json!(r);
                        }
                        (go_list(&h.test), v)
                    }
                };
                self.meta(stage, format!("{nop} HEALTHCHECK {text}"), move |s| {
                    s.cfg_mut().insert("Healthcheck".into(), value);
                })
            }
            Command::Onbuild(text) => {
                let text = text.clone();
                self.meta(stage, format!("{nop} ONBUILD {text}"), move |s| {
                    let mut list = strings(s.cfg("OnBuild"));
                    list.push(text.clone());
                    s.cfg_mut().insert("OnBuild".into(), json!(list));
                })
            }
            Command::Maintainer(m) => {
                let m = m.clone();
                self.meta(stage, format!("{nop} MAINTAINER {m}"), move |s| {
                    s.config["author"] = json!(m);
                })
            }
            Command::Run { cmd, heredocs } => {
                let shell = stage.state.shell();
                let argv: Vec<String> = match cmd {
                    CmdForm::Exec(a) => a.clone(),
                    CmdForm::Shell(s) if heredocs.is_empty() => {
                        shell.into_iter().chain([s.clone()]).collect()
                    }
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
                };
                let args: Vec<String> = stage
                    .args
                    .iter()
                    .filter(|(k, _)| {
                        !stage
                            .state
                            .env()
                            .iter()
                            .any(|e| e.split('=').next() == Some(k.as_str()))
                    })
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                let mut created_by = argv.join(" ");
                if !args.is_empty() {
                    created_by = format!("|{} {} {created_by}", args.len(), args.join(" "));
                }
                let mut env = stage.state.env();
                env.extend(args.iter().cloned());
                let spec = RunSpec {
                    argv,
                    env,
                    network: self.opts.network.clone(),
                    created_by: created_by.clone(),
                };
                let base_id = stage.base_id.clone();
                self.layered(stage, created_by, String::new(), |b, state| {
                    run::run(b.engine, state, &base_id, &spec, b.progress)
                })
            }
            Command::Copy(c) => self.copy(stage, ins, c, false, &vars),
            Command::Add(c) => self.copy(stage, ins, c, true, &vars),
        }
    }

    fn copy(
        &mut self,
        stage: &mut Stage,
        ins: &Instruction,
        c: &CopyArgs,
        add: bool,
        vars: &BTreeMap<String, String>,
    ) -> Result<()> {
        let what = ins.keyword.as_str();
        let x = self.expander(ins, vars);
        let from_root = match &c.from {
            None => None,
            Some(f) => {
                let f = x(f)?;
                let state = match f.parse::<usize>() {
                    Ok(i) if i < self.stages.len() => self.stages[i].state.clone(),
                    _ => {
                        let mut note = |e| (self.progress)(e);
                        base::resolve_base(
                            self.engine,
                            &f,
                            &self.stages,
                            &self.opts.registries,
                            &mut note,
                        )?
                        .0
                    }
                };
                Some(base::rootfs(self.engine, &state)?)
            }
        };
        let ctx_tree = self.tree.clone();
        let tree = match &from_root {
            Some(r) => &r.tree,
            None => &ctx_tree,
        };
        let mut sources = Vec::new();
        let mut inline = Vec::new();
        let mut globbed = false;
        for s in &c.sources {
            if let Some(name) = s.strip_prefix("<<") {
                let name = name.trim_start_matches('-').trim_matches(['"', '\'']);
                let h = c
                    .heredocs
                    .iter()
                    .find(|h| h.name == name)
                    .ok_or_else(|| self.perr(ins, format!("no heredoc named '{name}'")))?;
                let body = if h.expand {
                    x(&format!("\"{}\"", h.body.replace('"', "\\\"")))?
                } else {
                    h.body.clone()
                };
                inline.push((name.to_string(), body));
                continue;
            }
            let s = x(s)?;
            if s.contains("://") {
                return Err(self.perr(ins, format!("{what} from a URL ('{s}') is not supported: berth builds offline; download it into the context and COPY it")));
            }
            globbed |= s.contains(['*', '?', '[']);
            sources.extend(tree.resolve(&s, what).map_err(|e| self.perr(ins, e))?);
        }
        let dest = x(&c.dest)?;
        let workdir = stage
            .state
            .cfg("WorkingDir")
            .as_str()
            .unwrap_or("/")
            .to_string();
        let abs = if dest.starts_with('/') {
            dest.clone()
        } else {
            format!("{}/{dest}", workdir.trim_end_matches('/'))
        };
        let abs_clean = clean_abs(&abs);
        let many = sources.len() + inline.len() > 1 || globbed;
        let dest_is_dir = dest.ends_with('/')
            || dest == "."
            || base::lookup(self.engine, &stage.state, &abs_clean).is_some_and(|m| m.is_dir());
        if many && !dest_is_dir && sources.len() + inline.len() > 1 {
            return Err(self.perr(ins, format!("{what} with more than one source needs a directory destination: expected '{dest}/'")));
        }
        let owner = match &c.chown {
            None => None,
            Some(o) => Some(
                base::owner(self.engine, &stage.state, &x(o)?)
                    .map_err(|e| self.perr(ins, format!("invalid --chown: {e}")))?,
            ),
        };
        let mode = c
            .chmod
            .as_deref()
            .and_then(|m| u32::from_str_radix(m, 8).ok());
        let plan = CopyPlan {
            sources,
            inline,
            tree,
            dest: abs_clean.clone(),
            dest_is_dir: dest_is_dir || many,
            owner,
            mode,
            extract: add && c.from.is_none(),
        };
        let hash = plan.hash()?;
        let kind = if plan.sources.len() + plan.inline.len() > 1 {
            "multi"
        } else if plan.sources.first().is_some_and(|s| s.is_dir) {
            "dir"
        } else {
            "file"
        };
        let nop = format!("{} #(nop) ", stage.state.shell().join(" "));
        let created_by = format!(
            "{nop}{what} {kind}:{hash} in {} ",
            if dest_is_dir || many {
                format!("{}/", abs_clean.trim_end_matches('/'))
            } else {
                abs_clean.clone()
            }
        );
        let from_key = c.from.clone().unwrap_or_default();
        let engine = self.engine;
        self.layered(stage, created_by, from_key, |_, state| {
            let mut layer = LayerBuilder::new(engine)?;
            plan.write(layer.tar(), &|rel| base::lookup(engine, state, rel))?;
            layer.finish(engine, state)
        })
    }

    /// A step that only changes the config: cached like any other (so a rebuild gives the
    /// same image id), with an empty-layer history entry.
    fn meta(
        &mut self,
        stage: &mut Stage,
        created_by: String,
        apply: impl FnOnce(&mut ImageState),
    ) -> Result<()> {
        let start = Instant::now();
        let key = cache::key(&stage.state, &created_by);
        let hit = if self.opts.no_cache {
            None
        } else {
            cache::get(self.engine, &key)
        };
        let next = match hit {
            Some(s) => {
                (self.progress)(BuildEvent::CacheHit);
                s
            }
            None => {
                let mut s = stage.state.clone();
                apply(&mut s);
                s.add_history(&created_by, true);
                cache::put(self.engine, &key, &s)?;
                s
            }
        };
        stage.state = next;
        (self.progress)(BuildEvent::StepDone {
            id: stage.state.id(),
            layer_size: None,
            elapsed: start.elapsed(),
        });
        Ok(())
    }

    /// A step that makes a layer with `make` unless the cache has it.
    fn layered(
        &mut self,
        stage: &mut Stage,
        created_by: String,
        extra_key: String,
        make: impl FnOnce(&mut Self, &ImageState) -> Result<Made>,
    ) -> Result<()> {
        let start = Instant::now();
        let key = cache::key(&stage.state, &format!("{created_by}\n{extra_key}"));
        let hit = if self.opts.no_cache {
            None
        } else {
            cache::get(self.engine, &key)
        };
        let (next, size) = match hit {
            Some(s) => {
                (self.progress)(BuildEvent::CacheHit);
                let size = s
                    .chains()
                    .last()
                    .map(|c| crate::engine::image::layers::layer_size(self.engine.paths(), c))
                    .unwrap_or(0);
                (s, size)
            }
            None => {
                let made = make(self, &stage.state)?;
                let mut s = stage.state.clone();
                s.push_layer(made.layer);
                s.add_history(&created_by, false);
                cache::put(self.engine, &key, &s)?;
                (s, made.size)
            }
        };
        stage.state = next;
        (self.progress)(BuildEvent::StepDone {
            id: stage.state.id(),
            layer_size: Some(size),
            elapsed: start.elapsed(),
        });
        Ok(())
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
