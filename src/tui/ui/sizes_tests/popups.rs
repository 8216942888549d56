//! Popups and forms at 80x24 and 60x20: every box on screen, its text whole.

use super::*;

/// The popup box whose top border holds `title`: its text (rows joined by spaces,
/// blanks collapsed), after checking that all four corners are on screen.
fn popup_text(buf: &Buffer, title: &str) -> String {
    let screen = rows(buf);
    let grid: Vec<Vec<char>> = screen.iter().map(|r| r.chars().collect()).collect();
    let all = screen.join("\n");
    let (tx, y) = find(buf, title);
    let (tx, y) = (usize::from(tx), usize::from(y));
    let row = &grid[y];
    let left = (0..=tx)
        .rev()
        .find(|&x| row[x] == '┌')
        .unwrap_or_else(|| panic!("no top-left corner for '{title}':\n{all}"));
    let right = (tx..row.len())
        .find(|&x| row[x] == '┐')
        .unwrap_or_else(|| panic!("no top-right corner for '{title}':\n{all}"));
    let bottom = (y + 1..grid.len())
        .find(|&r| grid[r][left] == '└')
        .unwrap_or_else(|| panic!("no bottom border for '{title}':\n{all}"));
    assert_eq!(grid[bottom][right], '┘', "{all}");
    for r in &grid[y + 1..bottom] {
        assert_eq!((r[left], r[right]), ('│', '│'), "{all}");
    }
    let inner: Vec<String> = grid[y + 1..bottom]
        .iter()
        .map(|r| r[left + 1..right].iter().collect())
        .collect();
    inner
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn popups_and_forms_fit_80x24_and_60x20() {
    let theme = theme();
    let image = "registry.example.com:5000/team/app:1.2.3";
    let prompt = |kind| {
        Popup::Prompt(Prompt {
            kind,
            input: String::new(),
        })
    };
    let cases: Vec<(Popup, &str, Vec<String>)> = vec![
        (
            Popup::ConfirmRemove("web-frontend-1".into()),
            " Confirm ",
            vec![
                "Remove container 'web-frontend-1'?".into(),
                "It is killed first if it runs (berth rm -f web-frontend-1).".into(),
                "y, enter remove n, esc keep".into(),
            ],
        ),
        (
            Popup::ConfirmRemoveImage {
                name: image.into(),
                force: true,
            },
            " Confirm ",
            vec![
                format!("Remove image '{image}'?"),
                format!("A reference among several is only untagged (berth rmi -f {image})."),
                "[ force (-f) ]".into(),
            ],
        ),
        (
            Popup::ConfirmSignal {
                container: "web-frontend-1".into(),
                pid: 4242,
                command: "sleep 600".into(),
                choice: 1,
            },
            " Confirm ",
            vec![
                "Send SIGKILL to process 4242 in 'web-frontend-1'?".into(),
                "[ KILL ]".into(),
                "y, enter send n, esc keep".into(),
            ],
        ),
        (
            prompt(PromptKind::Tag {
                source: image.into(),
            }),
            " Tag ",
            vec![
                format!("New name for '{image}':"),
                "NAME[:TAG], e.g. me/app:1.0".into(),
            ],
        ),
        (
            prompt(PromptKind::RunByName),
            " Run ",
            vec![
                "Run a container from an image (berth run -d, pulled when missing):".into(),
                "IMAGE [NAME], e.g. busybox, or localhost:5000/app:1 web".into(),
                "enter ok esc cancel".into(),
            ],
        ),
        (
            prompt(PromptKind::CreateNetwork),
            " Create network ",
            vec![
                "New network (berth network create [--subnet SUBNET] NAME):".into(),
                "e.g. app, or app 10.80.0.0/16 (next free /16 if none)".into(),
            ],
        ),
        (
            prompt(PromptKind::Pull),
            " Pull ",
            vec!["NAME[:TAG|@DIGEST], e.g. busybox or localhost:5000/app:1".into()],
        ),
        (
            Popup::ConfirmRemoveNetwork("backend-network".into()),
            " Confirm ",
            vec!["Its bridge goes with it (berth network rm backend-network).".into()],
        ),
        (
            Popup::NetworkConnect {
                network: "backend-network".into(),
                containers: vec!["web-frontend-1".into(), "worker".into()],
                choice: 0,
                connect: true,
            },
            " Confirm ",
            vec!["berth network connect backend-network web-frontend-1".into()],
        ),
        (
            Popup::Build(Default::default()),
            " Build ",
            vec![
                "Build an image (berth build):".into(),
                "KEY=VALUE, separated by blanks".into(),
            ],
        ),
        (
            Popup::ConfirmRemoveVolume("web-frontend-data".into()),
            " Confirm ",
            vec!["web-frontend-data".into()],
        ),
    ];
    for (w, h) in [(80, 24), (60, 20)] {
        for (popup, title, wanted) in &cases {
            let mut app = app_with(Keymap::default());
            app.popup = Some(popup.clone());
            let buf = draw(&app, &theme, w, h);
            if std::env::var_os("BERTH_SHOW_SCREEN").is_some() {
                eprintln!("{}", rows(&buf).join("\n"));
            }
            let text = popup_text(&buf, title);
            for want in wanted {
                assert!(
                    text.contains(want.as_str()),
                    "{w}x{h}: '{want}' not whole in:\n{text}\n{}",
                    rows(&buf).join("\n")
                );
            }
        }
        // The help: every row inside its box, descriptions wrapped, not cut.
        let mut app = app_with(Keymap::default());
        app.update(Action::User(UserAction::Help));
        let buf = draw(&app, &theme, w, h);
        if std::env::var_os("BERTH_SHOW_SCREEN").is_some() {
            eprintln!("{}", rows(&buf).join("\n"));
        }
        let text = popup_text(&buf, " Keys");
        for want in [
            "next row / scroll the log down / newer stats (move_down)",
            "focus the next pane (next_pane)",
        ] {
            assert!(text.contains(want), "{w}x{h}: '{want}' not in:\n{text}");
        }
    }
}
