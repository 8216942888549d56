//! One instruction of a stage: its history text as Docker's legacy builder writes it, its
//! cache key, and what it does to the image (a new layer or only the config).

use super::base::Stage;
use super::error::ParseError;
use super::executor::Builder;
use super::instruction::{CmdForm, Command, Instruction};
use super::run::{self, RunSpec};
use super::state::strings;
use super::words;
use crate::engine::error::{EngineError, Result};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Go's `%q` of a string slice: `["a" "b c"]`, as Docker's history shows commands.
fn go_list(a: &[String]) -> String {
    let q: Vec<String> = a.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", q.join(" "))
}

impl Builder<'_> {
    pub(super) fn perr(&self, ins: &Instruction, msg: impl Into<String>) -> EngineError {
        ParseError::new(&self.file, ins.line, msg).into()
    }

    /// An expander of words at `ins` that borrows nothing of the builder.
    pub(super) fn expander<'v>(
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
