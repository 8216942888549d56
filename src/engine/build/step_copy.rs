//! COPY and ADD steps: sources resolved (context, a stage or an image), the destination
//! decided with Docker's rules, the content hashed for the cache, the layer written.

use super::base::{self, Stage};
use super::copy::CopyPlan;
use super::executor::Builder;
use super::instruction::{CopyArgs, Instruction};
use super::layer::LayerBuilder;
use super::step::clean_abs;
use crate::engine::error::Result;
use std::collections::BTreeMap;

impl Builder<'_> {
    pub(super) fn copy(
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
                        base::resolve_base(self.engine, &f, &self.stages, self.opts, &mut note)?.0
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
        let many = sources.len() + inline.len() > 1;
        let dest_is_dir = dest.ends_with('/')
            || dest == "."
            || base::lookup(self.engine, &stage.state, &abs_clean).is_some_and(|m| m.is_dir());
        if many && !dest_is_dir && sources.len() + inline.len() > 1 {
            return Err(self.perr(ins, format!("{what} with more than one source needs a directory destination: expected '{dest}/'")));
        }
        let owner = match &c.chown {
            None => None,
            Some(o) => Some(
                base::owner(self.engine, &stage.state, &x(o)?).map_err(|e| self.perr(ins, e))?,
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
}
