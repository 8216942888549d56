//! Real registries on loopback for the registry tests: Debian's `docker-registry` with a
//! config written here (filesystem storage in a temp dir), plain, with htpasswd auth, or
//! with TLS from a CA made for the test. Each is killed by pid when dropped.

#![allow(dead_code)]

#[path = "static_registry.rs"]
mod static_registry;

#[allow(unused_imports)] // not every test binary serves fixed documents
pub use static_registry::{Document, StaticRegistry};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The registry binary (Debian package `docker-registry`).
pub const REGISTRY_BIN: &str = "/usr/bin/docker-registry";

/// A running registry.
pub struct Registry {
    /// Its temp dir: `store/` (blobs), `config.yml`, certs, htpasswd.
    pub dir: tempfile::TempDir,
    /// `127.0.0.1:<port>` (or `localhost:<port>` for TLS).
    pub host: String,
    /// The CA certificate (PEM file) of a TLS registry.
    pub ca: Option<PathBuf>,
    child: Child,
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

impl Registry {
    /// Without auth, plain HTTP.
    pub fn plain() -> Registry {
        Registry::start("", |_| None)
    }

    /// With htpasswd (bcrypt) auth for `user`/`password`.
    pub fn with_auth(user: &str, password: &str) -> Registry {
        let hash = bcrypt::hash(password, 5).expect("bcrypt");
        let line = format!("{user}:{hash}\n");
        Registry::start("", move |dir| {
            std::fs::write(dir.join("htpasswd"), &line).expect("htpasswd");
            Some(format!(
                "auth:\n  htpasswd:\n    realm: berth-test\n    path: {}\n",
                dir.join("htpasswd").display()
            ))
        })
    }

    /// HTTPS with a certificate for `localhost` signed by a fresh CA.
    pub fn with_tls() -> Registry {
        let mut reg = Registry::start("tls", |dir| {
            let (ca_pem, cert_pem, key_pem) = make_certs();
            std::fs::write(dir.join("ca.pem"), ca_pem).expect("ca");
            std::fs::write(dir.join("cert.pem"), cert_pem).expect("cert");
            std::fs::write(dir.join("key.pem"), key_pem).expect("key");
            None
        });
        reg.ca = Some(reg.dir.path().join("ca.pem"));
        reg
    }

    fn start(kind: &str, prepare: impl FnOnce(&Path) -> Option<String>) -> Registry {
        assert!(
            Path::new(REGISTRY_BIN).exists(),
            "{REGISTRY_BIN} is missing: apt-get install docker-registry"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let extra = prepare(dir.path()).unwrap_or_default();
        let port = free_port();
        let tls = if kind == "tls" {
            format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                dir.path().join("cert.pem").display(),
                dir.path().join("key.pem").display()
            )
        } else {
            String::new()
        };
        let config = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n  secret: berth-test\n{tls}{extra}",
            dir.path().join("store").display()
        );
        std::fs::write(dir.path().join("config.yml"), config).expect("config");
        let log = std::fs::File::create(dir.path().join("registry.log")).expect("log");
        let child = Command::new(REGISTRY_BIN)
            .arg("serve")
            .arg(dir.path().join("config.yml"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start docker-registry");
        let host = if kind == "tls" {
            format!("localhost:{port}")
        } else {
            format!("127.0.0.1:{port}")
        };
        let reg = Registry {
            dir,
            host,
            ca: None,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "registry did not start: {}",
                reg.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        reg
    }

    /// The registry's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
    }

    /// Where the registry keeps a blob's bytes.
    pub fn blob_file(&self, digest: &str) -> PathBuf {
        let hex = digest.trim_start_matches("sha256:");
        self.dir
            .path()
            .join("store/docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (CA cert, server cert for localhost/127.0.0.1, server key), PEM.
fn make_certs() -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "berth test CA");
    let ca = ca_params.self_signed(&ca_key).expect("ca cert");
    let key = KeyPair::generate().expect("key");
    let params = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("params");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let cert = params.signed_by(&key, &issuer).expect("cert");
    (ca.pem(), cert.pem(), key.serialize_pem())
}

/// A root filesystem tar with the host's static busybox as `/bin/busybox` and applets.
pub fn busybox_rootfs() -> Vec<u8> {
    let bin = std::fs::read("/bin/busybox").expect("/bin/busybox (apt-get install busybox-static)");
    let mut b = tar::Builder::new(Vec::new());
    let mut dir = tar::Header::new_gnu();
    dir.set_entry_type(tar::EntryType::Directory);
    dir.set_mode(0o755);
    dir.set_size(0);
    dir.set_mtime(1_700_000_000);
    dir.set_uid(0);
    dir.set_gid(0);
    for d in ["bin", "etc", "tmp"] {
        b.append_data(&mut dir.clone(), d, std::io::empty())
            .expect("dir");
    }
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(0o755);
    h.set_size(bin.len() as u64);
    h.set_mtime(1_700_000_000);
    h.set_uid(0);
    h.set_gid(0);
    b.append_data(&mut h, "bin/busybox", bin.as_slice())
        .expect("busybox");
    for applet in ["sh", "echo", "cat", "ls", "true"] {
        let mut l = tar::Header::new_gnu();
        l.set_entry_type(tar::EntryType::Symlink);
        l.set_mode(0o777);
        l.set_size(0);
        l.set_mtime(1_700_000_000);
        l.set_uid(0);
        l.set_gid(0);
        b.append_link(&mut l, format!("bin/{applet}"), "busybox")
            .expect("link");
    }
    b.into_inner().expect("tar")
}

impl Registry {
    /// Uploads `data` as a blob of `repo` with raw HTTP (monolithic POST + PUT); returns its
    /// digest. The registry checks the digest, so the content is honest when it lands.
    pub fn upload(&self, repo: &str, data: &[u8]) -> String {
        use sha2::{Digest, Sha256};
        let digest = format!("sha256:{}", hex::encode(Sha256::digest(data)));
        let base = format!("http://{}", self.host);
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            let c = reqwest::Client::new();
            let r = c
                .post(format!("{base}/v2/{repo}/blobs/uploads/"))
                .send()
                .await
                .expect("start upload");
            let loc = r.headers()["location"]
                .to_str()
                .expect("location")
                .to_string();
            let url = if loc.starts_with('/') {
                format!("{base}{loc}")
            } else {
                loc
            };
            let sep = if url.contains('?') { '&' } else { '?' };
            let r = c
                .put(format!("{url}{sep}digest={digest}"))
                .header("Content-Type", "application/octet-stream")
                .body(data.to_vec())
                .send()
                .await
                .expect("put blob");
            assert!(r.status().is_success(), "blob upload: {}", r.status());
        });
        digest
    }

    /// Puts a manifest (or index) under `repo:tag` with raw HTTP; returns its digest.
    pub fn put_manifest(&self, repo: &str, tag: &str, media_type: &str, data: &[u8]) -> String {
        use sha2::{Digest, Sha256};
        let url = format!("http://{}/v2/{repo}/manifests/{tag}", self.host);
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let status = rt.block_on(async {
            reqwest::Client::new()
                .put(url)
                .header("Content-Type", media_type)
                .body(data.to_vec())
                .send()
                .await
                .expect("put manifest")
                .status()
        });
        assert!(
            status.is_success(),
            "manifest upload: {status}: {}",
            self.log()
        );
        format!("sha256:{}", hex::encode(Sha256::digest(data)))
    }

    /// Pushes a one-layer image built from a raw (possibly compressed) layer blob whose
    /// uncompressed tar hashes to `diff_id`; returns the manifest digest.
    pub fn push_raw_image(&self, repo: &str, tag: &str, layer: &[u8], diff_id: &str) -> String {
        let config = serde_json::to_vec(&serde_json::json!({
            "architecture": "amd64",
            "os": "linux",
            "config": {"Cmd": ["sh"]},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        }))
        .expect("config");
        let config_digest = self.upload(repo, &config);
        let layer_digest = self.upload(repo, layer);
        let manifest = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": config_digest, "size": config.len()},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": layer_digest, "size": layer.len()}],
        }))
        .expect("manifest");
        self.put_manifest(
            repo,
            tag,
            "application/vnd.oci.image.manifest.v1+json",
            &manifest,
        )
    }
}

/// A layer of busybox plus `size` random bytes as `/big.bin`, stored (not compressed) in a
/// gzip stream so the download is as large as the data. Returns (layer blob, tar).
pub fn big_layer(size: usize, seed: u64) -> (Vec<u8>, Vec<u8>) {
    let mut data = vec![0u8; size];
    let mut x = seed | 1;
    for chunk in data.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    let mut b = tar::Builder::new(Vec::new());
    let mut ar = tar::Archive::new(std::io::Cursor::new(busybox_rootfs()));
    for e in ar.entries().expect("entries") {
        let mut e = e.expect("entry");
        let mut h = e.header().clone();
        let path = e.path().expect("path").into_owned();
        if h.entry_type() == tar::EntryType::Symlink {
            let target = e.link_name().expect("link").expect("target").into_owned();
            b.append_link(&mut h, &path, &target).expect("link");
        } else {
            b.append_data(&mut h, &path, &mut e).expect("data");
        }
    }
    let mut h = tar::Header::new_gnu();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(1_700_000_000);
    b.append_data(&mut h, "big.bin", data.as_slice())
        .expect("append");
    let tar = b.into_inner().expect("tar");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    std::io::Write::write_all(&mut gz, &tar).expect("gzip");
    (gz.finish().expect("gzip"), tar)
}
