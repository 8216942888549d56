//! `top`: a container's processes with host pids, in `ps -ef` (default) or `ps aux` columns.

use crate::cli::Ctx;
use crate::cli::format::tabwriter;
use crate::engine::ProcessInfo;
use anyhow::{Result, bail};
use chrono::Local;
use clap::Args;

/// `berth top`
#[derive(Debug, Args)]
pub struct TopArgs {
    /// Container.
    pub container: String,
    /// ps options: `-ef` (default) or `aux`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub ps_options: Vec<String>,
}

fn stime(p: &ProcessInfo) -> String {
    match p.started {
        Some(t) if t.date_naive() == Local::now().date_naive() => t.format("%H:%M").to_string(),
        Some(t) => t.format("%b%d").to_string(),
        None => "?".into(),
    }
}

fn cpu_time(secs: u64) -> String {
    let (d, rest) = (secs / 86400, secs % 86400);
    let hms = format!(
        "{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    if d > 0 { format!("{d}-{hms}") } else { hms }
}

/// The rows of the table for the chosen ps style.
pub fn table(procs: &[ProcessInfo], style: &str, total_kb: u64) -> Result<String> {
    let mut out = String::new();
    match style {
        "-ef" | "ef" | "" => {
            out.push_str("UID\tPID\tPPID\tC\tSTIME\tTTY\tTIME\tCMD\n");
            for p in procs {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    p.user,
                    p.pid,
                    p.ppid,
                    p.cpu_percent.round() as u64,
                    stime(p),
                    p.tty,
                    cpu_time(p.cpu_seconds),
                    p.command
                ));
            }
        }
        "aux" | "-aux" => {
            out.push_str("USER\tPID\t%CPU\t%MEM\tVSZ\tRSS\tTTY\tSTAT\tSTART\tTIME\tCOMMAND\n");
            for p in procs {
                let mem = if total_kb > 0 {
                    p.rss_kb as f64 / total_kb as f64 * 100.0
                } else {
                    0.0
                };
                out.push_str(&format!(
                    "{}\t{}\t{:.1}\t{:.1}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    p.user,
                    p.pid,
                    p.cpu_percent,
                    mem,
                    p.vsz_kb,
                    p.rss_kb,
                    p.tty,
                    p.state,
                    stime(p),
                    cpu_time(p.cpu_seconds),
                    p.command
                ));
            }
        }
        other => bail!("unsupported ps options '{other}': use -ef (default) or aux"),
    }
    Ok(tabwriter::align(&out, tabwriter::DOCKER))
}

/// `berth top`
pub fn top(ctx: &Ctx, a: TopArgs) -> Result<i32> {
    let procs = ctx.engine.top(&a.container)?;
    let style = a.ps_options.join(" ");
    let total_kb = ctx.engine.host_memory() / 1024;
    print!("{}", table(&procs, style.trim(), total_kb)?);
    Ok(0)
}
