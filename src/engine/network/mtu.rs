//! A bridge network's MTU: the driver options that set it (`--opt
//! com.docker.network.driver.mtu=N` as Docker spells it, `-o mtu=N` as podman does) and
//! the range the kernel accepts for a bridge and a veth pair.

use super::error::NetworkError;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// Docker's driver option key for the MTU (also the key `network inspect` shows).
pub const OPTION: &str = "com.docker.network.driver.mtu";

/// podman's short spelling of the same option.
pub const SHORT_OPTION: &str = "mtu";

/// The MTU of bridge networks made without an MTU option (config `network.mtu`'s default):
/// container-to-container traffic never leaves the host, so the bridge and veths get
/// loopback's kind of MTU (65520, under veth's ceiling of 65535).
pub const DEFAULT: u32 = 65520;

/// The MTUs accepted: IPv4's minimum up to veth's ceiling.
pub const VALID: RangeInclusive<u32> = 68..=65535;

/// Parses one MTU value, naming `key` in the error.
pub fn parse(key: &str, value: &str) -> Result<u32, NetworkError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|m| VALID.contains(m))
        .ok_or_else(|| NetworkError::InvalidMtu {
            key: key.to_string(),
            value: value.to_string(),
        })
}

/// The MTU a network's driver options ask for (None when they name none). Any other option
/// is refused: berth would otherwise ignore it silently.
pub fn from_options(options: &BTreeMap<String, String>) -> Result<Option<u32>, NetworkError> {
    let mut mtu = None;
    for (k, v) in options {
        if k == OPTION || k == SHORT_OPTION {
            mtu = Some(parse(k, v)?);
        } else {
            return Err(NetworkError::UnsupportedOption(k.clone()));
        }
    }
    Ok(mtu)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(k: &str, v: &str) -> BTreeMap<String, String> {
        BTreeMap::from([(k.to_string(), v.to_string())])
    }

    #[test]
    fn both_spellings_and_the_range() {
        assert_eq!(from_options(&BTreeMap::new()).ok(), Some(None));
        assert_eq!(from_options(&opts(OPTION, "1400")).ok(), Some(Some(1400)));
        assert_eq!(from_options(&opts("mtu", "65535")).ok(), Some(Some(65535)));
        assert_eq!(from_options(&opts("mtu", "68")).ok(), Some(Some(68)));
        for bad in ["abc", "70000", "67", "", "-1"] {
            let e = from_options(&opts(OPTION, bad)).expect_err(bad).to_string();
            assert!(e.contains("68 to 65535") && e.contains(OPTION), "{e}");
        }
        let e = from_options(&opts("com.docker.network.bridge.name", "x"))
            .expect_err("other")
            .to_string();
        assert!(e.contains("unsupported network option"), "{e}");
    }
}
