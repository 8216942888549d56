//! start, stop, restart, kill, rm, pause, unpause, wait, rename.
use crate::cli::Ctx;
use clap::Args;
/// Names.
#[derive(Debug, Args)]
pub struct NamesArgs {
    /// Containers.
    pub containers: Vec<String>,
}
/// `berth start`
#[derive(Debug, Args)]
pub struct StartArgs {
    /// Containers.
    pub containers: Vec<String>,
}
/// `berth stop`
#[derive(Debug, Args)]
pub struct StopArgs {
    /// Containers.
    pub containers: Vec<String>,
}
/// `berth kill`
#[derive(Debug, Args)]
pub struct KillArgs {
    /// Containers.
    pub containers: Vec<String>,
}
/// `berth rm`
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Containers.
    pub containers: Vec<String>,
}
/// `berth rename`
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// Container.
    pub container: String,
    /// New name.
    pub new_name: String,
}
macro_rules! todo_cmd { ($($n:ident : $t:ty),*) => { $(
    /// Runs the command.
    pub fn $n(_ctx: &Ctx, _a: $t) -> anyhow::Result<i32> { anyhow::bail!("not implemented yet") }
)* } }
todo_cmd!(start: StartArgs, stop: StopArgs, restart: StopArgs, kill: KillArgs, rm: RmArgs, pause: NamesArgs, unpause: NamesArgs, wait: NamesArgs, rename: RenameArgs);
