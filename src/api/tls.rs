//! TLS for a `tcp://` service: the server's certificate and key, and the CA whose
//! certificates clients must present (dockerd's `--tlsverify --tlscacert --tlscert
//! --tlskey`). A client without a certificate signed by that CA fails the handshake.

use rustls::ServerConfig;
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The three PEM files of dockerd's TLS flags.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// `--tlscacert`: the CA that signs the clients' certificates.
    pub ca: PathBuf,
    /// `--tlscert`: the server's certificate (chain).
    pub cert: PathBuf,
    /// `--tlskey`: the server's private key.
    pub key: PathBuf,
}

/// The TLS flags as given: any of them may be missing.
#[derive(Debug, Clone, Default)]
pub struct TlsFlags {
    /// `--tlsverify[=BOOL]`: client certificates are always required, `false` is refused.
    pub verify: Option<bool>,
    /// `--tlscacert`.
    pub ca: Option<PathBuf>,
    /// `--tlscert`.
    pub cert: Option<PathBuf>,
    /// `--tlskey`.
    pub key: Option<PathBuf>,
}

impl TlsFlags {
    /// Whether any TLS file was given.
    pub fn any(&self) -> bool {
        self.verify.is_some() || self.ca.is_some() || self.cert.is_some() || self.key.is_some()
    }

    /// The three files, or the flags missing.
    pub fn files(&self) -> Result<TlsFiles, Vec<&'static str>> {
        match (&self.ca, &self.cert, &self.key) {
            (Some(ca), Some(cert), Some(key)) => Ok(TlsFiles {
                ca: ca.clone(),
                cert: cert.clone(),
                key: key.clone(),
            }),
            (ca, cert, key) => Err([
                (ca.is_none(), "--tlscacert"),
                (cert.is_none(), "--tlscert"),
                (key.is_none(), "--tlskey"),
            ]
            .into_iter()
            .filter_map(|(missing, flag)| missing.then_some(flag))
            .collect()),
        }
    }
}

/// Why the TLS files cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file cannot be read.
    #[error("cannot read TLS file '{path}': {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file holds no usable PEM item of the kind its flag wants.
    #[error("TLS file '{path}' ({flag}): {why}")]
    Pem {
        /// The file.
        path: PathBuf,
        /// The flag that named it.
        flag: &'static str,
        /// What is wrong with it.
        why: String,
    },
    /// The files parse but do not make a TLS server (a key that is not the certificate's,
    /// an unsupported key type, a CA certificate that is not one).
    #[error("TLS files '{cert}' and '{key}' (or CA '{ca}') are not usable: {why}")]
    Config {
        /// `--tlscacert`.
        ca: PathBuf,
        /// `--tlscert`.
        cert: PathBuf,
        /// `--tlskey`.
        key: PathBuf,
        /// rustls's reason.
        why: String,
    },
}

/// Reads `path` whole.
fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// A PEM error in words (rustls-pki-types prints raw bytes for some of them).
fn pem_why(e: &pem::Error, wanted: &str) -> String {
    match e {
        pem::Error::NoItemsFound => format!("no {wanted} in it (expected a PEM file)"),
        pem::Error::MissingSectionEnd { .. } => "not valid PEM (a section has no END line)".into(),
        pem::Error::IllegalSectionStart { .. } => "not valid PEM (a bad BEGIN line)".into(),
        other => format!("not valid PEM ({other})"),
    }
}

/// Every certificate in the PEM file `path` (at least one).
fn certificates(path: &Path, flag: &'static str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let bytes = read(path)?;
    let bad = |why: String| TlsError::Pem {
        path: path.to_path_buf(),
        flag,
        why,
    };
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(pem_why(&e, "certificate")))?;
    if certs.is_empty() {
        return Err(bad(pem_why(&pem::Error::NoItemsFound, "certificate")));
    }
    Ok(certs)
}

/// The private key in the PEM file `path`.
fn private_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let bytes = read(path)?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| TlsError::Pem {
        path: path.to_path_buf(),
        flag: "--tlskey",
        why: pem_why(&e, "private key"),
    })
}

/// The server's TLS configuration: TLS 1.2 and 1.3, the server's certificate and key, and
/// client certificates required and checked against the CA.
pub fn server_config(files: &TlsFiles) -> Result<Arc<ServerConfig>, TlsError> {
    let cas = certificates(&files.ca, "--tlscacert")?;
    let chain = certificates(&files.cert, "--tlscert")?;
    let key = private_key(&files.key)?;
    let unusable = |why: String| TlsError::Config {
        ca: files.ca.clone(),
        cert: files.cert.clone(),
        key: files.key.clone(),
        why,
    };
    let mut roots = rustls::RootCertStore::empty();
    for ca in cas {
        roots.add(ca).map_err(|e| TlsError::Pem {
            path: files.ca.clone(),
            flag: "--tlscacert",
            why: format!("not a usable CA certificate ({e})"),
        })?;
    }
    // The provider is named (not the process default): more than one may be compiled in.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| unusable(e.to_string()))?;
    let config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| unusable(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| unusable(e.to_string()))?;
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> TlsFiles {
        TlsFiles {
            ca: dir.join("ca.pem"),
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = server_config(&files(dir.path())).expect_err("no files");
        let line = e.to_string();
        assert!(
            line.contains("ca.pem") && line.contains("cannot read"),
            "{line}"
        );
    }

    #[test]
    fn a_file_without_pem_is_named_with_its_flag() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = files(dir.path());
        std::fs::write(&f.ca, "not a certificate\n").expect("write");
        let line = server_config(&f).expect_err("garbage").to_string();
        assert!(
            line.contains("ca.pem")
                && line.contains("--tlscacert")
                && line.contains("no certificate"),
            "{line}"
        );
    }
}
