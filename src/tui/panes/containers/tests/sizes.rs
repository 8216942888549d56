//! The Containers pane at the sizes people use: names and statuses whole from 80x24 up,
//! the least important columns left out first (and named on the border), and columns no
//! wider than their content on a wide screen.

use crate::tui::action::Action;
use crate::tui::keymap::Keymap;
use crate::tui::testkit::*;
use crate::tui::theme::Theme;

fn app() -> crate::tui::app::App {
    let mut app = app_with(Keymap::default());
    app.update(Action::ContainersListed(Ok(realistic())));
    app
}

#[test]
fn names_and_statuses_are_whole_at_every_size() {
    let theme = Theme::preset("default").expect("theme");
    let app = app();
    for (w, h) in SIZES {
        let buf = draw(&app, &theme, w, h);
        let mut whole = NAMES.to_vec();
        whole.extend(["Up 3 seconds", "Exited (137) 2 minutes ago"]);
        assert_whole(&buf, &whole, &format!("{w}x{h}"));
        // Nothing cut to a stub: a cut cell ends with an ellipsis.
        let screen = rows(&buf).join("\n");
        assert!(!screen.contains("Up 3 se "), "{w}x{h}:\n{screen}");
    }
}

#[test]
fn the_id_goes_before_the_name_and_the_border_says_where_it_went() {
    let theme = Theme::preset("default").expect("theme");
    let app = app();
    let buf = draw(&app, &theme, 80, 24);
    let screen = rows(&buf).join("\n");
    let (_, header) = find(&buf, "NAME");
    assert!(
        !rows(&buf)[header as usize].contains("CONTAINER ID"),
        "{screen}"
    );
    assert!(!screen.contains("111111111111"), "{screen}");
    // The image, less important than the name and the status, is the one cut.
    assert_whole(&buf, &["registry.example.com:5000/t…"], "80x24");
    let border = rows(&buf)
        .into_iter()
        .skip(header as usize)
        .find(|r| r.starts_with('┗') || r.starts_with('└'))
        .expect("the list's bottom border");
    assert!(
        border.contains("+5 cols: CONTAINER ID, PORTS, NETWORKS, CPU, MEM"),
        "{border}"
    );
    // Wide enough for all: no note.
    let wide = rows(&draw(&app, &theme, 250, 70)).join("\n");
    assert!(!wide.contains(" cols"), "{wide}");
}

#[test]
fn columns_are_as_wide_as_their_content_on_a_wide_screen() {
    let theme = Theme::preset("default").expect("theme");
    let buf = draw(&app(), &theme, 250, 70);
    assert_whole(
        &buf,
        &[
            "CONTAINER ID",
            "333333333333",
            LONG_IMAGE,
            "0.0.0.0:18088->80/tcp",
        ],
        "250x70",
    );
    // Each column is its widest cell and one space.
    assert_eq!(header_gap(&buf, "CONTAINER ID", "NAME"), 13);
    assert_eq!(header_gap(&buf, "NAME", "IMAGE"), 21);
    assert_eq!(header_gap(&buf, "IMAGE", "STATUS"), 41);
    assert_eq!(header_gap(&buf, "STATUS", "PORTS"), 27);
}
