//! The list filter on the Containers pane (and the other lists): typing narrows the rows,
//! the title counts them, the match is highlighted, the selection stays on a row that
//! shows, enter keeps the filter, esc clears it; drawn at 80x24 and at a large size.

use crate::engine::ProcessInfo;
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Pane};
use crate::tui::keymap::{Keymap, UserAction};
use crate::tui::testkit::*;
use crate::tui::theme::{Role, Theme};
use crate::tui::update_tests::follows;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let mut fx = press(app, KeyCode::Char('/'));
    for c in text.chars() {
        fx.extend(press(app, KeyCode::Char(c)));
    }
    fx
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let theme = Theme::preset("default").expect("theme");
    rows(&draw(app, &theme, w, h)).join("\n")
}

#[test]
fn typing_narrows_the_container_list_and_esc_clears_it() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    assert_eq!(app.selected_container().map(|c| c.name()), Some("web"));
    let fx = typed(&mut app, "fr");
    // The selection moved to the first row that shows, and the log follows it.
    assert_eq!(app.selected_container().map(|c| c.name()), Some("fresh"));
    assert_eq!(follows(&fx), Some(Some("fresh".into())));
    for (w, h) in [(80, 24), (200, 60)] {
        let s = screen(&app, w, h);
        assert!(s.contains("Containers (2/4)") && s.contains("/fr▏"), "{s}");
        assert!(s.contains("fresh") && s.contains("frozen"), "{s}");
        assert!(!s.contains(" web ") && !s.contains(" job "), "{s}");
    }
    // A wide screen's status bar names the filter and the palette; a narrow one has no room.
    assert!(screen(&app, 200, 60).contains("? help  / filter  : commands  q, ctrl-c quit"));
    assert!(!screen(&app, 80, 24).contains(": commands"));
    // The match is highlighted in the row.
    let buf = draw(&app, &theme, 120, 30);
    let (x, y) = find(&buf, "frozen");
    assert_eq!(
        buf[(x, y)].bg,
        theme.style(Role::SearchMatch).bg.expect("bg")
    );
    assert_ne!(buf[(x + 2, y)].bg, buf[(x, y)].bg, "only 'fr' is marked");
    // Enter keeps the filter; the keys move among the rows shown.
    press(&mut app, KeyCode::Enter);
    assert!(!app.containers.filter.editing);
    app.update(Action::User(UserAction::MoveDown));
    assert_eq!(app.selected_container().map(|c| c.name()), Some("frozen"));
    app.update(Action::User(UserAction::MoveDown));
    assert_eq!(app.selected_container().map(|c| c.name()), Some("frozen"));
    let s = screen(&app, 120, 30);
    assert!(
        s.contains("Containers (2/4)") && s.contains("· /fr "),
        "{s}"
    );
    // A new list keeps the same container selected, the filter still on.
    let mut list = sample();
    list.reverse();
    app.update(Action::ContainersListed(Ok(list)));
    assert_eq!(app.selected_container().map(|c| c.name()), Some("frozen"));
    // Esc clears it; the selection stays.
    press(&mut app, KeyCode::Esc);
    assert!(!app.containers.filter.is_active());
    assert_eq!(app.selected_container().map(|c| c.name()), Some("frozen"));
    assert!(screen(&app, 120, 30).contains("Containers (4)"));
}

#[test]
fn smart_case_and_no_match() {
    let mut app = app_with(Keymap::default());
    typed(&mut app, "IMG3");
    assert!(app.selected_container().is_none());
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("Containers (0/4)") && s.contains("no container matches the filter"),
        "{s}"
    );
    // An action on the hidden selection acts on nothing.
    press(&mut app, KeyCode::Enter);
    app.update(Action::User(UserAction::StopContainer));
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("no container selected")
    );
    press(&mut app, KeyCode::Esc);
    // Lowercase matches any case: the image names.
    typed(&mut app, "img3");
    assert_eq!(app.selected_container().map(|c| c.name()), Some("fresh"));
    // Esc while typing clears and leaves the filter.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.containers.filter, Default::default());
}

#[test]
fn the_process_list_filters_too_and_logs_keep_their_search() {
    let mut app = app_with(Keymap::default());
    app.update(Action::User(UserAction::FocusTop));
    let generation = app.top.generation;
    let proc = |pid: i32, command: &str| ProcessInfo {
        pid,
        ppid: 1,
        uid: 0,
        user: "root".into(),
        cpu_percent: 0.0,
        rss_kb: 10,
        vsz_kb: 20,
        started: None,
        tty: "?".into(),
        cpu_seconds: 1,
        state: 'S',
        command: command.into(),
    };
    app.update(Action::TopListed {
        generation,
        result: Ok(vec![
            proc(10, "sh"),
            proc(11, "nginx: worker"),
            proc(12, "sleep"),
        ]),
    });
    typed(&mut app, "nginx");
    assert_eq!(app.top.current().map(|p| p.pid), Some(11));
    let s = screen(&app, 120, 30);
    assert!(s.contains("(1/3 processes"), "{s}");
    assert!(!s.contains("sleep"), "{s}");
    // In the Logs pane `/` asks for a search, as before.
    press(&mut app, KeyCode::Enter);
    app.focus = Pane::Logs;
    press(&mut app, KeyCode::Char('/'));
    assert!(matches!(
        app.popup,
        Some(crate::tui::app::Popup::Prompt(ref p)) if p.kind == crate::tui::app::PromptKind::Search
    ));
}
