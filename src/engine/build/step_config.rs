//! Steps that only change the image config (no layer): ENV, ARG, LABEL, WORKDIR, USER,
//! STOPSIGNAL, EXPOSE, VOLUME, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, ONBUILD, MAINTAINER.
//! Each writes Docker's `#(nop)` history text and goes through the cache (`meta`).

use super::base::Stage;
use super::executor::Builder;
use super::instruction::{CmdForm, Health, Instruction};
use super::state::strings;
use super::step::{Expand, clean_abs, go_list};
use crate::engine::error::Result;
use serde_json::{Value, json};

/// `k=v k2=v2` of expanded pairs.
fn pairs_text(set: &[(String, String)]) -> String {
    set.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn expand_pairs(pairs: &[(String, String)], x: &Expand) -> Result<Vec<(String, String)>> {
    pairs.iter().map(|(k, v)| Ok((x(k)?, x(v)?))).collect()
}

impl Builder<'_> {
    pub(super) fn env(
        &mut self,
        stage: &mut Stage,
        nop: &str,
        pairs: &[(String, String)],
        x: &Expand,
    ) -> Result<()> {
        let set = expand_pairs(pairs, x)?;
        self.meta(stage, format!("{nop} ENV {}", pairs_text(&set)), move |s| {
            for (k, v) in &set {
                s.set_env(k, v);
            }
        })
    }

    pub(super) fn arg(
        &mut self,
        stage: &mut Stage,
        nop: &str,
        list: &[(String, Option<String>)],
        x: &Expand,
    ) -> Result<()> {
        let mut shown = Vec::new();
        for (name, dflt) in list {
            self.used_args.insert(name.clone());
            let value = match (self.build_args.get(name), dflt) {
                (Some(v), _) => Some(v.clone()),
                (None, Some(d)) => Some(x(d)?),
                (None, None) => self.global_args.get(name).cloned(),
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

    pub(super) fn label(
        &mut self,
        stage: &mut Stage,
        nop: &str,
        pairs: &[(String, String)],
        x: &Expand,
    ) -> Result<()> {
        let set = expand_pairs(pairs, x)?;
        self.meta(
            stage,
            format!("{nop} LABEL {}", pairs_text(&set)),
            move |s| {
                let labels = s.cfg_mut().entry("Labels").or_insert_with(|| json!({}));
                if !labels.is_object() {
                    *labels = json!({});
                }
                for (k, v) in &set {
                    labels[k] = json!(v);
                }
            },
        )
    }

    pub(super) fn workdir(&mut self, stage: &mut Stage, nop: &str, w: &str) -> Result<()> {
        let cur = stage
            .state
            .cfg("WorkingDir")
            .as_str()
            .unwrap_or("/")
            .to_string();
        let dir = if w.starts_with('/') {
            w.to_string()
        } else {
            format!("{}/{w}", cur.trim_end_matches('/'))
        };
        let dir = clean_abs(&dir);
        self.meta(stage, format!("{nop}WORKDIR {dir}"), move |s| {
            s.cfg_mut().insert("WorkingDir".into(), json!(dir));
        })
    }

    pub(super) fn user(&mut self, stage: &mut Stage, nop: &str, u: String) -> Result<()> {
        self.meta(stage, format!("{nop} USER {u}"), move |s| {
            s.cfg_mut().insert("User".into(), json!(u));
        })
    }

    pub(super) fn stop_signal(&mut self, stage: &mut Stage, nop: &str, sig: String) -> Result<()> {
        self.meta(stage, format!("{nop} STOPSIGNAL {sig}"), move |s| {
            s.cfg_mut().insert("StopSignal".into(), json!(sig));
        })
    }

    pub(super) fn expose(
        &mut self,
        stage: &mut Stage,
        ins: &Instruction,
        nop: &str,
        ports: &[String],
        x: &Expand,
    ) -> Result<()> {
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

    pub(super) fn volume(
        &mut self,
        stage: &mut Stage,
        nop: &str,
        vols: &[String],
        x: &Expand,
    ) -> Result<()> {
        let set = vols.iter().map(|v| x(v)).collect::<Result<Vec<_>>>()?;
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

    pub(super) fn cmd_or_entrypoint(
        &mut self,
        stage: &mut Stage,
        ins: &Instruction,
        nop: &str,
        form: &CmdForm,
    ) -> Result<()> {
        let key = if ins.keyword == "CMD" {
            "Cmd"
        } else {
            "Entrypoint"
        };
        let argv = match form {
            CmdForm::Exec(a) => a.clone(),
            CmdForm::Shell(s) => stage.state.shell().into_iter().chain([s.clone()]).collect(),
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

    pub(super) fn shell(&mut self, stage: &mut Stage, nop: &str, sh: &[String]) -> Result<()> {
        let sh = sh.to_vec();
        self.meta(stage, format!("{nop} SHELL {}", go_list(&sh)), move |s| {
            s.cfg_mut().insert("Shell".into(), json!(sh));
        })
    }

    pub(super) fn healthcheck(
        &mut self,
        stage: &mut Stage,
        nop: &str,
        h: Option<&Health>,
    ) -> Result<()> {
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

    pub(super) fn onbuild(&mut self, stage: &mut Stage, nop: &str, text: &str) -> Result<()> {
        let text = text.to_string();
        self.meta(stage, format!("{nop} ONBUILD {text}"), move |s| {
            let mut list = strings(s.cfg("OnBuild"));
            list.push(text.clone());
            s.cfg_mut().insert("OnBuild".into(), json!(list));
        })
    }

    pub(super) fn maintainer(&mut self, stage: &mut Stage, nop: &str, m: &str) -> Result<()> {
        let m = m.to_string();
        self.meta(stage, format!("{nop} MAINTAINER {m}"), move |s| {
            s.config["author"] = json!(m);
        })
    }
}
