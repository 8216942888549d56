//! The two kinds of step result, both through the cache: config-only steps (an empty
//! history entry) and steps that make a layer.

use super::base::Stage;
use super::cache;
use super::executor::Builder;
use super::layer::Made;
use super::progress::BuildEvent;
use super::state::ImageState;
use crate::engine::error::Result;
use std::time::Instant;

impl Builder<'_> {
    /// A step that only changes the config: cached like any other (so a rebuild gives the
    /// same image id), with an empty-layer history entry.
    pub(super) fn meta(
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
                s.add_history(&created_by, true, &stage.source);
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
    pub(super) fn layered(
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
                s.add_history(&created_by, false, &stage.source);
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
