//! Pulls and pushes from the dashboard: the pull prompt, the push of the selected image,
//! per-layer gauges on a TestBackend, errors in one status line (tui_transfer_registry.rs
//! runs the same task against a real registry).

use crate::engine::Image;
use crate::engine::Progress;
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, AppSettings, Level, Pane};
use crate::tui::keymap::Keymap;
use crate::tui::panes::images::state::rows_of;
use crate::tui::panes::transfer::state::TransferKind;
use crate::tui::theme::{Role, Theme};
use crate::tui::ui;
use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

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
        id: format!("sha256:{}", "cd".repeat(32))
            .parse()
            .expect("image id"),
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
