//! Pulls and pushes from the dashboard: the pull prompt, the push of the selected image,
//! per-layer gauges on a TestBackend, errors in one status line; and a real pull from a
//! loopback registry through the task the dashboard runs, its progress fed to the app.

#[path = "common/registry_harness.rs"]
mod registry_harness;

use berth::engine::Engine;
use berth::engine::image::Image;
use berth::engine::registry::Progress;
use berth::tui::action::{Action, Effect};
use berth::tui::app::{App, AppSettings, Level, Pane};
use berth::tui::images::rows_of;
use berth::tui::keymap::Keymap;
use berth::tui::theme::{Role, Theme};
use berth::tui::transfer::{self, TransferKind};
use berth::tui::ui;
use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use registry_harness::{Registry, busybox_rootfs};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .expect("time")
}

fn key(c: char) -> Action {
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Action::Key(KeyEvent::new(KeyCode::Char(c), mods))
}

fn enter() -> Action {
    Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for c in text.chars() {
        fx.extend(app.update(key(c)));
    }
    fx
}

fn draw(app: &App, theme: &Theme) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(130, 34)).expect("terminal");
    term.draw(|f| ui::render(app, theme, f.area(), f.buffer_mut()))
        .expect("draw");
    term.backend().buffer().clone()
}

fn screen(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

fn line_with(buf: &Buffer, text: &str) -> (usize, String) {
    screen(buf)
        .into_iter()
        .enumerate()
        .find(|(_, l)| l.contains(text))
        .unwrap_or_else(|| panic!("'{text}' not on screen:\n{}", screen(buf).join("\n")))
}

fn image(tag: Option<&str>) -> Image {
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": []},
        "history": [{"created": "2026-03-01T10:00:00Z", "created_by": "ADD rootfs.tar /"}]
    });
    Image {
        id: format!("sha256:{}", "cd".repeat(32)),
        manifest_digest: String::new(),
        repo_tags: tag.into_iter().map(str::to_string).collect(),
        repo_digests: vec![],
        config: serde_json::from_value(config).expect("config"),
        layers: vec!["1".repeat(64)],
        layer_sizes: vec![1000],
        size: 1000,
        created: now() - chrono::Duration::hours(1),
    }
}

/// An app with the Images pane open on `images`.
fn images_app(images: Vec<Image>) -> App {
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    app.update(Action::ContainersListed(Ok(vec![])));
    app.update(key('i'));
    assert_eq!(app.focus, Pane::Images);
    app.update(Action::ImagesListed(Ok(rows_of(images))));
    app
}

#[test]
fn pull_prompt_shows_per_layer_gauges_and_errors_in_one_line() {
    let mut app = images_app(vec![]);
    let theme = Theme::preset("default").expect("theme");
    app.update(key('p'));
    let text = screen(&draw(&app, &theme)).join("\n");
    assert!(text.contains("Image to pull (berth pull):"), "{text}");
    // Enter on nothing keeps the prompt and says what to type.
    assert!(app.update(enter()).is_empty());
    assert!(app.popup.is_some());
    let fx = typed(&mut app, "localhost:5000/app:1");
    assert!(fx.is_empty(), "typing starts nothing: {fx:?}");
    let fx = app.update(enter());
    assert_eq!(
        fx,
        vec![Effect::Transfer {
            kind: TransferKind::Pull,
            reference: "localhost:5000/app:1".into(),
            registries: Default::default(),
        }]
    );
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("berth pull localhost:5000/app:1")
    );
    let text = screen(&draw(&app, &theme)).join("\n");
    assert!(text.contains("resolving the reference"), "{text}");

    for p in [
        Progress::Resolved {
            reference: "localhost:5000/app:1".into(),
        },
        Progress::AlreadyExists {
            id: "aaaaaaaaaaaa".into(),
        },
        Progress::Waiting {
            id: "bbbbbbbbbbbb".into(),
            total: 30_000_000,
        },
        Progress::Waiting {
            id: "cccccccccccc".into(),
            total: 2_000_000,
        },
        Progress::Resumed {
            id: "bbbbbbbbbbbb".into(),
            current: 10_000_000,
            total: 30_000_000,
        },
        Progress::Transferring {
            id: "bbbbbbbbbbbb".into(),
            current: 15_000_000,
            total: 30_000_000,
        },
        Progress::Transferring {
            id: "cccccccccccc".into(),
            current: 2_000_000,
            total: 2_000_000,
        },
        Progress::Extracting {
            id: "cccccccccccc".into(),
        },
    ] {
        assert!(app.update(Action::TransferProgress(p)).is_empty());
    }
    let buf = draw(&app, &theme);
    let (_, title) = line_with(&buf, "Pulling localhost:5000/app:1");
    assert!(title.contains("17MB/32MB"), "{title}");
    let (_, exists) = line_with(&buf, "aaaaaaaaaaaa");
    assert!(
        exists.contains("exists") && exists.contains("100%"),
        "{exists}"
    );
    let (y, b) = line_with(&buf, "bbbbbbbbbbbb");
    assert!(b.contains("downloading") && b.contains("50%"), "{b}");
    assert!(b.contains("15MB/30MB (resumed at 10MB)"), "{b}");
    let (_, c) = line_with(&buf, "cccccccccccc");
    assert!(c.contains("extracting") && c.contains("100%"), "{c}");
    // The gauge of b is half filled: its first cells carry the gauge role's colour.
    let gauge_x = 13 + 13 + 1;
    let filled = buf[(gauge_x as u16 + 2, y as u16)].style();
    assert_eq!(
        filled.fg,
        theme.style(Role::Info).fg,
        "filled gauge cell in the info role"
    );

    // One at a time: a second pull waits.
    app.update(key('p'));
    typed(&mut app, "busybox");
    assert!(app.update(enter()).is_empty());
    let status = app.status.clone().expect("status");
    assert_eq!(status.level, Level::Error);
    assert!(
        status.text.contains("still pulling 'localhost:5000/app:1'"),
        "{status:?}"
    );

    // A failure ends the gauges and reads as one line in the status bar.
    let fx = app.update(Action::TransferFinished {
        kind: TransferKind::Pull,
        reference: "localhost:5000/app:1".into(),
        result: Err(
            "registry 'localhost:5000' is unreachable: connection refused\nstart it".into(),
        ),
    });
    assert_eq!(fx, vec![Effect::ListImages]);
    assert!(app.transfer.is_none());
    let buf = draw(&app, &theme);
    let last = screen(&buf).pop().expect("status bar");
    assert!(
        last.contains("berth pull localhost:5000/app:1: registry 'localhost:5000' is unreachable"),
        "{last}"
    );
    assert!(!screen(&buf).join("\n").contains("bbbbbbbbbbbb"));
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("#   failed: registry 'localhost:5000' is unreachable: connection refused\nstart it")
    );
}

#[test]
fn push_sends_the_selected_reference_and_refuses_an_untagged_image() {
    let mut app = images_app(vec![image(Some("localhost:5000/box:1"))]);
    let fx = app.update(key('P'));
    assert_eq!(
        fx,
        vec![Effect::Transfer {
            kind: TransferKind::Push,
            reference: "localhost:5000/box:1".into(),
            registries: Default::default(),
        }]
    );
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("berth push localhost:5000/box:1")
    );
    app.update(Action::TransferProgress(Progress::Mounted {
        id: "dddddddddddd".into(),
        from: "other".into(),
    }));
    app.update(Action::TransferProgress(Progress::Transferring {
        id: "eeeeeeeeeeee".into(),
        current: 500,
        total: 1000,
    }));
    let theme = Theme::preset("default").expect("theme");
    let buf = draw(&app, &theme);
    line_with(&buf, "Pushing localhost:5000/box:1");
    let (_, row) = line_with(&buf, "eeeeeeeeeeee");
    assert!(
        row.contains("uploading") && row.contains("500B/1kB"),
        "{row}"
    );
    let (_, row) = line_with(&buf, "dddddddddddd");
    assert!(row.contains("mounted"), "{row}");
    app.update(Action::TransferFinished {
        kind: TransferKind::Push,
        reference: "localhost:5000/box:1".into(),
        result: Ok("pushed 'localhost:5000/box:1' (sha256:abc)".into()),
    });
    let status = app.status.clone().expect("status");
    assert_eq!(status.level, Level::Info);
    assert_eq!(status.text, "pushed 'localhost:5000/box:1' (sha256:abc)");

    let mut app = images_app(vec![image(None)]);
    let logged = app.command_log.len();
    assert!(app.update(key('P')).is_empty());
    let status = app.status.clone().expect("status");
    assert!(
        status.text.contains("has no name to push: tag it first"),
        "{status:?}"
    );
    assert_eq!(app.command_log.len(), logged, "nothing run");
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
fn a_pull_through_the_dashboard_task_reports_each_layer_and_lists_the_image() {
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
    let mut app = images_app(vec![]);
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
}
