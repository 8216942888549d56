//! The Images pane: layer trees from real layer directories (whiteouts made with mknod, an
//! opaque directory's xattr), history rows mapped to layers, what a TestBackend shows.

mod filter;
mod run;
mod sizes;
mod tree;

use crate::engine::Image;
use crate::engine::{Container, ContainerConfig, ContainerState, Status};
use crate::engine::{LayerChangeKind as ChangeKind, LayerTree};
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::app::{App, AppSettings, Pane, Popup};
use crate::tui::keymap::{Keymap, UserAction};
use crate::tui::panes::images::state::{ImagesFocus, rows_of};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui;
use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .expect("time")
}

fn write(root: &Path, rel: &str, bytes: usize) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, vec![b'x'; bytes]).expect("write");
}

fn whiteout(root: &Path, rel: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    nix::sys::stat::mknod(
        &p,
        nix::sys::stat::SFlag::S_IFCHR,
        nix::sys::stat::Mode::from_bits_truncate(0o000),
        0,
    )
    .expect("mknod whiteout (needs root)");
}

fn opaque(root: &Path, rel: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(&p).expect("mkdir");
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: NUL-terminated strings and a 1-byte value.
    let rc = unsafe {
        libc::lsetxattr(
            c.as_ptr(),
            c"trusted.overlay.opaque".as_ptr(),
            b"y".as_ptr().cast(),
            1,
            0,
        )
    };
    assert_eq!(rc, 0, "setting the opaque xattr (needs root)");
}

/// Layer 1: etc/hosts (10 B), bin/sh (100 B), tmp/big (1000 B), opt/a/x (5 B).
/// Layer 2: etc/hosts again (20 B), a whiteout of tmp/big, usr/new (7 B), opt opaque with opt/b (3 B).
fn layers(dir: &Path) -> Vec<PathBuf> {
    let (l1, l2) = (dir.join("l1"), dir.join("l2"));
    write(&l1, "etc/hosts", 10);
    write(&l1, "bin/sh", 100);
    write(&l1, "tmp/big", 1000);
    write(&l1, "opt/a/x", 5);
    write(&l2, "etc/hosts", 20);
    whiteout(&l2, "tmp/big");
    write(&l2, "usr/new", 7);
    opaque(&l2, "opt");
    write(&l2, "opt/b", 3);
    vec![l1, l2]
}

fn image(layers: usize) -> Image {
    // Four steps, the second without a layer: it maps to no layer.
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": []},
        "history": [
            {"created": "2026-03-01T10:00:00Z", "created_by": "ADD rootfs.tar /"},
            {"created": "2026-03-01T10:00:00Z", "created_by": "ENV A=1", "empty_layer": true},
            {"created": "2026-03-01T11:00:00Z", "created_by": "RUN echo hi > /etc/hosts", "comment": "Dockerfile:4"},
            {"created": "2026-03-01T11:00:00Z", "created_by": "CMD [\"sh\"]", "empty_layer": true}
        ]
    });
    Image {
        id: format!("sha256:{}", "ab".repeat(32))
            .parse()
            .expect("image id"),
        manifest_digest: String::new(),
        repo_tags: vec!["box:1".into(), "me/box:latest".into()],
        repo_digests: vec![],
        config: serde_json::from_value(config).expect("config"),
        layers: (0..layers).map(|i| format!("{i}").repeat(64)).collect(),
        layer_sizes: vec![1115, 30],
        size: 1145,
        created: now() - chrono::Duration::hours(2),
    }
}

fn user_of(id: &str, name: &str) -> Container {
    let mut config = blank();
    config.id = format!("{:0>64}", name.len())
        .parse()
        .expect("container id");
    config.name = name.into();
    config.image_id = id.parse().expect("image id");
    Container {
        config,
        state: ContainerState {
            status: Status::Exited,
            ..Default::default()
        },
    }
}

fn blank() -> ContainerConfig {
    ContainerConfig {
        created: now(),
        image: "box:1".into(),
        network_mode: "none".into(),
        stop_signal: "SIGTERM".into(),
        ..Default::default()
    }
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Action {
    Action::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// An app in the Images pane with the two-layer image listed and its tree computed.
fn images_app(dir: &Path) -> App {
    let img = image(2);
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    let users = vec![user_of(&img.id, "a"), user_of(&img.id, "bb")];
    app.update(Action::ContainersListed(Ok(users)));
    let fx = app.update(key('i'));
    assert_eq!(app.focus, Pane::Images);
    assert!(fx.contains(&Effect::ListImages), "{fx:?}");
    assert!(fx.contains(&Effect::WatchStats(false)), "{fx:?}");
    let fx = app.update(Action::ImagesListed(Ok(rows_of(vec![img.clone()]))));
    assert_eq!(
        fx,
        vec![Effect::ComputeTree {
            image_id: img.id.clone(),
            layers: img.layers.clone()
        }]
    );
    let tree = LayerTree::compute(&layers(dir)).expect("compute");
    app.update(Action::TreeComputed {
        image_id: img.id.clone(),
        result: Ok(Arc::new(tree)),
    });
    app
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

fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    for (y, row) in screen(buf).iter().enumerate() {
        if let Some(i) = row.find(text) {
            return (row[..i].chars().count() as u16, y as u16);
        }
    }
    panic!("'{text}' not on screen:\n{}", screen(buf).join("\n"));
}

#[test]
fn images_pane_lists_references_in_use_counts_and_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = images_app(dir.path());
    let theme = Theme::preset("default").expect("theme");
    let buf = draw(&app, &theme);
    let text = screen(&buf).join("\n");
    for want in [
        "Images (2)",
        "REPOSITORY",
        "IMAGE ID",
        "CONTAINERS",
        "me/box",
        "abababababab",
        "2 hours ago",
        "1.15kB",
        "in use by 2",
        "History: box:1",
        "CREATED BY",
        "RUN echo hi > /etc/hosts",
        "ENV A=1",
        "ADD rootfs.tar /",
    ] {
        assert!(text.contains(want), "'{want}' missing:\n{text}");
    }
    // Newest step first; the ENV step made no layer.
    let (_, run_y) = find(&buf, "RUN echo hi");
    let (_, env_y) = find(&buf, "ENV A=1");
    assert!(run_y < env_y);
    let row = &screen(&buf)[env_y as usize];
    assert!(row.contains(" - "), "an empty step shows no layer: {row}");
    assert_eq!(
        app.images.rows[0].row_layers(),
        vec![None, Some(1), None, Some(0)]
    );
    // The newest history row is selected; it is a metadata step: no layer files.
    assert!(text.contains("made no layer"), "{text}");
}

#[test]
fn file_tree_shows_changes_sizes_origin_and_wasted_space() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = images_app(dir.path());
    let theme = Theme::preset("default").expect("theme");
    // To the history, down to the RUN step (layer 2), then to the files.
    app.update(code(KeyCode::Right));
    app.update(key('j'));
    assert_eq!(app.images.selected_layer(), Some(1));
    app.update(key('l'));
    assert_eq!(app.images.focus, ImagesFocus::Files);
    let buf = draw(&app, &theme);
    let text = screen(&buf).join("\n");
    assert!(text.contains("/etc: unchanged in this layer"), "{text}");
    app.update(key('j'));
    let buf = draw(&app, &theme);
    let text = screen(&buf).join("\n");
    for want in [
        "Files: layer 2 of 2, changes",
        "  etc/",
        "~   hosts",
        "-   big",
        "+ usr/",
        "+   new",
        "wasted: 1.01kB in 3 files overwritten or removed later (layer 2: 0B)",
        "/etc/hosts from layer 2 (Dockerfile:4): RUN echo hi > /etc/hosts",
    ] {
        assert!(text.contains(want), "'{want}' missing:\n{text}");
    }
    let removed = find(&buf, "big");
    assert_eq!(
        buf[removed].fg,
        theme.style(Role::FileRemoved).fg.expect("fg"),
        "a removed file is in the file_removed colour"
    );
    let added = find(&buf, "new ");
    assert_eq!(buf[added].fg, theme.style(Role::FileAdded).fg.expect("fg"));
    let changed = find(&buf, "hosts");
    assert_eq!(
        buf[changed].fg,
        theme.style(Role::FileChanged).fg.expect("fg")
    );
    let wasted = find(&buf, "wasted:");
    assert_eq!(buf[wasted].fg, theme.style(Role::Wasted).fg.expect("fg"));

    // The merged view up to layer 1: the file that layer 2 removed is there, from layer 1.
    app.update(code(KeyCode::Left));
    app.update(key('j'));
    app.update(key('j'));
    app.update(key('v'));
    assert_eq!(app.images.selected_layer(), Some(0));
    let buf = draw(&app, &theme);
    let text = screen(&buf).join("\n");
    assert!(text.contains("layer 1 of 2, merged"), "{text}");
    assert!(text.contains("big") && text.contains("1kB"), "{text}");
    assert!(text.contains("from layer 1: ADD rootfs.tar /"), "{text}");
}

#[test]
fn image_actions_prompt_confirm_and_log_the_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = images_app(dir.path());
    // Tag: letters (y and n included) are typed, enter confirms.
    app.update(key('t'));
    for c in "my/any:y".chars() {
        app.update(key(c));
    }
    app.update(code(KeyCode::Backspace));
    app.update(key('2'));
    let fx = app.update(code(KeyCode::Enter));
    let tag = EngineOp::TagImage {
        source: "box:1".into(),
        target: "my/any:2".into(),
    };
    assert_eq!(fx, vec![Effect::Engine(tag.clone())]);
    assert_eq!(app.command_log.last(), Some(&tag.cli_line()));
    assert_eq!(tag.cli_line(), "berth tag box:1 my/any:2");
    let fx = app.update(Action::OpFinished {
        op: tag,
        result: Ok(()),
    });
    assert!(fx.contains(&Effect::ListImages), "{fx:?}");

    // Remove: asks, force toggles with the choice keys.
    app.update(key('d'));
    assert_eq!(
        app.popup,
        Some(Popup::ConfirmRemoveImage {
            name: "box:1".into(),
            force: false
        })
    );
    app.update(code(KeyCode::Right));
    let theme = Theme::preset("default").expect("theme");
    let text = screen(&draw(&app, &theme)).join("\n");
    assert!(text.contains("Remove image 'box:1'?"), "{text}");
    assert!(text.contains("[ force (-f) ]"), "{text}");
    let fx = app.update(key('y'));
    let rmi = EngineOp::RemoveImage {
        name: "box:1".into(),
        force: true,
    };
    assert_eq!(fx, vec![Effect::Engine(rmi.clone())]);
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("berth rmi -f box:1")
    );

    // Run: a name prompt; the command log has the run line.
    app.update(Action::OpFinished {
        op: rmi,
        result: Ok(()),
    });
    app.update(key('r'));
    let text = screen(&draw(&app, &theme)).join("\n");
    assert!(text.contains("Run a container from 'box:1'"), "{text}");
    for c in "web".chars() {
        app.update(key(c));
    }
    let fx = app.update(code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Engine(EngineOp::RunImage {
            image: "box:1".into(),
            name: Some("web".into()),
            network: "bridge".into(),
        })]
    );
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("berth run -d --name web box:1")
    );
    // A configured `network.default` is where the dashboard's runs go, and the logged
    // command says so.
    let run = EngineOp::RunImage {
        image: "box:1".into(),
        name: Some("web".into()),
        network: "bridge".into(),
    };
    app.update(Action::OpFinished {
        op: run,
        result: Ok(()),
    });
    app.settings.default_network = "none".into();
    app.update(key('r'));
    let fx = app.update(code(KeyCode::Enter));
    assert_eq!(
        fx,
        vec![Effect::Engine(EngineOp::RunImage {
            image: "box:1".into(),
            name: None,
            network: "none".into(),
        })]
    );
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("berth run -d --network none box:1")
    );
    // The help lists the Images pane's keys.
    app.update(Action::User(UserAction::Help));
    let text = screen(&draw(&app, &theme)).join("\n");
    assert!(
        text.contains("images pane") && text.contains("tag_image"),
        "{text}"
    );
}
