//! Registry credentials over the API: `POST /auth` (`docker login`) checks them against the
//! registry as `berth login` does but stores nothing (as dockerd: the docker CLI keeps them
//! in its own config file), and the `X-Registry-Auth` header of pulls and pushes (base64url
//! JSON of username, password and server address) and the `X-Registry-Config` of builds
//! (such documents by server) are decoded here.

use super::body::{Handled, ok_json};
use super::create::read_json;
use super::error::ApiError;
use super::state::Api;
use crate::engine::{Credentials, EngineError, normalize_registry, registry_verify};
use base64::Engine as _;
use hyper::body::Incoming;
use hyper::{HeaderMap, StatusCode};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Docker's `AuthConfig` (the `/auth` body and the `X-Registry-Auth` document).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AuthConfig {
    username: String,
    password: String,
    /// `base64(user:password)`, what the CLI's config file stores.
    auth: String,
    serveraddress: String,
}

impl AuthConfig {
    /// The user name and password, from the fields or from `auth`; `None` when empty.
    fn credentials(&self) -> Option<Credentials> {
        if !self.username.is_empty() {
            return Some(Credentials {
                username: self.username.clone(),
                password: self.password.clone(),
            });
        }
        let plain = base64::engine::general_purpose::STANDARD
            .decode(self.auth.trim())
            .ok()?;
        let plain = String::from_utf8(plain).ok()?;
        let (user, password) = plain.split_once(':')?;
        (!user.is_empty()).then(|| Credentials {
            username: user.to_string(),
            password: password.to_string(),
        })
    }
}

/// The credentials of an `X-Registry-Auth` header (Docker sends `{}` when it has none):
/// `None` without usable credentials, a 400 when the header is not base64 JSON.
pub fn registry_auth(headers: &HeaderMap) -> Result<Option<Credentials>, ApiError> {
    let config: Option<AuthConfig> = header_json(headers, "X-Registry-Auth")?;
    Ok(config.and_then(|c| c.credentials()))
}

/// The base64url JSON of a header, or `None` when it is absent or empty.
fn header_json<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    name: &str,
) -> Result<Option<T>, ApiError> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text.is_empty() {
        return Ok(None);
    }
    use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
    let raw = [URL_SAFE, URL_SAFE_NO_PAD, STANDARD]
        .iter()
        .find_map(|e| e.decode(text).ok())
        .ok_or_else(|| ApiError::bad_request(format!("{name} is not base64url")))?;
    serde_json::from_slice(&raw)
        .map(Some)
        .map_err(|e| ApiError::bad_request(format!("{name} is not an auth config: {e}")))
}

/// The credentials of a build's `X-Registry-Config` (every registry the docker CLI has
/// credentials for, by server address), keyed by normalized host.
pub fn registry_config(headers: &HeaderMap) -> Result<BTreeMap<String, Credentials>, ApiError> {
    let map: BTreeMap<String, AuthConfig> =
        header_json(headers, "X-Registry-Config")?.unwrap_or_default();
    Ok(map
        .into_iter()
        .filter_map(|(server, c)| Some((normalize_registry(&server), c.credentials()?)))
        .collect())
}

/// `POST /auth`: `{"Status": "Login Succeeded"}`, or a 401 when the registry refuses the
/// credentials.
pub async fn auth(api: &Api, body: Incoming) -> Handled {
    let config: AuthConfig = read_json(body).await?;
    let creds = config
        .credentials()
        .ok_or_else(|| ApiError::bad_request("a user name is required to log in"))?;
    let server = if config.serveraddress.is_empty() {
        "docker.io".to_string()
    } else {
        config.serveraddress.clone()
    };
    let host = normalize_registry(&server);
    let verified = registry_verify(&host, &creds, &api.registries).await;
    match verified {
        Ok(()) => ok_json(&serde_json::json!({ "Status": "Login Succeeded", "IdentityToken": "" })),
        Err(EngineError::Registry(r)) if r.is_login_refused() => Err(ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: r.to_string(),
        }),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(json: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        let v = base64::engine::general_purpose::URL_SAFE.encode(json);
        h.insert("X-Registry-Auth", v.parse().expect("header"));
        h
    }

    #[test]
    fn registry_auth_headers_decode() {
        let c = registry_auth(&header(
            r#"{"username":"u","password":"p/+?","serveraddress":"h"}"#,
        ))
        .expect("ok")
        .expect("creds");
        assert_eq!((c.username.as_str(), c.password.as_str()), ("u", "p/+?"));
        let c = registry_auth(&header(r#"{"auth":"dTpwdw=="}"#))
            .expect("ok")
            .expect("creds");
        assert_eq!((c.username.as_str(), c.password.as_str()), ("u", "pw"));
        assert!(registry_auth(&header("{}")).expect("ok").is_none());
        assert!(registry_auth(&HeaderMap::new()).expect("ok").is_none());
        let mut bad = HeaderMap::new();
        bad.insert("X-Registry-Auth", "%%%".parse().expect("header"));
        assert_eq!(registry_auth(&bad).expect_err("bad").status, 400);
        let mut h = HeaderMap::new();
        let v = base64::engine::general_purpose::URL_SAFE.encode(
            r#"{"https://index.docker.io/v1/":{"username":"a","password":"b"},"127.0.0.1:5000":{"auth":"dTpwdw=="},"empty":{}}"#,
        );
        h.insert("X-Registry-Config", v.parse().expect("header"));
        let m = registry_config(&h).expect("config");
        assert_eq!(
            m.keys().collect::<Vec<_>>(),
            ["127.0.0.1:5000", "docker.io"]
        );
        assert_eq!(m["127.0.0.1:5000"].username, "u");
    }
}
