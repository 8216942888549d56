//! Registry failures as one line each: what happened and what to do next.

use crate::engine::error::EngineError;
use oci_client::errors::{OciDistributionError, OciErrorCode};

/// What a registry call was doing, for the message.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    /// Pulling (manifests, blobs).
    Pull,
    /// Pushing.
    Push,
}

/// Turns an `oci-client` error into one line naming `what` (a reference) on `host`.
pub fn map(e: OciDistributionError, host: &str, what: &str, op: Op) -> EngineError {
    use OciDistributionError as E;
    let msg = match &e {
        E::UnauthorizedError { .. } => unauthorized(host, what, op),
        E::AuthenticationFailure(m) => format!(
            "authentication with '{host}' failed ({}): check your credentials with 'berth login {host}'",
            one_line(m)
        ),
        E::ImageManifestNotFoundError(_) => not_found(host, what),
        E::RegistryError { envelope, .. } => {
            let codes: Vec<&OciErrorCode> = envelope.errors.iter().map(|e| &e.code).collect();
            let first = envelope
                .errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            if codes
                .iter()
                .any(|c| matches!(c, OciErrorCode::Toomanyrequests))
            {
                rate_limited(host)
            } else if codes
                .iter()
                .any(|c| matches!(c, OciErrorCode::Unauthorized | OciErrorCode::Denied))
            {
                unauthorized(host, what, op)
            } else if codes.iter().any(|c| {
                matches!(
                    c,
                    OciErrorCode::ManifestUnknown
                        | OciErrorCode::NameUnknown
                        | OciErrorCode::NotFound
                        | OciErrorCode::BlobUnknown
                )
            }) {
                not_found(host, what)
            } else {
                format!(
                    "registry '{host}' refused the request for '{what}': {}",
                    one_line(&first)
                )
            }
        }
        E::ServerError { code, message, .. } => match code {
            401 | 403 => unauthorized(host, what, op),
            404 => not_found(host, what),
            429 => rate_limited(host),
            _ => format!(
                "registry '{host}' answered {code} for '{what}': {}; try again later",
                one_line(message)
            ),
        },
        E::RequestError(r) => return request(r, host),
        E::DigestError(d) => format!(
            "content from '{host}' does not match its digest ({d}): nothing was stored; try again"
        ),
        other => format!("registry '{host}': {}", one_line(&other.to_string())),
    };
    EngineError::Other(msg)
}

/// Whether the registry said it does not have what was asked.
pub fn is_not_found(e: &OciDistributionError) -> bool {
    use OciDistributionError as E;
    match e {
        E::ImageManifestNotFoundError(_) => true,
        E::ServerError { code, .. } => *code == 404,
        E::RegistryError { envelope, .. } => envelope.errors.iter().any(|e| {
            matches!(
                e.code,
                OciErrorCode::ManifestUnknown
                    | OciErrorCode::NameUnknown
                    | OciErrorCode::NotFound
                    | OciErrorCode::BlobUnknown
            )
        }),
        _ => false,
    }
}

/// Connection-level failures: TLS, unreachable, timeouts.
pub fn request(r: &reqwest::Error, host: &str) -> EngineError {
    let chain = chain(r);
    let lower = chain.to_ascii_lowercase();
    let msg = if lower.contains("certificate")
        || lower.contains("tls")
        || lower.contains("handshake")
        || lower.contains("unknownissuer")
    {
        format!(
            "tls failure talking to '{host}' ({chain}): add its CA to 'registries.ca_files' in the config, or list it in 'registries.insecure' if it speaks plain HTTP"
        )
    } else if r.is_timeout() {
        format!("registry '{host}' timed out: check the network and try again")
    } else if r.is_connect() {
        format!(
            "cannot reach registry '{host}' ({chain}): check the address and that the registry is running"
        )
    } else if let Some(s) = r.status() {
        match s.as_u16() {
            401 | 403 => unauthorized(host, host, Op::Pull),
            429 => rate_limited(host),
            c => format!("registry '{host}' answered {c}: try again later"),
        }
    } else {
        format!("request to registry '{host}' failed: {chain}")
    };
    EngineError::Other(msg)
}

fn unauthorized(host: &str, what: &str, op: Op) -> String {
    match op {
        Op::Push => format!(
            "unauthorized: access to '{what}' on '{host}' denied: run 'berth login {host}' with an account that may push there"
        ),
        Op::Pull => format!(
            "unauthorized: pull access to '{what}' denied, or the repository does not exist: run 'berth login {host}' if it is private"
        ),
    }
}

fn not_found(host: &str, what: &str) -> String {
    format!("manifest for '{what}' not found on '{host}': check the name and the tag")
}

fn rate_limited(host: &str) -> String {
    format!(
        "rate limited by '{host}' (too many requests): wait and try again, or 'berth login {host}' for a higher limit"
    )
}

/// The error and its sources on one line.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    one_line(&parts.join(": "))
}

fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s.trim_end_matches('.').to_string()
}
