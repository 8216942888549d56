//! `berth save` and `berth load`: docker-archive tarballs.

use super::{LoadArgs, SaveArgs};
use crate::cli::Ctx;

/// `berth save`
pub fn save(_ctx: &Ctx, _a: SaveArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
/// `berth load`
pub fn load(_ctx: &Ctx, _a: LoadArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
