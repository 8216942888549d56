//! IP address management: parsing subnets, checking overlaps, picking the next free /16 for a
//! new network and the lowest free address in a network for a new endpoint.

use super::error::NetworkError;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// An IPv4 network in CIDR form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    /// The network address (host bits zero).
    pub addr: Ipv4Addr,
    /// The prefix length, 0..=32.
    pub prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`; host bits must be zero (`what` names the flag in errors).
    pub fn parse(s: &str, what: &str) -> Result<Cidr, NetworkError> {
        let invalid = |why: String| NetworkError::InvalidCidr {
            what: what.to_string(),
            value: s.to_string(),
            why,
        };
        let bad = || invalid("use an IPv4 CIDR such as 172.20.0.0/16".into());
        let (a, p) = s.split_once('/').ok_or_else(bad)?;
        let addr: Ipv4Addr = a.parse().map_err(|_| bad())?;
        let prefix: u8 = p.parse().map_err(|_| bad())?;
        if prefix > 32 {
            return Err(bad());
        }
        let c = Cidr { addr, prefix };
        if c.network() != addr {
            return Err(invalid(format!("it should be {}/{prefix}", c.network())));
        }
        Ok(c)
    }

    fn mask(&self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix))
        }
    }

    /// The network address.
    pub fn network(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) & self.mask())
    }

    /// The broadcast address.
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) | !self.mask())
    }

    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & self.mask() == u32::from(self.network())
    }

    /// Whether the two networks share any address.
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other.network()) || other.contains(self.network())
    }

    /// The first host address (Docker's default gateway).
    pub fn first_host(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.network()).saturating_add(1))
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// The next /16 from 172.18.0.0/16 to 172.31.0.0/16 that overlaps none of `used`.
pub fn next_free_subnet(used: &[Cidr]) -> Option<Cidr> {
    (18..=31u8)
        .map(|b| Cidr {
            addr: Ipv4Addr::new(172, b, 0, 0),
            prefix: 16,
        })
        .find(|c| !used.iter().any(|u| u.overlaps(c)))
}

/// The lowest address of `range` (inside `subnet`) that is not the network, broadcast or
/// gateway address and not in `taken`.
pub fn allocate(
    subnet: &Cidr,
    range: Option<&Cidr>,
    gateway: Ipv4Addr,
    taken: &BTreeSet<Ipv4Addr>,
) -> Option<Ipv4Addr> {
    let pool = range.unwrap_or(subnet);
    let (lo, hi) = (u32::from(pool.network()), u32::from(pool.broadcast()));
    (lo..=hi).map(Ipv4Addr::from).find(|ip| {
        *ip != subnet.network()
            && *ip != subnet.broadcast()
            && *ip != gateway
            && !taken.contains(ip)
    })
}

/// Docker's MAC address for an IPv4 endpoint: 02:42 followed by the address.
pub fn mac_for(ip: Ipv4Addr) -> String {
    let o = ip.octets();
    format!("02:42:{:02x}:{:02x}:{:02x}:{:02x}", o[0], o[1], o[2], o[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Cidr {
        Cidr::parse(s, "subnet").expect("cidr")
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(c("10.1.0.0/16").to_string(), "10.1.0.0/16");
        assert!(Cidr::parse("10.1.0.0", "subnet").is_err());
        assert!(Cidr::parse("10.1.0.0/33", "subnet").is_err());
        assert!(Cidr::parse("300.1.0.0/16", "subnet").is_err());
        let e = Cidr::parse("10.1.2.3/16", "subnet")
            .expect_err("host bits")
            .to_string();
        assert!(e.contains("10.1.0.0/16"), "{e}");
    }

    #[test]
    fn overlap_and_contains() {
        assert!(c("10.1.0.0/16").overlaps(&c("10.1.5.0/24")));
        assert!(c("10.1.5.0/24").overlaps(&c("10.0.0.0/8")));
        assert!(!c("10.1.0.0/16").overlaps(&c("10.2.0.0/16")));
        assert!(c("172.17.0.0/16").contains(Ipv4Addr::new(172, 17, 9, 9)));
        assert_eq!(
            c("172.17.0.0/16").broadcast(),
            Ipv4Addr::new(172, 17, 255, 255)
        );
    }

    #[test]
    fn next_subnet_skips_used() {
        assert_eq!(
            next_free_subnet(&[c("172.17.0.0/16")]),
            Some(c("172.18.0.0/16"))
        );
        assert_eq!(
            next_free_subnet(&[c("172.18.0.0/16"), c("172.19.3.0/24")]),
            Some(c("172.20.0.0/16"))
        );
    }

    #[test]
    fn allocation_skips_gateway_and_taken() {
        let s = c("172.18.0.0/16");
        let gw = Ipv4Addr::new(172, 18, 0, 1);
        let mut taken = BTreeSet::new();
        assert_eq!(
            allocate(&s, None, gw, &taken),
            Some(Ipv4Addr::new(172, 18, 0, 2))
        );
        taken.insert(Ipv4Addr::new(172, 18, 0, 2));
        assert_eq!(
            allocate(&s, None, gw, &taken),
            Some(Ipv4Addr::new(172, 18, 0, 3))
        );
        let r = c("172.18.5.0/24");
        assert_eq!(
            allocate(&s, Some(&r), gw, &taken),
            Some(Ipv4Addr::new(172, 18, 5, 0))
        );
        let tiny = c("10.0.0.0/30");
        let full: BTreeSet<_> = [Ipv4Addr::new(10, 0, 0, 2)].into();
        assert_eq!(
            allocate(&tiny, None, Ipv4Addr::new(10, 0, 0, 1), &full),
            None
        );
        assert_eq!(mac_for(Ipv4Addr::new(172, 17, 0, 2)), "02:42:ac:11:00:02");
    }
}
