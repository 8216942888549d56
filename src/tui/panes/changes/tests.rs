//! The Changes pane: `D` shows it under the list and starts its watcher for the selected
//! container, stale lists are dropped, paths that appear later are marked new, and the
//! render keeps paths and sizes whole at 80x24 and 200x50.

use crate::engine::{FileChange, FileChangeKind};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Pane};
use crate::tui::keymap::Keymap;
use crate::tui::testkit::*;
use crate::tui::theme::{Role, Theme};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn change(kind: FileChangeKind, path: &str, size: u64) -> FileChange {
    FileChange {
        kind,
        path: path.into(),
        size,
    }
}

fn opened() -> (App, u64) {
    let mut app = app_with(Keymap::default());
    let effects = app.update(Action::Key(KeyEvent::new(
        KeyCode::Char('D'),
        KeyModifiers::NONE,
    )));
    assert_eq!((app.focus, app.detail), (Pane::Changes, Pane::Changes));
    let name = app
        .selected_container()
        .expect("selected")
        .name()
        .to_string();
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::WatchChanges {
                container,
                generation,
            } if container.as_deref() == Some(name.as_str()) => Some(*generation),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no watcher for {name}: {effects:?}"));
    assert_eq!(app.command_log.last(), Some(&format!("berth diff {name}")));
    (app, generation)
}

#[test]
fn lists_arrive_stale_ones_are_dropped_and_new_paths_are_marked() {
    let (mut app, generation) = opened();
    let first = vec![
        change(FileChangeKind::Modified, "/etc", 0),
        change(FileChangeKind::Added, "/etc/app.conf", 2048),
    ];
    app.update(Action::ChangesListed {
        generation,
        result: Ok(first.clone()),
    });
    assert_eq!(app.changes.list, first);
    assert!(!app.changes.is_new(&first[1]));
    let mut second = first.clone();
    second.push(change(FileChangeKind::Deleted, "/var/cache/old", 0));
    app.update(Action::ChangesListed {
        generation: generation - 1,
        result: Ok(Vec::new()),
    });
    assert_eq!(app.changes.list.len(), 2, "a stale list is dropped");
    app.update(Action::ChangesListed {
        generation,
        result: Ok(second.clone()),
    });
    assert!(app.changes.is_new(&second[2]));
    // Leaving for the Logs pane stops the watcher.
    let effects = app.update(Action::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::WatchChanges {
                container: None,
                ..
            }
        )),
        "{effects:?}"
    );
}

#[test]
fn renders_kinds_paths_sizes_and_counts_at_80x24_and_200x50() {
    let theme = Theme::preset("default").expect("theme");
    let (mut app, generation) = opened();
    app.update(Action::ChangesListed {
        generation,
        result: Ok(vec![change(FileChangeKind::Added, "/srv/app/data.db", 0)]),
    });
    app.update(Action::ChangesListed {
        generation,
        result: Ok(vec![
            change(FileChangeKind::Added, "/srv/app/data.db", 5 << 20),
            change(FileChangeKind::Modified, "/etc/hosts", 180),
            change(FileChangeKind::Deleted, "/usr/share/doc/readme.txt", 0),
        ]),
    });
    for (w, h) in [(80, 24), (200, 50)] {
        let buf = draw(&app, &theme, w, h);
        let screen = rows(&buf).join("\n");
        for text in [
            "(1 added, 1 changed, 1 deleted)",
            "A /srv/app/data.db",
            "5.24MB",
            "C /etc/hosts",
            "180B",
            "D /usr/share/doc/readme.txt new",
        ] {
            assert!(
                screen.contains(text),
                "{w}x{h}: '{text}' missing:\n{screen}"
            );
        }
        assert_eq!(
            fg_at(&buf, "A /srv/app"),
            theme.style(Role::FileAdded).fg.expect("fg")
        );
        assert_eq!(
            fg_at(&buf, "D /usr/share"),
            theme.style(Role::FileRemoved).fg.expect("fg")
        );
    }
}

#[test]
fn a_long_path_is_cut_with_an_ellipsis_before_its_size_is() {
    let theme = Theme::preset("default").expect("theme");
    let (mut app, generation) = opened();
    let long = "/usr/local/lib/python3.12/site-packages/gunicorn/workers/__pycache__/gthread.cpython-312.pyc";
    app.update(Action::ChangesListed {
        generation,
        result: Ok(vec![change(FileChangeKind::Added, long, 12_345)]),
    });
    let buf = draw(&app, &theme, 80, 24);
    let (_, y) = find(&buf, "A /usr/local/lib/python3.12/");
    let row = &rows(&buf)[y as usize];
    assert!(row.contains("…") && row.contains("12.3kB"), "{row}");
    // Wide enough: the whole path and its size.
    let buf = draw(&app, &theme, 250, 70);
    assert_whole(&buf, &[long, "12.3kB"], "250x70");
}
