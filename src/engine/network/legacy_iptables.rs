//! The legacy iptables backend (x_tables), read only: berth never changes it, but when its
//! `filter` table's FORWARD chain drops forwarded traffic (policy DROP, as Docker sets it
//! on a host whose `iptables` is `iptables-legacy`), berth's bridges are cut off whatever
//! nftables says, so the user is told which rules to add.
//!
//! The chain is read with `getsockopt(IPT_SO_GET_INFO)` and `IPT_SO_GET_ENTRIES` on a raw
//! socket, only when `/proc/net/ip_tables_names` lists `filter` (asking for a table that is
//! not loaded would load it).

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// `IPT_SO_GET_INFO`, `IPT_SO_GET_ENTRIES` (`IPT_BASE_CTL` + 0, + 1).
const IPT_SO_GET_INFO: libc::c_int = 64;
const IPT_SO_GET_ENTRIES: libc::c_int = 65;
/// `NF_INET_FORWARD`.
const FORWARD: usize = 2;
/// Sizes and offsets in `struct ipt_getinfo`, `struct ipt_get_entries`, `struct ipt_entry`
/// (its `struct ipt_ip` first) and `struct xt_standard_target`.
const GETINFO_LEN: usize = 84;
const HOOK_ENTRY_AT: usize = 36;
const UNDERFLOW_AT: usize = 56;
const SIZE_AT: usize = 80;
const ENTRIES_AT: usize = 40;
const INIFACE_AT: usize = 16;
const INIFACE_MASK_AT: usize = 48;
const INVFLAGS_AT: usize = 83;
const TARGET_OFFSET_AT: usize = 88;
const NEXT_OFFSET_AT: usize = 90;
const ENTRY_LEN: usize = 112;
const TARGET_NAME_AT: usize = 2;
const VERDICT_AT: usize = 32;
/// `IPT_INV_VIA_IN`.
const INV_VIA_IN: u8 = 0x01;
/// Standard verdicts as x_tables stores them: `-NF_DROP - 1`, `-NF_ACCEPT - 1`.
const VERDICT_DROP: i32 = -1;
const VERDICT_ACCEPT: i32 = -2;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// `getsockopt(SOL_IP, opt)` into `buf`, which holds the request.
fn get(fd: &OwnedFd, opt: libc::c_int, buf: &mut [u8]) -> Option<()> {
    let mut len = buf.len() as libc::socklen_t;
    // SAFETY: buf is valid for len bytes, the kernel writes at most len.
    let r = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_IP,
            opt,
            buf.as_mut_ptr().cast(),
            &mut len,
        )
    };
    (r == 0).then_some(())
}

/// The entries of the `filter` table and where FORWARD's rules start and its policy is.
fn filter_table() -> Option<(Vec<u8>, usize, usize)> {
    // SAFETY: a plain socket(2); the descriptor is owned at once.
    let raw = unsafe { libc::socket(libc::AF_INET, libc::SOCK_RAW, libc::IPPROTO_RAW) };
    if raw < 0 {
        return None;
    }
    // SAFETY: raw is a new descriptor nobody else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    let mut info = vec![0u8; GETINFO_LEN];
    info[..6].copy_from_slice(b"filter");
    get(&fd, IPT_SO_GET_INFO, &mut info)?;
    let size = u32_at(&info, SIZE_AT)? as usize;
    let hook = u32_at(&info, HOOK_ENTRY_AT + 4 * FORWARD)? as usize;
    let underflow = u32_at(&info, UNDERFLOW_AT + 4 * FORWARD)? as usize;
    let mut entries = vec![0u8; ENTRIES_AT + size];
    entries[..6].copy_from_slice(b"filter");
    entries[32..36].copy_from_slice(&(size as u32).to_ne_bytes());
    get(&fd, IPT_SO_GET_ENTRIES, &mut entries)?;
    Some((entries.split_off(ENTRIES_AT), hook, underflow))
}

/// The verdict of the standard target of the entry at `e` (None for other targets).
fn standard_verdict(t: &[u8], e: usize) -> Option<i32> {
    let target = e + u16_at(t, e + TARGET_OFFSET_AT)? as usize;
    let name = t.get(target + TARGET_NAME_AT..target + TARGET_NAME_AT + 29)?;
    if name[0] != 0 {
        return None;
    }
    u32_at(t, target + VERDICT_AT).map(|v| v as i32)
}

/// Whether the entry at `e` is a plain `-i <name> -j ACCEPT` covering `bridge` (or an
/// accept of everything).
fn accepts_from(t: &[u8], e: usize, bridge: &str) -> bool {
    let (Some(iface), Some(mask), Some(inv)) = (
        t.get(e + INIFACE_AT..e + INIFACE_AT + 16),
        t.get(e + INIFACE_MASK_AT..e + INIFACE_MASK_AT + 16),
        t.get(e + INVFLAGS_AT),
    ) else {
        return false;
    };
    let mut name = bridge.as_bytes().to_vec();
    name.resize(16, 0);
    let matches = (0..16).all(|i| (name[i] ^ iface[i]) & mask[i] == 0);
    let no_matches = u16_at(t, e + TARGET_OFFSET_AT) == Some(ENTRY_LEN as u16);
    matches && no_matches && inv & INV_VIA_IN == 0 && standard_verdict(t, e) == Some(VERDICT_ACCEPT)
}

/// Whether the legacy `filter` table exists in the caller's network namespace (one read
/// of `/proc/net/ip_tables_names`).
pub fn filter_loaded() -> bool {
    std::fs::read_to_string("/proc/net/ip_tables_names")
        .is_ok_and(|s| s.lines().any(|l| l.trim() == "filter"))
}

/// Whether the legacy FORWARD chain drops `bridge`'s traffic: its policy is DROP and no
/// rule of it accepts what comes in from the bridge.
fn drops(bridge: &str) -> bool {
    if !filter_loaded() {
        return false;
    }
    let Some((t, hook, underflow)) = filter_table() else {
        return false;
    };
    if standard_verdict(&t, underflow) != Some(VERDICT_DROP) {
        return false;
    }
    let mut e = hook;
    while e < underflow {
        if accepts_from(&t, e, bridge) {
            return false;
        }
        match u16_at(&t, e + NEXT_OFFSET_AT) {
            Some(n) if n > 0 => e += n as usize,
            _ => break,
        }
    }
    true
}

/// A warning naming the rules to add when the legacy iptables FORWARD chain drops
/// `bridge`'s traffic; None when it does not (or there is no legacy filter table).
pub fn forward_warning(bridge: &str) -> Option<String> {
    drops(bridge).then(|| {
        format!(
            "the iptables (legacy) FORWARD chain drops forwarded traffic (policy DROP), so \
             containers on {bridge} cannot reach each other or the outside; berth does not \
             change iptables-legacy: allow the bridge with\n  \
             iptables -I FORWARD -i {bridge} -j ACCEPT\n  \
             iptables -I FORWARD -o {bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One `ipt_entry` with a standard target: `-i <iface> -j <verdict>`, the interface
    /// compared over `mask_len` bytes (`br-+` is "br-" over 3).
    fn entry(iface: &str, mask_len: usize, verdict: i32) -> Vec<u8> {
        let mut e = vec![0u8; ENTRY_LEN + 40];
        e[INIFACE_AT..INIFACE_AT + iface.len()].copy_from_slice(iface.as_bytes());
        for b in &mut e[INIFACE_MASK_AT..INIFACE_MASK_AT + mask_len] {
            *b = 0xff;
        }
        e[TARGET_OFFSET_AT..TARGET_OFFSET_AT + 2]
            .copy_from_slice(&(ENTRY_LEN as u16).to_ne_bytes());
        e[NEXT_OFFSET_AT..NEXT_OFFSET_AT + 2]
            .copy_from_slice(&(ENTRY_LEN as u16 + 40).to_ne_bytes());
        let v = ENTRY_LEN + VERDICT_AT;
        e[v..v + 4].copy_from_slice(&verdict.to_ne_bytes());
        e
    }

    #[test]
    fn accepts_of_a_bridge_are_recognised_by_name_or_wildcard() {
        let exact = entry("berth0", 7, VERDICT_ACCEPT);
        assert!(accepts_from(&exact, 0, "berth0"));
        assert!(!accepts_from(&exact, 0, "br-0123456789ab"));
        let wildcard = entry("br-", 3, VERDICT_ACCEPT);
        assert!(accepts_from(&wildcard, 0, "br-0123456789ab"));
        assert!(!accepts_from(&wildcard, 0, "berth0"));
        let drop = entry("br-", 3, VERDICT_DROP);
        assert!(!accepts_from(&drop, 0, "br-0123456789ab"));
        assert_eq!(standard_verdict(&drop, 0), Some(VERDICT_DROP));
    }
}
