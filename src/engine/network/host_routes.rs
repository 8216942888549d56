//! The IPv4 subnets the host already routes to (its own interfaces' networks, Docker's
//! `docker0` and `br-*` among them), read from `/proc/net/route` of the current network
//! namespace: berth picks subnets for its bridges that overlap none of them, as Docker
//! does, so a host that also runs Docker keeps both engines' containers reachable.

use super::ipam::Cidr;
use std::net::Ipv4Addr;

/// The subnets routed through interfaces other than berth's default bridge (default
/// routes left out). Routes of berth's user bridges are listed too: they are its networks'
/// own subnets, in use anyway (and Docker names its bridges `br-…` as well).
pub fn in_use() -> Vec<Cidr> {
    let text = std::fs::read_to_string("/proc/net/route").unwrap_or_default();
    parse(&text)
}

/// `/proc/net/route`: `Iface Destination Gateway Flags RefCnt Use Metric Mask ...`, the
/// addresses in hex, in the host's byte order.
fn parse(text: &str) -> Vec<Cidr> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (iface, dest, mask) = (f.first()?, f.get(1)?, f.get(7)?);
            if *iface == super::DEFAULT_BRIDGE {
                return None;
            }
            // The hex is the in-memory (network-order) bytes read as a native integer.
            let dest = Ipv4Addr::from(u32::from_str_radix(dest, 16).ok()?.to_ne_bytes());
            let prefix = u32::from_str_radix(mask, 16).ok()?.count_ones() as u8;
            (prefix > 0).then_some(Cidr { addr: dest, prefix })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_of_other_interfaces_are_read_and_berths_and_default_left_out() {
        let text = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n\
                    eth0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n\
                    eth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n\
                    docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n\
                    berth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";
        let got = parse(text);
        assert_eq!(
            got,
            vec![
                Cidr::parse("192.168.0.0/24", "t").expect("cidr"),
                Cidr::parse("172.17.0.0/16", "t").expect("cidr"),
            ]
        );
    }
}
