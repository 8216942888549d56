//! The Images pane at the sizes people use: repositories and tags whole from 80x24 up
//! (CREATED goes before TAG), the history's CREATED BY taking the width the other columns
//! leave, and columns no wider than their content on a wide screen.

use crate::engine::Image;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Keymap;
use crate::tui::panes::images::state::rows_of;
use crate::tui::testkit::*;
use crate::tui::theme::Theme;

const RUN: &str = "RUN apt-get install -y --no-install-recommends ca-certificates curl";

fn image(n: u8, tags: &[&str]) -> Image {
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": []},
        "history": [
            {"created": "2026-03-01T10:00:00Z", "created_by": "ADD rootfs.tar /"},
            {"created": "2026-03-01T10:00:00Z", "created_by": RUN},
            {"created": "2026-03-01T10:00:00Z", "created_by": "CMD [\"sh\"]", "empty_layer": true}
        ]
    });
    Image {
        id: format!("sha256:{}", format!("{n:02x}").repeat(32))
            .parse()
            .expect("image id"),
        manifest_digest: String::new(),
        repo_tags: tags.iter().map(|t| t.to_string()).collect(),
        repo_digests: vec![],
        config: serde_json::from_value(config).expect("config"),
        layers: vec!["1".repeat(64), "2".repeat(64)],
        layer_sizes: vec![4_200_000, 31_000_000],
        size: 35_200_000,
        created: now() - chrono::Duration::hours(2),
    }
}

/// The Images pane with a long registry reference selected (its history below).
fn app() -> App {
    let mut app = app_with(Keymap::default());
    app.update(Action::ContainersListed(Ok(realistic())));
    app.update(Action::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('i'),
        crossterm::event::KeyModifiers::NONE,
    )));
    app.update(Action::ImagesListed(Ok(rows_of(vec![
        image(0xaa, &[LONG_IMAGE]),
        image(0xbb, &["127.0.0.1:5000/peer:latest"]),
        image(0xcc, &["busybox:latest"]),
    ]))));
    let at = app
        .images
        .rows
        .iter()
        .position(|r| r.repository.starts_with("registry."))
        .expect("the long reference");
    app.images.selected = at;
    app
}

#[test]
fn repositories_and_tags_are_whole_at_every_size() {
    let theme = Theme::preset("default").expect("theme");
    let app = app();
    for (w, h) in SIZES {
        let buf = draw(&app, &theme, w, h);
        assert_whole(
            &buf,
            &[
                "registry.example.com:5000/team/app",
                "1.2.3",
                "127.0.0.1:5000/peer",
                "latest",
                "busybox",
                "TAG",
                "CREATED BY",
            ],
            &format!("{w}x{h}"),
        );
    }
}

#[test]
fn created_goes_before_the_tag_and_the_border_says_so() {
    let theme = Theme::preset("default").expect("theme");
    let buf = draw(&app(), &theme, 80, 24);
    let screen = rows(&buf).join("\n");
    assert!(!screen.contains("2 hours ago"), "{screen}");
    assert!(screen.contains("+1 col: CREATED "), "{screen}");
    let wide = draw(&app(), &theme, 250, 70);
    assert_whole(
        &wide,
        &["2 hours ago", "IMAGE ID", "aaaaaaaaaaaa"],
        "250x70",
    );
}

#[test]
fn the_history_command_takes_the_rest_of_the_width() {
    let theme = Theme::preset("default").expect("theme");
    let app = app();
    // 80x24: the history panel is narrow; the command still shows a readable start.
    let buf = draw(&app, &theme, 80, 24);
    // Its title, too long for the panel, ends with an ellipsis.
    assert_whole(&buf, &["┌ History: registry.example.com:50…┐"], "80x24");
    let (x, y) = find(&buf, "RUN apt-get ins");
    let row = &rows(&buf)[y as usize];
    assert!(row.contains('…'), "cut with an ellipsis: {row}");
    // ...and it ends at the panel's border, not two characters in.
    let end = row
        .chars()
        .skip(x as usize)
        .position(|c| c == '…')
        .expect("…");
    assert!(end >= 15, "{row}");
    // 250x70: the whole command, and the size right after it.
    let buf = draw(&app, &theme, 250, 70);
    assert_whole(&buf, &[RUN], "250x70");
    assert_eq!(
        header_gap(&buf, "CREATED BY", "SIZE"),
        RUN.chars().count() as u16 + 1
    );
}

#[test]
fn list_columns_are_as_wide_as_their_content_on_a_wide_screen() {
    let theme = Theme::preset("default").expect("theme");
    let buf = draw(&app(), &theme, 250, 70);
    // REPOSITORY is its longest name and a space; TAG is `latest` (6) and a space.
    assert_eq!(header_gap(&buf, "REPOSITORY", "TAG"), 35);
    assert_eq!(header_gap(&buf, "TAG", "IMAGE ID"), 7);
}
