//! Exposed ports: the image's EXPOSE and `--expose`, as Docker keys them (`80/tcp`).

use super::error::NetworkError;
use std::collections::BTreeSet;

/// A port and its protocol (`tcp` or `udp`).
pub type PortProto = (u16, String);

/// Parses one `--expose` value: `80`, `80/udp` or a range `8000-8010[/tcp]`.
pub fn parse_expose(s: &str) -> Result<Vec<PortProto>, NetworkError> {
    let bad = |why: &str| NetworkError::InvalidExpose {
        value: s.to_string(),
        why: why.to_string(),
    };
    let (spec, proto) = match s.rsplit_once('/') {
        Some((a, p)) => (a, p.to_ascii_lowercase()),
        None => (s, "tcp".to_string()),
    };
    if proto != "tcp" && proto != "udp" {
        return Err(bad("the protocol must be tcp or udp"));
    }
    let port = |p: &str| -> Result<u16, NetworkError> {
        p.parse::<u16>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| bad(&format!("'{p}' is not a port number (1-65535)")))
    };
    let (first, last) = match spec.split_once('-') {
        Some((a, b)) => (port(a)?, port(b)?),
        None => {
            let p = port(spec)?;
            (p, p)
        }
    };
    if last < first {
        return Err(bad("the range's end is below its start"));
    }
    Ok((first..=last).map(|p| (p, proto.clone())).collect())
}

/// Parses an image config's `ExposedPorts` key (`80/tcp`, `53/udp`, `8080`); None when
/// it is not a port.
pub fn parse_key(key: &str) -> Option<PortProto> {
    let (port, proto) = key.split_once('/').unwrap_or((key, "tcp"));
    let proto = proto.to_ascii_lowercase();
    let port = port.parse::<u16>().ok().filter(|p| *p > 0)?;
    matches!(proto.as_str(), "tcp" | "udp").then_some((port, proto))
}

/// `ports` each once, by port then protocol.
pub fn unique(ports: impl IntoIterator<Item = PortProto>) -> Vec<PortProto> {
    let set: BTreeSet<PortProto> = ports.into_iter().collect();
    set.into_iter().collect()
}

/// Docker's keys (`80/tcp`) of `ports`, each once, by port then protocol.
pub fn keys(ports: impl IntoIterator<Item = PortProto>) -> Vec<String> {
    unique(ports)
        .into_iter()
        .map(|(p, proto)| format!("{p}/{proto}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expose_values() {
        assert_eq!(parse_expose("80").ok(), Some(vec![(80, "tcp".into())]));
        assert_eq!(parse_expose("53/udp").ok(), Some(vec![(53, "udp".into())]));
        assert_eq!(parse_expose("8000-8002").map(|v| v.len()).ok(), Some(3));
        assert!(parse_expose("0").is_err());
        assert!(parse_expose("80/sctp").is_err());
        assert!(parse_expose("90-80").is_err());
        assert!(parse_expose("web").is_err());
    }

    #[test]
    fn keys_are_sorted_and_unique() {
        let k = keys([
            (443, "tcp".to_string()),
            (80, "tcp".to_string()),
            (80, "tcp".to_string()),
            (53, "udp".to_string()),
        ]);
        assert_eq!(k, vec!["53/udp", "80/tcp", "443/tcp"]);
        assert_eq!(parse_key("8080"), Some((8080, "tcp".into())));
        assert_eq!(parse_key("x/tcp"), None);
    }
}
