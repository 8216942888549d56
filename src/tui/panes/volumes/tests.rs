//! The Volumes pane: opening it starts its watcher, the list keeps its selection, remove
//! asks first (and refuses a volume in use, naming its users), create asks for a name,
//! prune counts what it would remove, and the table keeps names whole at 80x24.

use crate::engine::{Volume, VolumeOverview};
use crate::tui::action::{Action, Effect, EngineOp};
use crate::tui::app::{App, Pane, Popup};
use crate::tui::keymap::Keymap;
use crate::tui::testkit::*;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

fn volume(name: &str, size: u64, users: &[&str], anonymous: bool) -> VolumeOverview {
    let labels = if anonymous {
        json!({ "com.docker.volume.anonymous": "" })
    } else {
        json!({})
    };
    VolumeOverview {
        volume: Volume {
            meta: serde_json::from_value(json!({
                "name": name,
                "created_at": "2026-12-05T10:00:00Z",
                "driver": "local",
                "labels": labels,
            }))
            .expect("meta"),
            mountpoint: format!("/var/lib/berth/volumes/{name}/_data").into(),
        },
        size,
        users: users.iter().map(|u| u.to_string()).collect(),
    }
}

fn listed() -> Vec<VolumeOverview> {
    vec![
        volume(
            "postgres-data-primary",
            48 << 20,
            &["web-frontend-1", "worker"],
            false,
        ),
        volume(
            "4c1e9a0b7d2f3e6a5b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
            4096,
            &[],
            true,
        ),
        volume("scratch", 0, &[], false),
    ]
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn opened() -> App {
    let mut app = app_with(Keymap::default());
    let effects = key(&mut app, KeyCode::Char('V'));
    assert_eq!(app.focus, Pane::Volumes);
    assert!(effects.contains(&Effect::WatchVolumes(true)), "{effects:?}");
    app.update(Action::VolumesListed(Ok(listed())));
    app
}

#[test]
fn the_list_keeps_its_selection_and_leaving_stops_the_watcher() {
    let mut app = opened();
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(
        app.volumes.current().map(|v| v.volume.name()),
        Some("scratch")
    );
    // A new list with one more volume before it: still on 'scratch'.
    let mut list = listed();
    list.insert(0, volume("cache", 1, &[], false));
    app.update(Action::VolumesListed(Ok(list)));
    assert_eq!(
        app.volumes.current().map(|v| v.volume.name()),
        Some("scratch")
    );
    // Tab goes on to the Containers pane, and the watcher stops.
    let effects = key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Containers);
    assert!(
        effects.contains(&Effect::WatchVolumes(false)),
        "{effects:?}"
    );
}

#[test]
fn remove_asks_first_and_refuses_a_volume_in_use() {
    let mut app = opened();
    assert!(key(&mut app, KeyCode::Char('d')).is_empty());
    assert_eq!(app.popup, None);
    let status = app.status.clone().expect("status").text;
    assert_eq!(
        status,
        "volume 'postgres-data-primary' is in use by web-frontend-1, worker: remove the container first"
    );
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(
        app.popup,
        Some(Popup::ConfirmRemoveVolume("scratch".into()))
    );
    let effects = key(&mut app, KeyCode::Char('y'));
    assert_eq!(
        effects,
        vec![Effect::Engine(EngineOp::RemoveVolume("scratch".into()))]
    );
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("berth volume rm scratch")
    );
    // When it is done, the list is read again.
    let effects = app.update(Action::OpFinished {
        op: EngineOp::RemoveVolume("scratch".into()),
        result: Ok(()),
    });
    assert!(effects.contains(&Effect::RefreshVolumes), "{effects:?}");
}

#[test]
fn create_asks_for_a_name_and_prune_counts_unused_anonymous_volumes() {
    let mut app = opened();
    key(&mut app, KeyCode::Char('a'));
    assert!(matches!(app.popup, Some(Popup::Prompt(_))));
    // Enter with no name keeps the prompt and says what to type.
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(matches!(app.popup, Some(Popup::Prompt(_))));
    for c in "cache".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(
        effects,
        vec![Effect::Engine(EngineOp::CreateVolume("cache".into()))]
    );
    key(&mut app, KeyCode::Char('p'));
    assert_eq!(app.popup, Some(Popup::ConfirmPruneVolumes(1)));
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(effects, vec![Effect::Engine(EngineOp::PruneVolumes)]);
    assert_eq!(
        app.command_log.last().map(String::as_str),
        Some("berth volume prune -f")
    );
}

#[test]
fn renders_names_sizes_and_users_whole_at_80x24_and_200x50() {
    let theme = Theme::preset("default").expect("theme");
    let app = opened();
    for (w, h) in [(80, 24), (200, 50)] {
        let screen = rows(&draw(&app, &theme, w, h)).join("\n");
        for text in [
            "Volumes (3)",
            "postgres-data-primary",
            "48MiB",
            "web-frontend-1, worker",
            "scratch",
            "4c1e9a0b7d2f3e6a5b8c9d0e1f2a3b4c5d6e7f8…",
            "mountpoint /var/lib/berth/volumes/postgres-data-primary/_data",
        ] {
            assert!(
                screen.contains(text),
                "{w}x{h}: '{text}' missing:\n{screen}"
            );
        }
    }
    let wide = rows(&draw(&app, &theme, 200, 50)).join("\n");
    assert!(wide.contains("MOUNTPOINT"), "{wide}");
    let mut app = app;
    key(&mut app, KeyCode::Char('G'));
    key(&mut app, KeyCode::Char('d'));
    let screen = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(
        screen.contains("Remove volume 'scratch' and its data?"),
        "{screen}"
    );
}

#[test]
fn names_are_whole_at_the_usual_sizes_and_columns_hug_their_content() {
    let theme = Theme::preset("default").expect("theme");
    let app = opened();
    for (w, h) in SIZES {
        let buf = draw(&app, &theme, w, h);
        assert_whole(
            &buf,
            &["postgres-data-primary", "web-frontend-1, worker", "scratch"],
            &format!("{w}x{h}"),
        );
    }
    // 80x24: the mountpoint (in the details below) goes first; the border says so.
    let small = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(small.contains("+1 col: MOUNTPOINT"), "{small}");
    let buf = draw(&app, &theme, 250, 70);
    // NAME is capped at 40 (the anonymous volume's 64 hex are cut); SIZE is `48MiB`.
    assert_eq!(header_gap(&buf, "NAME", "DRIVER"), 41);
    assert_eq!(header_gap(&buf, "DRIVER", "SIZE"), 7);
    assert!(!rows(&buf).join("\n").contains(" col"));
}
