//! `login` and `logout`: credentials are checked against the registry (HTTP basic, or a
//! bearer token from the realm the registry names) before they are saved.

use super::RegistryError;
use super::RegistryOptions;
use super::client::{api_host, http_client, scheme};
use super::credentials::{self, Credentials};
use super::errors;
use crate::engine::Engine;
use crate::engine::error::{EngineError, Result};
use reqwest::StatusCode;
use std::path::PathBuf;

/// Checks `creds` against `server` (default Docker Hub), then saves them. Returns the file.
pub async fn login(
    server: Option<&str>,
    creds: &Credentials,
    opts: &RegistryOptions,
) -> Result<PathBuf> {
    let host = credentials::normalize(server.unwrap_or("docker.io"));
    verify(&host, creds, opts).await?;
    credentials::save(&host, creds)
}

/// Removes the credentials of `server`; false when none were saved.
pub fn logout(server: Option<&str>) -> Result<bool> {
    credentials::remove(server.unwrap_or("docker.io"))
}

/// Whether the registry accepts `creds`.
pub async fn verify(host: &str, creds: &Credentials, opts: &RegistryOptions) -> Result<()> {
    let client = http_client(opts)?;
    let url = format!("{}://{}/v2/", scheme(host, opts).await?, api_host(host));
    let send = |rb: reqwest::RequestBuilder| async move {
        rb.send().await.map_err(|e| errors::request(&e, host))
    };
    let resp = send(client.get(&url)).await?;
    if resp.status().is_success() {
        // An open registry: nothing to check, as Docker does.
        return Ok(());
    }
    if resp.status() != StatusCode::UNAUTHORIZED {
        return Err(unexpected(host, resp.status()));
    }
    let challenge = resp
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let (kind, params) = parse_challenge(&challenge);
    let resp = if kind.eq_ignore_ascii_case("bearer") {
        let realm = params
            .iter()
            .find(|(k, _)| k == "realm")
            .map(|(_, v)| v.clone())
            .ok_or_else(|| RegistryError::NoTokenRealm {
                host: host.to_string(),
            })?;
        let mut query = vec![("account".to_string(), creds.username.clone())];
        if let Some((_, s)) = params.iter().find(|(k, _)| k == "service") {
            query.push(("service".into(), s.clone()));
        }
        send(
            client
                .get(&realm)
                .query(&query)
                .basic_auth(&creds.username, Some(&creds.password)),
        )
        .await?
    } else {
        send(
            client
                .get(&url)
                .basic_auth(&creds.username, Some(&creds.password)),
        )
        .await?
    };
    match resp.status() {
        s if s.is_success() => Ok(()),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(RegistryError::LoginRefused {
            host: host.to_string(),
        }
        .into()),
        s => Err(unexpected(host, s)),
    }
}

fn unexpected(host: &str, s: StatusCode) -> EngineError {
    let host = host.to_string();
    if s == StatusCode::TOO_MANY_REQUESTS {
        return RegistryError::LoginRateLimited { host }.into();
    }
    RegistryError::NotARegistry {
        host,
        status: s.to_string(),
    }
    .into()
}

/// `Bearer realm="x",service="y"` -> ("Bearer", [(realm, x), (service, y)]).
fn parse_challenge(h: &str) -> (String, Vec<(String, String)>) {
    let h = h.trim();
    let (kind, rest) = h.split_once(' ').unwrap_or((h, ""));
    let mut params = Vec::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let Some((k, after)) = rest.split_once('=') else {
            break;
        };
        let k = k.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (v, next) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (&q[..end], &q[end + 1..]),
                None => (q, ""),
            }
        } else {
            match after.find(',') {
                Some(end) => (&after[..end], &after[end..]),
                None => (after, ""),
            }
        };
        params.push((k, v.to_string()));
        rest = next.trim_start_matches([',', ' ']);
    }
    (kind.to_string(), params)
}

impl Engine {
    /// `login`: checks `creds` against `server` (default Docker Hub), then saves them in the
    /// user's credentials file, which it returns.
    pub async fn registry_login(
        &self,
        server: Option<&str>,
        creds: &Credentials,
        opts: &RegistryOptions,
    ) -> Result<PathBuf> {
        login(server, creds, opts).await
    }

    /// `logout`: removes the saved credentials of `server` (default Docker Hub); false when
    /// there were none.
    pub fn registry_logout(&self, server: Option<&str>) -> Result<bool> {
        logout(server)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_parse() {
        let (k, p) = parse_challenge(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a:pull""#,
        );
        assert_eq!(k, "Bearer");
        assert_eq!(
            p[0],
            ("realm".into(), "https://auth.docker.io/token".into())
        );
        assert_eq!(p[1], ("service".into(), "registry.docker.io".into()));
        let (k, p) = parse_challenge(r#"Basic realm="Registry Realm""#);
        assert_eq!(k, "Basic");
        assert_eq!(p[0].1, "Registry Realm");
    }
}
