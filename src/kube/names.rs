//! Kubernetes' naming rules: DNS-1123 labels (container, volume names), DNS-1035 labels
//! (Service names), label keys and values. berth's names (`my_web.1`) are made to fit.

/// The longest DNS label, label name or label value.
const MAX_LABEL: usize = 63;

/// `name` as a DNS-1123 label: lowercase letters, digits and `-`, at most 63, starting and
/// ending with a letter or digit (`My_Web.1` -> `my-web-1`); `fallback` when nothing is left.
pub fn dns1123_label(name: &str, fallback: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    let trimmed = trim_to(&mapped, MAX_LABEL, |c| c.is_ascii_alphanumeric());
    if trimmed.is_empty() {
        fallback.to_string()
    } else {
        trimmed
    }
}

/// `name` as a DNS-1035 label (a Service's name): a DNS-1123 label that starts with a letter
/// (`1web` -> `svc-1web`).
pub fn dns1035_label(name: &str) -> String {
    let label = dns1123_label(name, "svc");
    if label.starts_with(|c: char| c.is_ascii_lowercase()) {
        label
    } else {
        dns1123_label(&format!("svc-{label}"), "svc")
    }
}

/// Whether `name` is a DNS-1123 label already.
pub fn is_dns1123_label(name: &str) -> bool {
    dns1123_label(name, "") == name
}

/// A label (key, value) made to fit Kubernetes' rules, or `None` when the key has nothing
/// usable. The key's name part (after an optional `prefix/`) and the value: at most 63 of
/// `[A-Za-z0-9._-]`, starting and ending alphanumeric (other characters become `_`); the
/// prefix: a DNS subdomain.
pub fn label(key: &str, value: &str) -> Option<(String, String)> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let name = label_part(name);
    if name.is_empty() {
        return None;
    }
    let key = match prefix.map(dns_subdomain).filter(|p| !p.is_empty()) {
        Some(p) => format!("{p}/{name}"),
        None => name,
    };
    Some((key, label_part(value)))
}

/// A label name or value: `[A-Za-z0-9._-]`, alphanumeric at both ends, at most 63.
fn label_part(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    trim_to(&mapped, MAX_LABEL, |c| c.is_ascii_alphanumeric())
}

/// A DNS subdomain (a label key's prefix): lowercase labels joined by dots, at most 253.
fn dns_subdomain(s: &str) -> String {
    let parts: Vec<String> = s
        .split('.')
        .map(|p| dns1123_label(p, ""))
        .filter(|p| !p.is_empty())
        .collect();
    trim_to(&parts.join("."), 253, |c| c.is_ascii_alphanumeric())
}

/// `s` cut to `max` characters, then trimmed of characters that may not end or start it.
fn trim_to(s: &str, max: usize, edge_ok: impl Fn(char) -> bool + Copy) -> String {
    let cut: String = s.chars().take(max).collect();
    cut.trim_matches(|c: char| !edge_ok(c)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_become_dns_labels() {
        assert_eq!(dns1123_label("My_Web.1", "x"), "my-web-1");
        assert_eq!(dns1123_label("__", "x"), "x");
        assert_eq!(dns1123_label(&"a".repeat(70), "x").len(), 63);
        assert!(is_dns1123_label("web-1"));
        assert!(!is_dns1123_label("Web"));
    }

    #[test]
    fn service_names_start_with_a_letter() {
        assert_eq!(dns1035_label("web"), "web");
        assert_eq!(dns1035_label("1web"), "svc-1web");
    }

    #[test]
    fn labels_fit_the_rules() {
        assert_eq!(label("app", "web"), Some(("app".into(), "web".into())));
        assert_eq!(
            label("org.opencontainers.image.source", "https://x.org/a b"),
            Some((
                "org.opencontainers.image.source".into(),
                "https___x.org_a_b".into()
            ))
        );
        assert_eq!(
            label("Example.COM/tier", "front end!"),
            Some(("example.com/tier".into(), "front_end".into()))
        );
        assert_eq!(label("!!!", "x"), None);
        assert_eq!(label("k", &"v".repeat(80)).map(|(_, v)| v.len()), Some(63));
    }
}
