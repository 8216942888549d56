//! What a killed pull leaves in the state root's `tmp/` (root only, a registry on
//! loopback): its half-extracted layer is removed by the very next berth command, while a
//! live pull's scratch is never touched by other commands.

#[path = "common/registry_harness.rs"]
mod registry_harness;

use registry_harness::{Registry, big_layer};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn sha(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

fn berth(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_berth"));
    c.arg("--root")
        .arg(dir.join("state"))
        .arg("--config")
        .arg(dir.join("config.yaml"))
        .env("HOME", dir)
        .env("BERTH_CONFIG_DIR", dir.join("auth"))
        .env_remove("DOCKER_CONFIG")
        .stdin(Stdio::null());
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    berth(dir).args(args).output().expect("run berth")
}

/// The half-extracted layers in `tmp/`.
fn staged_layers(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("state").join("tmp"))
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("layer-"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Starts `pull` of `target` and waits until its layer is being extracted.
fn pull_until_extracting(dir: &Path, target: &str) -> Child {
    let mut child = berth(dir)
        .args(["pull", "-q", target])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn berth pull");
    let deadline = Instant::now() + Duration::from_secs(60);
    while staged_layers(dir).is_empty() {
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "the pull ended before its layer was seen extracting"
        );
        assert!(
            Instant::now() < deadline,
            "the pull never started extracting"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}

#[test]
fn a_killed_pulls_half_extracted_layer_goes_with_the_next_command() {
    let reg = Registry::plain();
    let (layer, tar) = big_layer(24 * 1024 * 1024, 0x2545_f491_4f6c_dd1d);
    reg.push_raw_image("big", "v1", &layer, &sha(&tar));
    let target = format!("{}/big:v1", reg.host);
    let dir = tempfile::tempdir().expect("tempdir");

    // A live pull: other commands meanwhile leave its scratch alone and it succeeds.
    let mut live = pull_until_extracting(dir.path(), &target);
    for _ in 0..5 {
        assert!(run(dir.path(), &["images"]).status.success());
    }
    assert!(live.wait().expect("wait").success(), "the live pull failed");
    assert!(staged_layers(dir.path()).is_empty());
    assert!(run(dir.path(), &["rmi", &target]).status.success());

    // A killed pull: its half-extracted layer is there until the next command.
    let mut child = pull_until_extracting(dir.path(), &target);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill");
    let _ = child.wait();
    assert!(
        !staged_layers(dir.path()).is_empty(),
        "the killed pull left no scratch: the test did not kill it mid-extraction"
    );
    let out = run(dir.path(), &["images"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(staged_layers(dir.path()), Vec::<PathBuf>::new());
}
