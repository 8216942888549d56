//! Registry failures as one line each: what happened and what to do next.

use oci_client::errors::{OciDistributionError, OciErrorCode};
use std::path::PathBuf;

/// What a registry call was doing, for the message.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    /// Pulling (manifests, blobs).
    Pull,
    /// Pushing.
    Push,
}

/// Why a pull, push or login failed: the registry, the reference or layer, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The registry refused a push.
    #[error(
        "unauthorized: access to '{what}' on '{host}' denied: run 'berth login {host}' with an account that may push there"
    )]
    PushDenied {
        /// The registry.
        host: String,
        /// The reference pushed.
        what: String,
    },
    /// The registry refused a pull (or hides a repository that does not exist).
    #[error(
        "unauthorized: pull access to '{what}' denied, or the repository does not exist: run 'berth login {host}' if it is private"
    )]
    PullDenied {
        /// The registry.
        host: String,
        /// The reference pulled.
        what: String,
    },
    /// The registry's token service refused the credentials.
    #[error(
        "authentication with '{host}' failed ({why}): check your credentials with 'berth login {host}'"
    )]
    AuthenticationFailed {
        /// The registry.
        host: String,
        /// What the token service said.
        why: String,
    },
    /// The registry has no such manifest or repository.
    #[error("manifest for '{what}' not found on '{host}': check the name and the tag")]
    NotFound {
        /// The registry.
        host: String,
        /// The reference asked for.
        what: String,
    },
    /// Too many requests.
    #[error(
        "rate limited by '{host}' (too many requests): wait and try again, or 'berth login {host}' for a higher limit"
    )]
    RateLimited {
        /// The registry.
        host: String,
    },
    /// The registry answered with an error envelope berth has no advice for.
    #[error("registry '{host}' refused the request for '{what}': {why}")]
    Refused {
        /// The registry.
        host: String,
        /// The reference asked for.
        what: String,
        /// The registry's first message.
        why: String,
    },
    /// The registry answered with an unexpected status.
    #[error("registry '{host}' answered {code} for '{what}': {why}; try again later")]
    Answered {
        /// The registry.
        host: String,
        /// The reference asked for.
        what: String,
        /// The HTTP status.
        code: u16,
        /// The body's message.
        why: String,
    },
    /// Content that does not hash to the digest it was asked by.
    #[error(
        "content from '{host}' does not match its digest ({why}): nothing was stored; try again"
    )]
    DigestMismatch {
        /// The registry.
        host: String,
        /// The digests involved.
        why: String,
    },
    /// Any other failure of the registry client.
    #[error("registry '{host}': {why}")]
    Client {
        /// The registry.
        host: String,
        /// The client's error.
        why: String,
    },
    /// The TLS handshake failed.
    #[error(
        "tls failure talking to '{host}' ({why}): add its CA to 'registries.ca_files' in the config, or list it in 'registries.insecure' if it speaks plain HTTP"
    )]
    Tls {
        /// The registry.
        host: String,
        /// The error chain.
        why: String,
    },
    /// The registry did not answer in time.
    #[error("registry '{host}' timed out: check the network and try again")]
    Timeout {
        /// The registry.
        host: String,
    },
    /// The registry could not be connected to.
    #[error(
        "cannot reach registry '{host}' ({why}): check the address and that the registry is running"
    )]
    Unreachable {
        /// The registry.
        host: String,
        /// The error chain.
        why: String,
    },
    /// A request failed with an HTTP status berth has no advice for.
    #[error("registry '{host}' answered {code}: try again later")]
    Status {
        /// The registry.
        host: String,
        /// The HTTP status.
        code: u16,
    },
    /// A request failed otherwise.
    #[error("request to registry '{host}' failed: {why}")]
    Request {
        /// The registry.
        host: String,
        /// The error chain.
        why: String,
    },
    /// The HTTP client could not be built (usually: no CA certificates on the host).
    #[error("cannot set up the registry client: {why} (is the ca-certificates package installed?)")]
    ClientSetup {
        /// The error chain.
        why: String,
    },
    /// A blob's download broke off.
    #[error("download from '{host}' failed: {why}")]
    Download {
        /// The registry.
        host: String,
        /// The error.
        why: String,
    },
    /// A layer's download broke off; what came is kept for the next pull.
    #[error(
        "download of layer '{layer}' from '{host}' failed: {why}: run the pull again to finish it"
    )]
    LayerDownload {
        /// The layer's digest.
        layer: String,
        /// The registry.
        host: String,
        /// The error chain.
        why: String,
    },
    /// Reading the rest of a layer's download failed.
    #[error("download failed: {0}")]
    Interrupted(#[source] std::io::Error),
    /// The disk filled up during a download; what came is kept for the next pull.
    #[error(
        "no space left on the device of '{}' while downloading layer '{digest}': free some space and pull again",
        dir.display()
    )]
    DiskFull {
        /// Where downloads are kept.
        dir: PathBuf,
        /// The layer's digest.
        digest: String,
    },
    /// The task unpacking a layer as it downloads died.
    #[error("layer unpack task failed: {0}")]
    UnpackTask(#[source] tokio::task::JoinError),
    /// A blob to push is not in the local store.
    #[error(
        "blob '{digest}' of '{image}' is missing locally ({source}): pull or load the image again"
    )]
    BlobMissing {
        /// The blob's digest.
        digest: String,
        /// The image pushed.
        image: String,
        /// Why it could not be opened.
        source: std::io::Error,
    },
    /// A bearer challenge without a realm.
    #[error(
        "registry '{host}' asked for a token without saying where to get it: check the registry's auth configuration"
    )]
    NoTokenRealm {
        /// The registry.
        host: String,
    },
    /// `login` with credentials the registry refuses.
    #[error("login to '{host}' failed: unauthorized: incorrect username or password")]
    LoginRefused {
        /// The registry.
        host: String,
    },
    /// `login` answered with too many requests.
    #[error("rate limited by '{host}' (too many requests): wait and try again")]
    LoginRateLimited {
        /// The registry.
        host: String,
    },
    /// `login` to something that does not answer as a v2 registry.
    #[error("registry '{host}' answered {status} to the login check: is it a v2 registry?")]
    NotARegistry {
        /// The registry.
        host: String,
        /// The HTTP status, with its reason.
        status: String,
    },
}

impl RegistryError {
    /// Whether the registry said it does not have what was asked.
    pub fn is_not_found(&self) -> bool {
        matches!(self, RegistryError::NotFound { .. })
    }

    /// Whether the registry refused the credentials of a login.
    pub fn is_login_refused(&self) -> bool {
        matches!(self, RegistryError::LoginRefused { .. })
    }
}

/// Turns an `oci-client` error into one naming `what` (a reference) on `host`.
pub fn map(e: OciDistributionError, host: &str, what: &str, op: Op) -> RegistryError {
    use OciDistributionError as E;
    let h = host.to_string();
    match &e {
        E::UnauthorizedError { .. } => unauthorized(host, what, op),
        E::AuthenticationFailure(m) => RegistryError::AuthenticationFailed {
            host: h,
            why: one_line(m),
        },
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
                RegistryError::RateLimited { host: h }
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
                RegistryError::Refused {
                    host: h,
                    what: what.to_string(),
                    why: one_line(&first),
                }
            }
        }
        E::ServerError { code, message, .. } => match code {
            401 | 403 => unauthorized(host, what, op),
            404 => not_found(host, what),
            429 => RegistryError::RateLimited { host: h },
            _ => RegistryError::Answered {
                host: h,
                what: what.to_string(),
                code: *code,
                why: one_line(message),
            },
        },
        E::RequestError(r) => request(r, host),
        E::DigestError(d) => RegistryError::DigestMismatch {
            host: h,
            why: d.to_string(),
        },
        other => RegistryError::Client {
            host: h,
            why: one_line(&other.to_string()),
        },
    }
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
pub fn request(r: &reqwest::Error, host: &str) -> RegistryError {
    let chain = chain(r);
    let lower = chain.to_ascii_lowercase();
    let host = host.to_string();
    if lower.contains("certificate")
        || lower.contains("tls")
        || lower.contains("handshake")
        || lower.contains("unknownissuer")
    {
        RegistryError::Tls { host, why: chain }
    } else if r.is_timeout() {
        RegistryError::Timeout { host }
    } else if r.is_connect() {
        RegistryError::Unreachable { host, why: chain }
    } else if let Some(s) = r.status() {
        match s.as_u16() {
            401 | 403 => unauthorized(&host, &host, Op::Pull),
            429 => RegistryError::RateLimited { host },
            code => RegistryError::Status { host, code },
        }
    } else {
        RegistryError::Request { host, why: chain }
    }
}

fn unauthorized(host: &str, what: &str, op: Op) -> RegistryError {
    let (host, what) = (host.to_string(), what.to_string());
    match op {
        Op::Push => RegistryError::PushDenied { host, what },
        Op::Pull => RegistryError::PullDenied { host, what },
    }
}

fn not_found(host: &str, what: &str) -> RegistryError {
    RegistryError::NotFound {
        host: host.to_string(),
        what: what.to_string(),
    }
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
