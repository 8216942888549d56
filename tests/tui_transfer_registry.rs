//! A real pull and push from a loopback registry (Debian's docker-registry) through the
//! task the dashboard runs (`transfer::spawn`), its progress actions fed to the app: every
//! layer goes waiting, downloading, extracting, done; the image is listed at the end; the
//! push of a second name mounts the layers from the first repository.

#[path = "common/registry_harness.rs"]
mod registry_harness;

use berth::engine::Engine;
use berth::engine::Progress;
use berth::tui::action::{Action, Effect};
use berth::tui::app::{App, AppSettings, Pane};
use berth::tui::keymap::Keymap;
use berth::tui::panes::transfer::state::TransferKind;
use berth::tui::panes::transfer::task as transfer;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use registry_harness::{Registry, busybox_rootfs};

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn enter() -> Action {
    Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

/// An app with the (empty) Images pane open.
fn images_app() -> App {
    let mut app = App::new(
        Keymap::default(),
        AppSettings::default(),
        chrono::Utc::now(),
    );
    app.update(Action::ContainersListed(Ok(vec![])));
    app.update(key('i'));
    assert_eq!(app.focus, Pane::Images);
    app.update(Action::ImagesListed(Ok(vec![])));
    app
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, data).expect("gzip");
    gz.finish().expect("gzip")
}

fn sha(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// Pushes a two-layer busybox image (busybox, then a 3 MB file) as `repo:tag`.
fn push_two_layers(reg: &Registry, repo: &str, tag: &str) -> Vec<String> {
    let l1 = busybox_rootfs();
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    h.set_size(data.len() as u64);
    h.set_mode(0o644);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(1_700_000_000);
    b.append_data(&mut h, "data.bin", data.as_slice())
        .expect("append");
    let l2 = b.into_inner().expect("tar");
    let (g1, g2) = (gzip(&l1), gzip(&l2));
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": [sha(&l1), sha(&l2)]},
    }))
    .expect("config");
    let cd = reg.upload(repo, &config);
    let d1 = reg.upload(repo, &g1);
    let d2 = reg.upload(repo, &g2);
    let layer = |d: &str, n: usize| serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": n});
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": config.len()},
        "layers": [layer(&d1, g1.len()), layer(&d2, g2.len())],
    }))
    .expect("manifest");
    reg.put_manifest(
        repo,
        tag,
        "application/vnd.oci.image.manifest.v1+json",
        &manifest,
    );
    vec![d1, d2]
}

#[test]
fn a_pull_and_a_push_through_the_dashboard_task_report_each_layer() {
    let reg = Registry::plain();
    let digests = push_two_layers(&reg, "dash/app", "v1");
    let shorts: Vec<String> = digests
        .iter()
        .map(|d| d.trim_start_matches("sha256:")[..12].to_string())
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(&dir.path().join("state"), Default::default()).expect("engine");
    let reference = format!("{}/dash/app:v1", reg.host);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut app = images_app();
    let fx = app.update(key('p'));
    assert!(fx.is_empty());
    typed(&mut app, &reference);
    let fx = app.update(enter());
    let Some(Effect::Transfer {
        kind,
        reference: r,
        registries,
    }) = fx.into_iter().next()
    else {
        panic!("no transfer effect");
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let actions = rt.block_on(async {
        let task = transfer::spawn(engine.clone(), registries, kind, r, tx);
        let mut seen = Vec::new();
        let mut max_rows = 0;
        while let Some(a) = rx.recv().await {
            let end = matches!(a, Action::TransferFinished { .. });
            seen.push(a.clone());
            app.update(a);
            if let Some(t) = &app.transfer {
                max_rows = max_rows.max(t.layers.len());
            }
            if end {
                break;
            }
        }
        task.await.expect("task");
        assert_eq!(max_rows, 2, "both layers got a row");
        seen
    });
    let progress: Vec<&Progress> = actions
        .iter()
        .filter_map(|a| match a {
            Action::TransferProgress(p) => Some(p),
            _ => None,
        })
        .collect();
    assert!(
        matches!(progress.first(), Some(Progress::Resolved { .. })),
        "{progress:?}"
    );
    for id in &shorts {
        let pos = |f: &dyn Fn(&Progress) -> bool| progress.iter().position(|p| f(p));
        let waiting = pos(&|p| matches!(p, Progress::Waiting { id: i, .. } if i == id));
        let moving = pos(&|p| matches!(p, Progress::Transferring { id: i, .. } if i == id));
        let extracting = pos(&|p| matches!(p, Progress::Extracting { id: i } if i == id));
        let done = pos(&|p| matches!(p, Progress::Complete { id: i } if i == id));
        assert!(
            waiting < moving && moving < extracting && extracting < done && waiting.is_some(),
            "layer {id}: {progress:?}, then {:?}",
            actions.last()
        );
    }
    let last = progress
        .iter()
        .rev()
        .find_map(|p| match p {
            Progress::Transferring { id, current, total } if *id == shorts[1] => {
                Some((*current, *total))
            }
            _ => None,
        })
        .expect("bytes of layer 2");
    assert_eq!(last.0, last.1, "the last byte count is the whole layer");
    let Some(Action::TransferFinished { result, .. }) = actions.last() else {
        panic!("no finish: {actions:?}");
    };
    let line = result.clone().expect("pull succeeded");
    assert!(
        line.starts_with(&format!("pulled '{reference}' (sha256:")),
        "{line}"
    );
    assert_eq!(app.status.as_ref().map(|s| s.text.clone()), Some(line));
    assert!(app.transfer.is_none());
    // The finish asks for the image list; the engine lists the pulled image.
    let images = engine.images().expect("images");
    assert!(
        images.iter().any(|i| i.repo_tags.contains(&reference)),
        "{:?}",
        images.iter().map(|i| &i.repo_tags).collect::<Vec<_>>()
    );

    // Push it under another name through the same task: the registry has the layers in
    // the first repository, so they are mounted, not uploaded again.
    let copy = format!("{}/dash/copy:v1", reg.host);
    engine.tag_image(&reference, &copy).expect("tag");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let actions = rt.block_on(async {
        let task = transfer::spawn(
            engine.clone(),
            Default::default(),
            TransferKind::Push,
            copy.clone(),
            tx,
        );
        let mut seen = Vec::new();
        while let Some(a) = rx.recv().await {
            let end = matches!(a, Action::TransferFinished { .. });
            seen.push(a);
            if end {
                break;
            }
        }
        task.await.expect("task");
        seen
    });
    let mounted = actions
        .iter()
        .filter(|a| matches!(a, Action::TransferProgress(Progress::Mounted { from, .. }) if from == "dash/app"))
        .count();
    assert_eq!(mounted, 2, "{actions:?}");
    let Some(Action::TransferFinished { result, .. }) = actions.last() else {
        panic!("no finish: {actions:?}");
    };
    let line = result.clone().expect("push succeeded");
    assert!(
        line.starts_with(&format!("pushed '{copy}' (sha256:")),
        "{line}"
    );
    let digest = line
        .trim_end_matches(')')
        .rsplit('(')
        .next()
        .expect("digest");
    let status = rt.block_on(async {
        reqwest::Client::new()
            .head(format!(
                "http://{}/v2/dash/copy/manifests/{digest}",
                reg.host
            ))
            .header("Accept", "application/vnd.oci.image.manifest.v1+json")
            .send()
            .await
            .expect("head")
            .status()
    });
    assert!(
        status.is_success(),
        "the registry has the pushed manifest: {status}"
    );
}
