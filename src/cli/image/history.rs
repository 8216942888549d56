//! `berth history`: the layers and steps of an image, newest first.

use super::HistoryArgs;
use crate::cli::Ctx;

/// `berth history`
pub fn history(_ctx: &Ctx, _a: HistoryArgs) -> anyhow::Result<i32> {
    anyhow::bail!("not implemented yet")
}
