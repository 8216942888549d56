//! Registry credentials in Docker's `config.json` format: `{"auths": {"host": {"auth":
//! base64("user:pass")}}}`.
//!
//! berth writes `$BERTH_CONFIG_DIR/config.json` when that variable is set, else
//! `$XDG_CONFIG_HOME/berth/auth.json` (`~/.config/berth/auth.json`), atomically with mode
//! 0600. When looking credentials up it reads that file, then Docker's
//! (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`). Other keys of the file are kept.

use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::store::{AtomicFile, StoreError};
use serde_json::{Map, Value};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key Docker uses for Docker Hub.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

/// A user name and password (or token) for one registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User name.
    pub username: String,
    /// Password or access token.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, ***)", self.username)
    }
}

/// The file berth saves credentials to.
pub fn berth_file() -> PathBuf {
    if let Some(d) = std::env::var_os("BERTH_CONFIG_DIR") {
        return PathBuf::from(d).join("config.json");
    }
    let base = match std::env::var_os("XDG_CONFIG_HOME") {
        Some(x) => PathBuf::from(x),
        None => home().join(".config"),
    };
    base.join("berth").join("auth.json")
}

/// Docker's credentials file, read as a fallback.
pub fn docker_file() -> PathBuf {
    match std::env::var_os("DOCKER_CONFIG") {
        Some(d) => PathBuf::from(d).join("config.json"),
        None => home().join(".docker").join("config.json"),
    }
}

fn home() -> PathBuf {
    PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into()))
}

/// The key a server is saved under: Docker Hub's historical URL, else the bare host.
pub fn key_for(server: &str) -> String {
    let host = normalize(server);
    if host == "docker.io" {
        DOCKER_HUB_KEY.to_string()
    } else {
        host
    }
}

/// `https://host:5000/v2/` -> `host:5000`; Docker Hub's names -> `docker.io`.
pub fn normalize(server: &str) -> String {
    let s = server
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let host = s.split('/').next().unwrap_or(s).to_ascii_lowercase();
    match host.as_str() {
        "index.docker.io" | "registry-1.docker.io" | "docker.io" | "" => "docker.io".to_string(),
        _ => host,
    }
}

/// Credentials saved for `host` (berth's file first, then Docker's).
pub fn lookup(host: &str) -> Result<Option<Credentials>> {
    let want = normalize(host);
    for file in [berth_file(), docker_file()] {
        let doc = read(&file)?;
        let Some(auths) = doc.get("auths").and_then(Value::as_object) else {
            continue;
        };
        for (key, entry) in auths {
            if normalize(key) != want {
                continue;
            }
            if let Some(c) = decode(entry) {
                return Ok(Some(c));
            }
        }
    }
    Ok(None)
}

/// Saves credentials for `server` in berth's file (mode 0600, atomic).
pub fn save(server: &str, creds: &Credentials) -> Result<PathBuf> {
    let file = berth_file();
    let mut doc = read(&file)?;
    let auths = auths_mut(&mut doc);
    let want = normalize(server);
    auths.retain(|k, _| normalize(k) != want);
    let token = base64_encode(format!("{}:{}", creds.username, creds.password).as_bytes());
    auths.insert(key_for(server), serde_json::json!({ "auth": token }));
    write(&file, &doc)?;
    Ok(file)
}

/// Removes the credentials of `server` from berth's file; false if there were none.
pub fn remove(server: &str) -> Result<bool> {
    let file = berth_file();
    let mut doc = read(&file)?;
    let auths = auths_mut(&mut doc);
    let want = normalize(server);
    let before = auths.len();
    auths.retain(|k, _| normalize(k) != want);
    if auths.len() == before {
        return Ok(false);
    }
    write(&file, &doc)?;
    Ok(true)
}

fn auths_mut(doc: &mut Value) -> &mut Map<String, Value> {
    if !doc.is_object() {
        *doc = Value::Object(Map::new());
    }
    let Value::Object(obj) = doc else {
        unreachable!("made an object above")
    };
    let entry = obj
        .entry("auths")
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    match entry {
        Value::Object(m) => m,
        _ => unreachable!("made an object above"),
    }
}

fn decode(entry: &Value) -> Option<Credentials> {
    if let Some(auth) = entry.get("auth").and_then(Value::as_str)
        && !auth.is_empty()
    {
        let raw = base64_decode(auth)?;
        let text = String::from_utf8(raw).ok()?;
        let (u, p) = text.split_once(':')?;
        return Some(Credentials {
            username: u.to_string(),
            password: p.to_string(),
        });
    }
    let u = entry.get("username").and_then(Value::as_str)?;
    let p = entry.get("password").and_then(Value::as_str)?;
    Some(Credentials {
        username: u.to_string(),
        password: p.to_string(),
    })
}

fn read(file: &Path) -> Result<Value> {
    match fs::read(file) {
        Ok(data) if data.iter().all(u8::is_ascii_whitespace) => Ok(Value::Object(Map::new())),
        Ok(data) => serde_json::from_slice(&data).map_err(|e| {
            EngineError::Invalid(format!(
                "credentials file '{}' is not valid JSON: {e}; fix or remove it",
                file.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Object(Map::new())),
        Err(e) => Err(EngineError::io(file, e)),
    }
}

/// Writes `doc` to `file` through a 0600 temporary file, fsync and rename.
fn write(file: &Path, doc: &Value) -> Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).at(dir)?;
    let mut data = serde_json::to_vec_pretty(doc).map_err(|source| StoreError::Encode {
        path: file.to_path_buf(),
        source,
    })?;
    data.push(b'\n');
    let mut out = AtomicFile::with_mode(file, 0o600)?;
    out.write_all(&data).at(file)?;
    Ok(out.commit()?)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional); `None` if malformed.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.trim().bytes().filter(|c| *c != b'=') {
        let v = B64.iter().position(|x| *x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for s in ["", "a", "ab", "abc", "user:pass", "ü:ñ?"] {
            let e = base64_encode(s.as_bytes());
            assert_eq!(base64_decode(&e).expect("decode"), s.as_bytes());
        }
        assert_eq!(base64_encode(b"user:pass"), "dXNlcjpwYXNz");
    }

    #[test]
    fn servers_normalize_like_docker() {
        assert_eq!(normalize("https://index.docker.io/v1/"), "docker.io");
        assert_eq!(normalize("http://127.0.0.1:5000/v2/"), "127.0.0.1:5000");
        assert_eq!(key_for("docker.io"), DOCKER_HUB_KEY);
        assert_eq!(key_for("Reg.Example.com"), "reg.example.com");
    }
}
