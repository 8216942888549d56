//! Render tests of what every pane shares: the help popup, the confirmation popup, the
//! command log strip and the status bar (TestBackend).

use crate::tui::action::{Action, EngineOp};
use crate::tui::app::{App, Pane, Popup};
use crate::tui::keymap::{BINDINGS, Keymap, UserAction};
use crate::tui::testkit::*;
use crate::tui::theme::{Role, Theme};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

#[test]
fn help_popup_lists_every_binding() {
    let theme = Theme::preset("default").expect("theme");
    let mut user = BTreeMap::new();
    user.insert(
        "stop_container".to_string(),
        vec!["x".to_string(), "f9".to_string()],
    );
    let mut app = app_with(Keymap::from_config(&user).expect("keymap"));
    app.update(Action::User(UserAction::Help));
    assert_eq!(app.popup, Some(Popup::Help));
    // Every binding fits on a screen this tall (shorter ones cut the list, wider ones
    // show it in columns).
    let buf = draw(&app, &theme, 120, 90);
    let screen = rows(&buf).join("\n");
    for b in BINDINGS {
        let line = rows(&buf)
            .into_iter()
            .find(|r| r.contains(&format!("({})", b.name)))
            .unwrap_or_else(|| panic!("'{}' not in help:\n{screen}", b.name));
        assert!(line.contains(b.desc), "{line}");
        let keys = app.keymap.keys_text(b.action);
        assert!(line.contains(&keys), "'{keys}' not in: {line}");
    }
    // The remapped keys are the ones shown.
    assert!(screen.contains("x, f9"), "{screen}");
    // It says where a table's hidden columns went.
    assert!(
        screen.contains("names them on its bottom border"),
        "{screen}"
    );
    assert_eq!(
        fg_at(&buf, "x, f9"),
        theme.style(Role::HelpKey).fg.expect("fg")
    );
}

#[test]
fn help_popup_scrolls_on_a_short_screen() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.update(Action::User(UserAction::Help));
    // The help ends with the Shell pane's bindings.
    let last = BINDINGS
        .iter()
        .rev()
        .find(|b| b.scope == crate::tui::keymap::Scope::Shell)
        .expect("a shell binding");
    let shown = |app: &App| {
        let buf = draw(app, &theme, 80, 24);
        rows(&buf).join("\n")
    };
    let top = shown(&app);
    assert!(top.contains("(move_down)"), "{top}");
    assert!(
        !top.contains(&format!("({})", last.name)),
        "cut at first: {top}"
    );
    assert!(top.contains("j/k scroll"), "the title says how: {top}");
    // The keys a user would press, through the keymap: G goes to the end, g back.
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char('G'),
        KeyModifiers::SHIFT,
    )));
    assert_eq!(
        app.popup,
        Some(Popup::Help),
        "scrolling keeps the help open"
    );
    let bottom = shown(&app);
    assert!(
        bottom.contains(&format!("({})", last.name)),
        "the last binding after G: {bottom}"
    );
    assert!(!bottom.contains("(move_down)"), "{bottom}");
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char('g'),
        KeyModifiers::NONE,
    )));
    assert!(shown(&app).contains("(move_down)"));
}

#[test]
fn confirm_dialog_names_the_container() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.update(Action::User(UserAction::MoveDown));
    app.update(Action::User(UserAction::RemoveContainer));
    let buf = draw(&app, &theme, 100, 30);
    let screen = rows(&buf).join("\n");
    assert!(screen.contains("Remove container 'job'?"), "{screen}");
    assert!(screen.contains("y, enter remove"), "{screen}");
    assert!(screen.contains("n, esc keep"), "{screen}");
}

#[test]
fn command_log_and_status_bar_show_actions_and_errors() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.focus = Pane::Containers;
    app.update(Action::User(UserAction::StopContainer));
    app.update(Action::OpFinished {
        op: EngineOp::Stop("web".into()),
        result: Err("stop of 'web' is not implemented yet".into()),
    });
    let buf = draw(&app, &theme, 120, 30);
    let screen = rows(&buf).join("\n");
    if std::env::var_os("BERTH_SHOW_SCREEN").is_some() {
        eprintln!("{screen}");
    }
    assert!(screen.contains("Command log (y: copy)"), "{screen}");
    assert!(screen.contains("berth stop web"), "{screen}");
    assert!(
        screen.contains("#   failed: stop of 'web' is not implemented yet"),
        "{screen}"
    );
    let (_, y) = find(&buf, "berth stop web: stop of 'web'");
    assert_eq!(y, 29, "the error is on the status bar");
    assert_eq!(
        fg_at(&buf, "berth stop web: stop of"),
        theme.style(Role::Error).fg.expect("fg")
    );
    assert!(rows(&buf)[29].contains("? help  q, ctrl-c quit"));
}
