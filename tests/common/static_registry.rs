//! A registry of fixed documents on loopback (part of the registry harness).

use std::net::{TcpListener, TcpStream};

/// A registry of fixed documents on loopback, for what a real registry refuses to store
/// (an ambiguous manifest, CVE-2021-41190): serves `GET /v2/`, manifests by tag or digest
/// and blobs by digest from a map, answers 404 to the rest. Stopped when dropped.
pub struct StaticRegistry {
    /// `127.0.0.1:<port>`.
    pub host: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// One document a [`StaticRegistry`] serves: content type and body.
pub type Document = (String, Vec<u8>);

impl StaticRegistry {
    /// Serves `docs`: keys are request paths (`/v2/repo/manifests/1`, `/v2/repo/blobs/sha256:..`).
    pub fn serve(docs: std::collections::HashMap<String, Document>) -> StaticRegistry {
        use std::io::{BufRead, BufReader, Write};
        use std::sync::atomic::Ordering;
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let host = format!("127.0.0.1:{}", listener.local_addr().expect("addr").port());
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut conn) = conn else { continue };
                let mut reader = BufReader::new(conn.try_clone().expect("clone"));
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    continue;
                }
                // Skip the headers.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let mut parts = request.split_whitespace();
                let method = parts.next().unwrap_or_default().to_string();
                let path = parts.next().unwrap_or_default().to_string();
                let (status, ctype, body) = if path == "/v2/" {
                    ("200 OK", "application/json".to_string(), b"{}".to_vec())
                } else if let Some((t, b)) = docs.get(&path) {
                    ("200 OK", t.clone(), b.clone())
                } else {
                    (
                        "404 Not Found",
                        "application/json".to_string(),
                        br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]}"#.to_vec(),
                    )
                };
                use sha2::{Digest, Sha256};
                let digest = format!("sha256:{}", hex::encode(Sha256::digest(&body)));
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nDocker-Content-Digest: {digest}\r\nDocker-Distribution-Api-Version: registry/2.0\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = conn.write_all(head.as_bytes());
                if method != "HEAD" {
                    let _ = conn.write_all(&body);
                }
            }
        });
        StaticRegistry {
            host,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for StaticRegistry {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = TcpStream::connect(&self.host);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
