//! The processes of a container, read from `/proc` for the pids in its cgroup: what
//! `docker top` shows (UID PID PPID C STIME TTY TIME CMD), with host pids.

use super::error::ObserveError;
use crate::engine::Engine;
use crate::engine::error::Result;
use chrono::{DateTime, Local, TimeZone};
use std::fs;

/// One process.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessInfo {
    /// Host pid.
    pub pid: i32,
    /// Parent's host pid.
    pub ppid: i32,
    /// Real user id.
    pub uid: u32,
    /// User name from the host's passwd, else the number.
    pub user: String,
    /// CPU use over the process's lifetime, percent (ps's C).
    pub cpu_percent: f64,
    /// Resident memory in KiB.
    pub rss_kb: u64,
    /// Virtual memory in KiB.
    pub vsz_kb: u64,
    /// Start time.
    pub started: Option<DateTime<Local>>,
    /// Controlling terminal (`?` for none).
    pub tty: String,
    /// CPU time used (user + system), in seconds.
    pub cpu_seconds: u64,
    /// State letter (R, S, D, Z, T).
    pub state: char,
    /// The command line (or `[comm]` when it has none).
    pub command: String,
}

fn clock_ticks() -> u64 {
    // SAFETY: sysconf has no memory effects.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as u64 } else { 100 }
}

fn boot_time() -> Option<i64> {
    fs::read_to_string("/proc/stat")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("btime ")?.trim().parse().ok())
}

fn user_name(uid: u32) -> String {
    let passwd = fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() > 2 && f[2] == uid.to_string()).then(|| f[0].to_string())
        })
        .unwrap_or_else(|| uid.to_string())
}

fn tty_name(nr: u64) -> String {
    if nr == 0 {
        return "?".into();
    }
    let major = (nr >> 8) & 0xfff;
    let minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
    match major {
        136..=143 => format!("pts/{}", minor + (major - 136) * 256),
        4 => format!("tty{minor}"),
        _ => "?".into(),
    }
}

/// Reads one process from `/proc`.
pub fn read_process(pid: i32) -> Option<ProcessInfo> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = &stat[open + 1..close];
    let f: Vec<&str> = stat[close + 2..].split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    let ticks = clock_ticks();
    let cpu_ticks = num(11) + num(12);
    let start_ticks = num(19);
    let uptime: f64 = fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|u| u.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let age = uptime - start_ticks as f64 / ticks as f64;
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |k: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(k))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
    };
    let uid = field("Uid:").unwrap_or(0) as u32;
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let command = if cmdline.is_empty() {
        format!("[{comm}]")
    } else {
        String::from_utf8_lossy(&cmdline)
            .trim_end_matches('\0')
            .replace('\0', " ")
    };
    Some(ProcessInfo {
        pid,
        ppid: f.get(1).and_then(|x| x.parse().ok()).unwrap_or(0),
        uid,
        user: user_name(uid),
        cpu_percent: if age > 0.0 {
            cpu_ticks as f64 / ticks as f64 / age * 100.0
        } else {
            0.0
        },
        rss_kb: field("VmRSS:").unwrap_or(0),
        vsz_kb: field("VmSize:").unwrap_or(0),
        started: boot_time().and_then(|b| {
            Local
                .timestamp_opt(b + (start_ticks / ticks) as i64, 0)
                .single()
        }),
        tty: tty_name(num(4)),
        cpu_seconds: cpu_ticks / ticks,
        state: f.first().and_then(|s| s.chars().next()).unwrap_or('?'),
        command,
    })
}

impl Engine {
    /// The processes of a running container, by host pid.
    pub fn top(&self, name_or_id: &str) -> Result<Vec<ProcessInfo>> {
        // Only processes inside the container's pid namespace: the shim's short-lived exec
        // helpers sit in its cgroup but outside it.
        let c = self.container(name_or_id)?;
        let ns = crate::engine::procfs::pid_namespace(c.state.pid);
        Ok(self
            .container_pids(name_or_id)?
            .into_iter()
            .filter(|p| ns.is_none() || crate::engine::procfs::pid_namespace(*p) == ns)
            .filter_map(read_process)
            .collect())
    }

    /// Sends `signal` (`TERM`, `SIGKILL`, `9`) to the process of host pid `pid`, after
    /// checking that it is still in the cgroup of the running container `name_or_id`
    /// (a pid that exited may have been reused by another process of the host).
    pub fn signal_process(&self, name_or_id: &str, pid: i32, signal: &str) -> Result<()> {
        let sig = crate::engine::lifecycle::signal::parse_signal(signal)?;
        if !self.container_pids(name_or_id)?.contains(&pid) {
            return Err(ObserveError::ProcessGone {
                pid,
                container: name_or_id.to_string(),
            }
            .into());
        }
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig).map_err(|source| {
            ObserveError::Signal {
                signal: sig,
                pid,
                source,
            }
            .into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_own_process() {
        let me = read_process(std::process::id() as i32).expect("self");
        assert_eq!(me.pid, std::process::id() as i32);
        assert!(me.command.contains("berth") || !me.command.is_empty());
        assert_eq!(tty_name(0), "?");
        assert_eq!(tty_name((136 << 8) | 3), "pts/3");
    }
}
