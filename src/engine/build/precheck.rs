//! Before any step runs: the values of the ARGs before the first FROM, and a dry pass over
//! the stages that expands every ARG and ENV (within the expansion limits, failing at the
//! line that crosses one) and resolves every context source of COPY and ADD, so a hostile
//! or mistaken Dockerfile fails without leaving layers behind.

use super::executor::Builder;
use super::instruction::{Command, Instruction};
use super::words;
use crate::engine::error::Result;
use std::collections::BTreeMap;

impl Builder<'_> {
    /// The values of the ARGs before the first FROM (for FROM lines and stage ARGs).
    pub(super) fn globals(&mut self, globals: &[&Instruction]) -> Result<BTreeMap<String, String>> {
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
                words::check_total(&out).map_err(|e| self.perr_at(ins.line, e))?;
            }
        }
        Ok(out)
    }

    /// Checks every context source of the stages before anything runs. Variables come
    /// from the build arguments, ARG defaults and ENV lines seen so far (not from the base
    /// image's ENV).
    pub(super) fn precheck(&self, stages: &[Vec<&Instruction>]) -> Result<()> {
        for stage in stages {
            let mut vars = self.global_args.clone();
            for ins in stage {
                self.precheck_one(ins, &mut vars)?;
            }
        }
        Ok(())
    }

    fn precheck_one(&self, ins: &Instruction, vars: &mut BTreeMap<String, String>) -> Result<()> {
        let x = |w: &str, vars: &BTreeMap<String, String>| {
            words::expand(w, vars, self.escape).map_err(|e| self.perr_at(ins.line, e))
        };
        match &ins.command {
            Command::Arg(list) => {
                for (n, d) in list {
                    let v = match (self.build_args.get(n), d) {
                        (Some(v), _) => Some(v.clone()),
                        (None, Some(d)) => Some(x(d, vars)?),
                        (None, None) => None,
                    };
                    if let Some(v) = v {
                        vars.insert(n.clone(), v);
                    }
                }
            }
            Command::Env(pairs) => {
                for (k, v) in pairs {
                    let (k, v) = (x(k, vars)?, x(v, vars)?);
                    vars.insert(k, v);
                }
            }
            Command::Copy(c) | Command::Add(c) if c.from.is_none() => {
                for s in c.sources.iter().filter(|s| !s.starts_with("<<")) {
                    let s = x(s, vars)?;
                    if !s.contains("://") {
                        self.tree
                            .resolve(&s, &ins.keyword)
                            .map_err(|e| self.perr_at(ins.line, e))?;
                    }
                }
            }
            _ => {}
        }
        words::check_total(vars).map_err(|e| self.perr_at(ins.line, e))
    }
}
