//! Compose projects in the container list: gathered under their first container as a
//! tree, folded into one summary row with `C` (moves skip the folded rows), unfolded again.

use super::groups::{PROJECT_LABEL, gather};
use crate::engine::{Container, Status};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Keymap;
use crate::tui::testkit::*;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn in_project(n: u8, name: &str, status: Status, project: &str) -> Container {
    let mut c = container(n, name, status);
    c.config
        .labels
        .insert(PROJECT_LABEL.to_string(), project.to_string());
    c
}

fn listed() -> Vec<Container> {
    vec![
        in_project(1, "shop-web-1", Status::Running, "shop"),
        container(2, "lonely", Status::Running),
        in_project(3, "shop-db-1", Status::Running, "shop"),
        in_project(4, "shop-job-1", Status::Exited, "shop"),
    ]
}

fn key(app: &mut App, c: char) {
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )));
}

#[test]
fn a_project_gathers_under_its_first_container() {
    let mut list = listed();
    gather(&mut list);
    let names: Vec<&str> = list.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["shop-web-1", "shop-db-1", "shop-job-1", "lonely"]);
}

#[test]
fn c_folds_a_project_into_one_summary_row_and_back() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.update(Action::ContainersListed(Ok(listed())));
    let screen = rows(&draw(&app, &theme, 80, 24)).join("\n");
    for text in ["▾ shop-", "│ shop-", "└ shop-", "lonely"] {
        assert!(screen.contains(text), "'{text}' missing:\n{screen}");
    }
    // Select a member of the project and fold it: one row sums the project up.
    while app.selected_container().map(|c| c.name()) != Some("shop-db-1") {
        key(&mut app, 'j');
    }
    key(&mut app, 'C');
    let screen = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(
        screen.contains("▸ shop: 3 containers, 2 running"),
        "{screen}"
    );
    assert!(!screen.contains("shop-job-1"), "{screen}");
    // The selection moved onto the folded row; a move goes past the hidden ones.
    assert_eq!(
        app.selected_container().map(|c| c.name()),
        Some("shop-web-1")
    );
    key(&mut app, 'j');
    assert_eq!(app.selected_container().map(|c| c.name()), Some("lonely"));
    key(&mut app, 'k');
    key(&mut app, 'C');
    let screen = rows(&draw(&app, &theme, 80, 24)).join("\n");
    assert!(screen.contains("└ shop-job-1"), "{screen}");
    // A container of no project has nothing to fold.
    key(&mut app, 'G');
    key(&mut app, 'C');
    let status = app.status.clone().expect("status").text;
    assert_eq!(
        status,
        "the selected container belongs to no compose project"
    );
}
