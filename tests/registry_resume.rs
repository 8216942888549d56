//! Resumed downloads and registry mirrors, against real registries on loopback (Debian's
//! `docker-registry`): a pull killed with SIGKILL mid-layer leaves its bytes in
//! `tmp/partial-<hex>` and the next pull asks only for the rest (a Range request), bad kept
//! bytes never land in `blobs/`, and mirrors are tried before the registry itself.

#[path = "common/registry_harness.rs"]
mod registry_harness;

use berth::engine::Engine;
use berth::engine::{Progress, PullOptions, RegistryOptions};
use registry_harness::{Registry, big_layer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn sha(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

fn state(dir: &Path) -> PathBuf {
    dir.join("state")
}

fn berth(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_berth"));
    c.arg("--root")
        .arg(state(dir))
        .arg("--config")
        .arg(dir.join("config.yaml"))
        .env("HOME", dir)
        .env("BERTH_CONFIG_DIR", dir.join("auth"))
        .env_remove("DOCKER_CONFIG");
    c
}

/// Pulls through the engine, collecting the progress events.
fn pull(engine: &Engine, reference: &str, registries: RegistryOptions) -> (Vec<Progress>, u64) {
    let seen = Mutex::new(Vec::new());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let opts = PullOptions {
        platform: None,
        registries,
        credentials: None,
    };
    let res = rt
        .block_on(engine.pull_image(reference, &opts, |p| seen.lock().expect("lock").push(p)))
        .expect("pull");
    (seen.into_inner().expect("lock"), res.fetched)
}

fn every_blob_is_honest(root: &Path) {
    for e in std::fs::read_dir(root.join("blobs/sha256")).expect("blobs") {
        let e = e.expect("entry");
        let content = std::fs::read(e.path()).expect("read blob");
        assert_eq!(
            sha(&content),
            format!("sha256:{}", e.file_name().to_string_lossy()),
            "a blob does not hold what its name says"
        );
    }
}

#[test]
fn a_killed_pull_resumes_where_it_stopped_and_the_image_runs() {
    let reg = Registry::plain();
    let (layer, tar) = big_layer(30 * 1024 * 1024, 0x9e37_79b9_7f4a_7c15);
    let layer_digest = sha(&layer);
    reg.push_raw_image("big", "v1", &layer, &sha(&tar));
    let target = format!("{}/big:v1", reg.host);
    let dir = tempfile::tempdir().expect("tempdir");
    let partial = state(dir.path()).join("tmp").join(format!(
        "partial-{}",
        layer_digest.trim_start_matches("sha256:")
    ));

    let mut child = berth(dir.path())
        .args(["pull", "-q", &target])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn berth pull");
    // Kill it once a few MB of the layer are down, well before the end.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let have = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
        if have >= 4 * 1024 * 1024 {
            break;
        }
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "the pull ended before it could be killed"
        );
        assert!(Instant::now() < deadline, "the pull never started");
        std::thread::sleep(Duration::from_millis(2));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill");
    let _ = child.wait();
    let kept = std::fs::metadata(&partial).expect("partial kept").len();
    assert!(
        kept > 0 && kept < layer.len() as u64,
        "kept {kept} of {}",
        layer.len()
    );
    every_blob_is_honest(&state(dir.path()));
    let blobs = state(dir.path()).join("blobs/sha256");
    assert!(
        !blobs
            .join(layer_digest.trim_start_matches("sha256:"))
            .exists()
    );

    let engine = Engine::open(&state(dir.path()), Default::default()).expect("engine");
    let (events, fetched) = pull(&engine, &target, RegistryOptions::default());
    let resumed_at = events.iter().find_map(|p| match p {
        Progress::Resumed { current, .. } => Some(*current),
        _ => None,
    });
    assert_eq!(resumed_at, Some(kept), "{events:?}");
    assert_eq!(
        fetched,
        layer.len() as u64 - kept,
        "only the rest came over the network"
    );
    assert!(!partial.exists(), "the partial download became the blob");
    assert!(
        blobs
            .join(layer_digest.trim_start_matches("sha256:"))
            .exists()
    );
    every_blob_is_honest(&state(dir.path()));
    // The registry's access log: the last GET of the layer (the re-pull) was answered 206
    // with only the rest.
    let log = reg.log();
    let gets: Vec<(String, u64)> = log
        .lines()
        .filter(|l| l.contains(&format!("GET /v2/big/blobs/{layer_digest}")))
        .filter_map(|l| {
            let mut f = l.split("\" ").nth(1)?.split(' ');
            Some((f.next()?.to_string(), f.next()?.parse().ok()?))
        })
        .collect();
    assert_eq!(gets.len(), 2, "{log}");
    assert_eq!(
        gets[1],
        ("206".to_string(), layer.len() as u64 - kept),
        "{log}"
    );
    let out = berth(dir.path())
        .args([
            "run",
            "--rm",
            "--network",
            "none",
            &target,
            "sh",
            "-c",
            "ls -l /big.bin",
        ])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(&(30 * 1024 * 1024).to_string()), "{text}");
}

#[test]
fn bad_kept_bytes_are_refetched_whole_and_never_stored() {
    let reg = Registry::plain();
    let (layer, tar) = big_layer(2 * 1024 * 1024, 7);
    let layer_digest = sha(&layer);
    reg.push_raw_image("bad", "v1", &layer, &sha(&tar));
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(&state(dir.path()), Default::default()).expect("engine");
    // A "partial download" that is not a prefix of the blob.
    let partial = state(dir.path()).join("tmp").join(format!(
        "partial-{}",
        layer_digest.trim_start_matches("sha256:")
    ));
    std::fs::write(&partial, vec![0x5a; 100_000]).expect("write partial");
    let (events, fetched) = pull(
        &engine,
        &format!("{}/bad:v1", reg.host),
        RegistryOptions::default(),
    );
    assert!(
        events.iter().any(|p| matches!(
            p,
            Progress::Resumed {
                current: 100_000,
                ..
            }
        )),
        "{events:?}"
    );
    assert_eq!(
        fetched,
        layer.len() as u64,
        "the second try fetched it whole"
    );
    assert!(!partial.exists());
    every_blob_is_honest(&state(dir.path()));
}

/// A plain TCP proxy to `upstream` that drops the `Range` header of every request (a
/// registry or CDN that does not honour ranges); requests are header-only GETs and HEADs
/// during a pull, so each is read up to its blank line. Returns its `127.0.0.1:port`.
fn range_stripping_proxy(upstream: String) -> String {
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let Ok(server) = TcpStream::connect(&upstream) else {
                continue;
            };
            let (mut down_from, mut down_to) = (
                server.try_clone().expect("clone"),
                client.try_clone().expect("clone"),
            );
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut down_from, &mut down_to);
                let _ = down_to.shutdown(std::net::Shutdown::Both);
            });
            std::thread::spawn(move || {
                let mut from = BufReader::new(client);
                let mut to = server;
                let mut line = String::new();
                loop {
                    line.clear();
                    match from.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    if line.to_ascii_lowercase().starts_with("range:") {
                        continue;
                    }
                    if to.write_all(line.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

#[test]
fn a_registry_that_ignores_ranges_gets_the_whole_blob_fetched_again() {
    let reg = Registry::plain();
    let (layer, tar) = big_layer(3 * 1024 * 1024, 11);
    let layer_digest = sha(&layer);
    reg.push_raw_image("norange", "v1", &layer, &sha(&tar));
    let proxy = range_stripping_proxy(reg.host.clone());
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(&state(dir.path()), Default::default()).expect("engine");
    // A good prefix, as a killed pull leaves it.
    let partial = state(dir.path()).join("tmp").join(format!(
        "partial-{}",
        layer_digest.trim_start_matches("sha256:")
    ));
    std::fs::write(&partial, &layer[..500_000]).expect("write partial");
    let (events, fetched) = pull(
        &engine,
        &format!("{proxy}/norange:v1"),
        RegistryOptions::default(),
    );
    assert!(
        !events.iter().any(|p| matches!(p, Progress::Resumed { .. })),
        "a 200 answer is not a resume: {events:?}"
    );
    assert_eq!(fetched, layer.len() as u64, "the whole blob came again");
    assert!(!partial.exists());
    every_blob_is_honest(&state(dir.path()));
    assert!(
        state(dir.path())
            .join("blobs/sha256")
            .join(layer_digest.trim_start_matches("sha256:"))
            .exists()
    );
}

#[test]
fn mirrors_come_first_and_the_registry_is_the_fallback() {
    let upstream = Registry::plain();
    let mirror = Registry::plain();
    let (l1, t1) = big_layer(1000, 1);
    let (l2, t2) = big_layer(2000, 2);
    // The mirror has app:v1; only the upstream has app:v2.
    let on_mirror = mirror.push_raw_image("team/app", "v1", &l1, &sha(&t1));
    let on_upstream = upstream.push_raw_image("team/app", "v2", &l2, &sha(&t2));
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(&state(dir.path()), Default::default()).expect("engine");
    let with_mirror = |upstream_host: &str| RegistryOptions {
        mirrors: BTreeMap::from([(upstream_host.to_string(), vec![mirror.host.clone()])]),
        ..Default::default()
    };

    // The mirror has it: the upstream is never needed (here it does not even exist).
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let gone = format!("127.0.0.1:{dead}");
    pull(&engine, &format!("{gone}/team/app:v1"), with_mirror(&gone));
    let img = engine
        .image(&format!("{gone}/team/app:v1"))
        .expect("tagged under the name asked for");
    assert!(
        img.repo_digests.iter().any(|d| d.ends_with(&on_mirror)),
        "{:?}",
        img.repo_digests
    );

    // The mirror lacks v2: the pull falls back to the registry itself.
    let up = upstream.host.clone();
    pull(&engine, &format!("{up}/team/app:v2"), with_mirror(&up));
    let img = engine
        .image(&format!("{up}/team/app:v2"))
        .expect("pulled from upstream");
    assert!(
        img.repo_digests.iter().any(|d| d.ends_with(&on_upstream)),
        "{:?}",
        img.repo_digests
    );

    // The same through the CLI and the config file's `registries.mirrors`.
    std::fs::write(
        dir.path().join("config.yaml"),
        format!(
            "registries:\n  mirrors:\n    \"{gone}\": [\"{}\"]\n",
            mirror.host
        ),
    )
    .expect("config");
    engine
        .remove_image(&format!("{gone}/team/app:v1"), true)
        .expect("rmi");
    let out = berth(dir.path())
        .args(["pull", &format!("{gone}/team/app:v1")])
        .output()
        .expect("berth pull");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("Digest: {on_mirror}")),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
