//! Building an `oci-client` client for one registry host: plain HTTP or HTTPS, trusted CAs,
//! and the credentials saved for the host.

use super::RegistryError;
use super::RegistryOptions;
use super::credentials::{self, Credentials};
use crate::engine::error::{EngineError, IoContext, Result};
use oci_client::client::{Certificate, CertificateEncoding, ClientConfig, ClientProtocol};
use oci_client::secrets::RegistryAuth;
use std::net::IpAddr;
use std::time::Duration;

/// Whether `host` (`host[:port]`) is reached over plain HTTP: loopback, or listed insecure.
pub fn is_insecure(host: &str, opts: &RegistryOptions) -> bool {
    let h = host.to_ascii_lowercase();
    if opts.insecure.iter().any(|i| i.eq_ignore_ascii_case(&h)) {
        return true;
    }
    let bare = strip_port(&h);
    if opts.insecure.iter().any(|i| i.eq_ignore_ascii_case(bare)) {
        return true;
    }
    bare == "localhost"
        || bare
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        // [::1]:5000
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !h.contains(':') => h,
        _ => host,
    }
}

/// The scheme used for `host`: HTTPS, except for insecure hosts (loopback or listed), which
/// are tried with HTTPS first and fall back to plain HTTP when they do not speak TLS, as
/// Docker does. A certificate problem is reported, not silently downgraded.
pub async fn scheme(host: &str, opts: &RegistryOptions) -> Result<&'static str> {
    if !is_insecure(host, opts) {
        return Ok("https");
    }
    let client = http_client(opts)?;
    let url = format!("https://{}/v2/", api_host(host));
    match client
        .get(&url)
        .timeout(Duration::from_secs(5))
        .send()
        .await
    {
        Ok(_) => Ok("https"),
        Err(e) => {
            let chain = super::errors::chain(&e).to_ascii_lowercase();
            if chain.contains("certificate") || chain.contains("unknownissuer") {
                Err(super::errors::request(&e, host).into())
            } else {
                Ok("http")
            }
        }
    }
}

/// Docker Hub's API host for `docker.io`, else the host itself.
pub fn api_host(host: &str) -> &str {
    if host == "docker.io" {
        "index.docker.io"
    } else {
        host
    }
}

/// The PEM certificates of `registries.ca_files`.
pub fn ca_certificates(opts: &RegistryOptions) -> Result<Vec<Vec<u8>>> {
    opts.ca_files
        .iter()
        .map(|p| std::fs::read(p).at(p))
        .collect()
}

/// An `oci-client` client for `host`.
pub async fn oci_client(host: &str, opts: &RegistryOptions) -> Result<oci_client::Client> {
    let protocol = if scheme(host, opts).await? == "http" {
        ClientProtocol::HttpsExcept(vec![host.to_string(), api_host(host).to_string()])
    } else {
        ClientProtocol::Https
    };
    let extra_root_certificates = ca_certificates(opts)?
        .into_iter()
        .map(|data| Certificate {
            encoding: CertificateEncoding::Pem,
            data,
        })
        .collect();
    let config = ClientConfig {
        protocol,
        extra_root_certificates,
        connect_timeout: Some(Duration::from_secs(15)),
        read_timeout: Some(Duration::from_secs(120)),
        max_concurrent_download: 4,
        max_concurrent_upload: 4,
        user_agent: concat!("berth/", env!("CARGO_PKG_VERSION")),
        ..Default::default()
    };
    // `Client::new` falls back to a default client when the config fails, and that one
    // panics where no CA certificate is installed: take the error instead.
    oci_client::Client::try_from(config).map_err(|e| setup_failed(&e))
}

/// A client that could not be built: the whole chain of causes (reqwest's own text is
/// just "builder error"), with the usual reason on a bare host.
fn setup_failed(e: &dyn std::error::Error) -> EngineError {
    let mut why = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        why = format!("{why}: {s}");
        source = s.source();
    }
    RegistryError::ClientSetup { why }.into()
}

/// The credentials for `host`, as `oci-client` takes them: `given` (a caller's own, such
/// as an API client's `X-Registry-Auth`) when there are some, else those saved for it.
pub fn auth_for(host: &str, given: Option<&Credentials>) -> Result<RegistryAuth> {
    if let Some(c) = given {
        return Ok(RegistryAuth::Basic(c.username.clone(), c.password.clone()));
    }
    Ok(match credentials::lookup(host)? {
        Some(Credentials { username, password }) => RegistryAuth::Basic(username, password),
        None => RegistryAuth::Anonymous,
    })
}

/// An `oci-client` reference for `domain/path` at a tag or digest.
pub fn oci_reference(
    domain: &str,
    path: &str,
    tag: &str,
    digest: Option<&str>,
) -> oci_client::Reference {
    match digest {
        Some(d) => {
            oci_client::Reference::with_digest(domain.to_string(), path.to_string(), d.to_string())
        }
        None => {
            oci_client::Reference::with_tag(domain.to_string(), path.to_string(), tag.to_string())
        }
    }
}

/// A plain `reqwest` client with the same TLS settings (for `login`).
pub fn http_client(opts: &RegistryOptions) -> Result<reqwest::Client> {
    let mut b = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("berth/", env!("CARGO_PKG_VERSION")));
    for pem in ca_certificates(opts)? {
        let cert = reqwest::Certificate::from_pem(&pem).map_err(|e| {
            EngineError::Invalid(format!("bad CA file in 'registries.ca_files': {e}"))
        })?;
        b = b.add_root_certificate(cert);
    }
    b.build().map_err(|e| setup_failed(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_insecure_by_default_others_when_listed() {
        let none = RegistryOptions::default();
        for h in [
            "127.0.0.1:5000",
            "127.1.2.3",
            "localhost:80",
            "[::1]:5000",
            "localhost",
        ] {
            assert!(is_insecure(h, &none), "{h}");
        }
        for h in ["docker.io", "10.0.0.1:5000", "example.com:5000"] {
            assert!(!is_insecure(h, &none), "{h}");
        }
        let opts = RegistryOptions {
            insecure: vec!["example.com".into(), "10.0.0.1:5000".into()],
            ..Default::default()
        };
        assert!(is_insecure("example.com:5000", &opts));
        assert!(is_insecure("10.0.0.1:5000", &opts));
        assert!(!is_insecure("10.0.0.1:6000", &opts));
    }
}
