//! The mouse: a click on a row selects it and focuses its pane, a click on a pane's title
//! focuses it, the wheel moves the list or scrolls the help; positions are read from the
//! drawn screen, as a user would click.

use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Pane, Popup};
use crate::tui::keymap::Keymap;
use crate::tui::testkit::*;
use crate::tui::theme::Theme;
use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn mouse(app: &mut App, kind: MouseEventKind, (column, row): (u16, u16)) -> Vec<Effect> {
    app.update(Action::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }))
}

fn click(app: &mut App, at: (u16, u16)) -> Vec<Effect> {
    mouse(app, MouseEventKind::Down(MouseButton::Left), at)
}

#[test]
fn clicks_select_rows_and_focus_panes() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.update(Action::Resize {
        width: 120,
        height: 30,
    });
    let buf = draw(&app, &theme, 120, 30);
    // A click on the 'fresh' row selects it; its log follows.
    let fx = click(&mut app, find(&buf, "fresh"));
    assert_eq!(app.selected_container().map(|c| c.name()), Some("fresh"));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::FollowLogs { container: Some(c), .. } if c == "fresh"))
    );
    // A click on the log pane's title focuses it; on the list's title, the list.
    let buf = draw(&app, &theme, 120, 30);
    click(&mut app, find(&buf, "Logs"));
    assert_eq!(app.focus, Pane::Logs);
    click(&mut app, find(&buf, "Containers (4)"));
    assert_eq!(app.focus, Pane::Containers);
    // The wheel moves the selection in the list under the pointer.
    let at = find(&buf, "fresh");
    mouse(&mut app, MouseEventKind::ScrollDown, at);
    assert_eq!(app.selected_container().map(|c| c.name()), Some("frozen"));
    mouse(&mut app, MouseEventKind::ScrollUp, at);
    mouse(&mut app, MouseEventKind::ScrollUp, at);
    assert_eq!(app.selected_container().map(|c| c.name()), Some("job"));
    // Releases and clicks outside any pane do nothing.
    let before = app.containers.selected;
    mouse(&mut app, MouseEventKind::Up(MouseButton::Left), at);
    click(&mut app, (119, 29));
    assert_eq!(app.containers.selected, before);
    // With `dashboard.mouse: false` a report (which the terminal should not send) is ignored.
    app.settings.mouse = false;
    click(&mut app, find(&buf, "web"));
    assert_eq!(app.containers.selected, before);
}

#[test]
fn clicks_follow_the_filtered_rows_and_the_wheel_scrolls_the_help() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.update(Action::Resize {
        width: 80,
        height: 24,
    });
    app.containers.filter.query = "o".into();
    app.update(Action::Tick(now()));
    let buf = draw(&app, &theme, 80, 24);
    click(&mut app, find(&buf, "frozen"));
    assert_eq!(app.selected_container().map(|c| c.name()), Some("frozen"));
    // The help popup: the wheel scrolls it, clicks do nothing under it.
    app.popup = Some(Popup::Help);
    mouse(&mut app, MouseEventKind::ScrollDown, (40, 12));
    assert_eq!(app.help_scroll, 3);
    click(&mut app, (40, 12));
    assert_eq!(app.popup, Some(Popup::Help));
}
