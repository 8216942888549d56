//! Kubernetes quantities for memory (`64Mi`, `1G`, `134217728`) and CPU (`500m`, `1.5`),
//! to and from berth's bytes and nano-CPUs.

/// Binary and decimal suffixes of a quantity, with their factors.
const SUFFIXES: [(&str, f64); 13] = [
    ("Ki", 1024.0),
    ("Mi", 1048576.0),
    ("Gi", 1073741824.0),
    ("Ti", 1099511627776.0),
    ("Pi", 1125899906842624.0),
    ("Ei", 1152921504606846976.0),
    ("k", 1e3),
    ("M", 1e6),
    ("G", 1e9),
    ("T", 1e12),
    ("P", 1e15),
    ("E", 1e18),
    ("m", 1e-3),
];

/// The number a quantity stands for (`64Mi` -> 67108864, `500m` -> 0.5), or `None` when it
/// is not one.
pub fn parse(q: &str) -> Option<f64> {
    let q = q.trim();
    let (number, factor) = SUFFIXES
        .iter()
        .find_map(|(s, f)| q.strip_suffix(s).map(|n| (n, *f)))
        .unwrap_or((q, 1.0));
    let n: f64 = number.parse().ok()?;
    (n.is_finite() && n >= 0.0 && !number.is_empty()).then_some(n * factor)
}

/// A memory limit in bytes as a quantity: `64Mi`, `1Gi`, or the bytes.
pub fn memory(bytes: i64) -> String {
    for (suffix, factor) in [("Gi", 1i64 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if bytes >= factor && bytes % factor == 0 {
            return format!("{}{suffix}", bytes / factor);
        }
    }
    bytes.to_string()
}

/// A CPU limit in nano-CPUs as a quantity: `2`, or millicores (`1500m`).
pub fn cpu(nano: i64) -> String {
    let milli = (nano + 500_000) / 1_000_000;
    if milli % 1000 == 0 {
        (milli / 1000).to_string()
    } else {
        format!("{milli}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_both_ways() {
        assert_eq!(parse("64Mi"), Some(67108864.0));
        assert_eq!(parse("1G"), Some(1e9));
        assert_eq!(parse("500m"), Some(0.5));
        assert_eq!(parse("1.5"), Some(1.5));
        assert_eq!(parse("12345"), Some(12345.0));
        assert_eq!(parse("Mi"), None);
        assert_eq!(parse("lots"), None);
        assert_eq!(parse("-1"), None);
        assert_eq!(memory(64 << 20), "64Mi");
        assert_eq!(memory(1 << 30), "1Gi");
        assert_eq!(memory(1000), "1000");
        assert_eq!(cpu(1_500_000_000), "1500m");
        assert_eq!(cpu(2_000_000_000), "2");
        assert_eq!(cpu(250_000_000), "250m");
    }
}
