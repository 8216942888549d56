//! Per-interface byte counters of a container's network namespace, read from
//! `/proc/<pid>/net/dev` as its first process sees it (no need to enter the namespace).

use std::collections::BTreeMap;

/// Received and sent bytes of one interface.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IfBytes {
    /// Bytes received.
    pub rx: u64,
    /// Bytes sent.
    pub tx: u64,
}

/// Parses the text of a `net/dev` file: interface name -> counters (`lo` included).
pub fn parse_net_dev(text: &str) -> BTreeMap<String, IfBytes> {
    let mut out = BTreeMap::new();
    for line in text.lines().skip(2) {
        let Some((name, rest)) = line.split_once(':') else {
            continue;
        };
        let f: Vec<u64> = rest
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if f.len() >= 9 {
            out.insert(name.trim().to_string(), IfBytes { rx: f[0], tx: f[8] });
        }
    }
    out
}

/// The counters of every interface in the network namespace of `pid` (empty when the
/// process is gone).
pub fn interface_bytes(pid: i32) -> BTreeMap<String, IfBytes> {
    if pid <= 0 {
        return BTreeMap::new();
    }
    std::fs::read_to_string(format!("/proc/{pid}/net/dev"))
        .map(|t| parse_net_dev(&t))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_interface() {
        let text = "Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0\n  eth0:    5000      40    0    0    0     0          0         0     3000      30    0    0    0     0       0          0\n";
        let m = parse_net_dev(text);
        assert_eq!(m.len(), 2);
        assert_eq!(m["eth0"], IfBytes { rx: 5000, tx: 3000 });
        assert_eq!(m["lo"].rx, 100);
        let own = interface_bytes(std::process::id() as i32);
        assert!(own.contains_key("lo"), "{own:?}");
    }
}
