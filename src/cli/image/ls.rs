//! `berth images` / `berth image ls`.

use super::ImagesArgs;
use crate::cli::Ctx;

/// `berth images`
pub fn images(_ctx: &Ctx, _a: ImagesArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
