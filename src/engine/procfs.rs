//! Small readers of `/proc` used to tell a live process from a recycled pid.

/// The start time of `pid` in clock ticks since boot (field 22 of `/proc/PID/stat`).
pub fn start_time(pid: i32) -> Option<u64> {
    if pid <= 0 {
        return None;
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    // `rest` starts at field 3 (state); field 22 is index 19 here.
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// This boot of the kernel (`/proc/sys/kernel/random/boot_id`): a pid and start time
/// recorded under another boot id name a process that no longer exists.
pub fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Whether `pid` is alive and is still the process that started at `start` ticks.
pub fn is_same_process(pid: i32, start: u64) -> bool {
    match start_time(pid) {
        Some(s) => start == 0 || s == start,
        None => false,
    }
}

/// Whether `pid` is a zombie or gone.
pub fn is_gone_or_zombie(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rfind(')')
            .and_then(|i| stat[i + 2..].chars().next())
            .is_none_or(|c| c == 'Z' || c == 'X'),
        Err(_) => true,
    }
}

/// Marks every descriptor from `first` up close-on-exec, so nothing the caller inherited
/// (a shell's pipes, a test harness's files) leaks into a container. Descriptors still
/// needed until the exec (an error pipe) keep working.
pub fn cloexec_from(first: u32) {
    // SAFETY: close_range only changes descriptor flags.
    unsafe {
        libc::syscall(
            libc::SYS_close_range,
            first,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    };
}

/// The pid namespace of `pid` (`pid:[4026531836]`), if it can be read.
pub fn pid_namespace(pid: i32) -> Option<std::path::PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/ns/pid")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_start_time_is_stable() {
        let me = std::process::id() as i32;
        let t = start_time(me).expect("own stat");
        assert!(is_same_process(me, t));
        assert!(!is_same_process(me, t + 1));
        assert!(start_time(-1).is_none());
    }
}
