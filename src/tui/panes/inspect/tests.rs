//! The Inspect view: folding, search that unfolds, copy of the value under the cursor,
//! the keys that open and close it, and its render at 80x24 and 160x48.

use super::state::{InspectView, RowValue};
use crate::engine::ObjectKind;
use crate::tui::action::{Action, Effect};
use crate::tui::app::App;
use crate::tui::keymap::Keymap;
use crate::tui::testkit::*;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

fn doc() -> serde_json::Value {
    json!({
        "Id": "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b",
        "Name": "/web-frontend-1",
        "State": { "Status": "running", "Pid": 4242, "Health": { "Status": "healthy" } },
        "Config": {
            "Env": ["PATH=/usr/bin", "MODE=prod"],
            "Labels": {},
            "Image": "registry.example.com:5000/team/app:1.2.3"
        }
    })
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn the_top_level_shows_folded_and_unfolds_on_enter() {
    let mut v = InspectView::new("container", "web", doc());
    let keys: Vec<String> = v.rows().iter().map(|r| r.key.clone()).collect();
    assert_eq!(keys, ["Id", "Name", "State", "Config"]);
    v.cursor = 3;
    v.fold(None);
    let rows = v.rows();
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[4].key, "Env");
    assert_eq!(rows[4].value, RowValue::Array(2));
    assert_eq!(
        rows[5].value,
        RowValue::Object(0),
        "Labels is an empty object"
    );
    // Folding a leaf goes to its parent; folding again closes it.
    v.cursor = 6;
    v.fold(Some(false));
    assert_eq!(v.current().map(|r| r.key), Some("Config".into()));
    v.fold(Some(false));
    assert_eq!(v.rows().len(), 4);
}

#[test]
fn search_unfolds_what_hides_the_match_and_copies_it() {
    let mut v = InspectView::new("container", "web", doc());
    v.query = "healthy".into();
    assert!(v.find(true));
    let row = v.current().expect("row");
    assert_eq!(row.pointer, "/State/Health/Status");
    assert_eq!(row.depth, 2);
    let (text, path) = v.copy_text().expect("copy");
    assert_eq!(
        (text.as_str(), path.as_str()),
        ("healthy", "State.Health.Status")
    );
    // Smart case: a capital makes it exact; an array item's path has its index.
    v.query = "MODE".into();
    assert!(v.find(true));
    assert_eq!(v.copy_text().expect("copy").1, "Config.Env[1]");
    v.query = "Nowhere".into();
    assert!(!v.find(true));
}

#[test]
fn keys_open_search_copy_and_close_the_view() {
    let mut app = app_with(Keymap::default());
    let effects = key(&mut app, KeyCode::Char('I'));
    let name = app
        .selected_container()
        .expect("selected")
        .name()
        .to_string();
    assert_eq!(
        effects,
        vec![Effect::Inspect {
            kind: Some(ObjectKind::Container),
            name: name.clone()
        }]
    );
    app.update(Action::Inspected {
        kind: ObjectKind::Container,
        name,
        result: Ok(doc()),
    });
    assert!(app.inspect.is_some());
    // While open, keys are the view's: `s` would stop the container in the panes.
    assert!(key(&mut app, KeyCode::Char('s')).is_empty());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "pid");
    key(&mut app, KeyCode::Enter);
    let effects = key(&mut app, KeyCode::Char('y'));
    assert_eq!(effects, vec![Effect::CopyText("4242".into())]);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|m| m.text.contains("State.Pid")),
        "{:?}",
        app.status
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.inspect.is_none());
}

#[test]
fn a_failed_read_says_why_and_opens_nothing() {
    let mut app = app_with(Keymap::default());
    app.update(Action::Inspected {
        kind: ObjectKind::Image,
        name: "gone".into(),
        result: Err("no such image: 'gone'".into()),
    });
    assert!(app.inspect.is_none());
    let status = app.status.expect("status");
    assert_eq!(status.text, "cannot inspect 'gone': no such image: 'gone'");
}

#[test]
fn renders_whole_values_at_80x24_and_160x48() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    let mut v = InspectView::new("container", "web-frontend-1", doc());
    v.cursor = 3;
    v.fold(None);
    app.inspect = Some(v);
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = rows(&draw(&app, &theme, w, h)).join("\n");
        for text in [
            "Inspect container 'web-frontend-1' (4/7)",
            "▾ Config",
            "▸ Env: […] 2 items",
            "Labels: {}",
            "Image: \"registry.example.com:5000/team/app:1.2.3\"",
            "▸ State: {…} 3 keys",
            "enter fold",
            "esc close",
        ] {
            assert!(
                screen.contains(text),
                "{w}x{h}: '{text}' missing:\n{screen}"
            );
        }
    }
    // While typing a search, the foot shows it.
    if let Some(v) = app.inspect.as_mut() {
        v.typing = Some("heal".into());
    }
    let screen = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(screen.contains("/heal"), "{screen}");
}
