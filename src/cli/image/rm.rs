//! `berth tag`, `berth rmi`, `berth image prune`.

use super::{PruneArgs, RmiArgs, TagArgs};
use crate::cli::Ctx;

/// `berth tag`
pub fn tag(_ctx: &Ctx, _a: TagArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth rmi`
pub fn rmi(_ctx: &Ctx, _a: RmiArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth image prune`
pub fn prune(_ctx: &Ctx, _a: PruneArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
