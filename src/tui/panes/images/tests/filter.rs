//! The Images pane's list under the `/` filter and the mouse: the rows narrowed with the
//! count in the title, a click selecting a row, the wheel moving in the panel under it.

use super::{code, draw, images_app, key, screen};
use crate::tui::action::Action;
use crate::tui::panes::images::state::ImagesFocus;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn at(lines: &[String], text: &str) -> (u16, u16) {
    for (y, l) in lines.iter().enumerate() {
        if let Some(i) = l.find(text) {
            return (l[..i].chars().count() as u16, y as u16);
        }
    }
    panic!("'{text}' not on screen:\n{}", lines.join("\n"));
}

#[test]
fn the_image_list_filters_and_takes_clicks() {
    let theme = Theme::preset("default").expect("theme");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = images_app(dir.path());
    app.update(Action::Resize {
        width: 130,
        height: 34,
    });
    let before = screen(&draw(&app, &theme)).join("\n");
    assert!(before.contains("Images (2)"), "{before}");
    // A click on the second row selects it.
    let lines = screen(&draw(&app, &theme));
    app.update(Action::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: at(&lines, "me/box").0,
        row: at(&lines, "me/box").1,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(
        app.images.current().map(|r| r.target()),
        Some("me/box:latest".to_string())
    );
    // A click on the history panel's title gives it the keys.
    let (x, y) = at(&lines, "History");
    app.update(Action::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(app.images.focus, ImagesFocus::History);
    // A click on a history row selects that step.
    let (x, y) = at(&lines, "RUN echo hi");
    app.update(Action::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    }));
    let step = app
        .images
        .current()
        .map(|r| r.history[app.images.history_selected].created_by.clone());
    assert_eq!(step.as_deref(), Some("RUN echo hi > /etc/hosts"));
    // `/` narrows the list as typed.
    app.update(key('/'));
    for c in "latest".chars() {
        app.update(key(c));
    }
    let s = screen(&draw(&app, &theme)).join("\n");
    assert!(s.contains("Images (1/2) · /latest▏"), "{s}");
    assert!(!s.contains(" box  "), "{s}");
    app.update(code(KeyCode::Esc));
    let s = screen(&draw(&app, &theme)).join("\n");
    assert!(s.contains("Images (2)"), "{s}");
}
