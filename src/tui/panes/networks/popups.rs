//! The Networks pane's popups: removing a network, and connecting or disconnecting a
//! container (chosen in the popup).

use crate::tui::action::quote;
use crate::tui::app::{App, Popup};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::confirm::{answer_line, choices, dialog};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// How many containers the connect popup shows at once.
const WINDOW: usize = 5;

/// Draws the network popup `p` (other popups draw nothing here).
pub fn render(app: &App, p: &Popup, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let lines = match p {
        Popup::ConfirmRemoveNetwork(name) => vec![
            Line::from(format!("Remove network '{name}'?")),
            Line::from(Span::styled(
                format!(
                    "Its bridge goes with it (berth network rm {}).",
                    quote(name)
                ),
                theme.style(Role::Dim),
            )),
            Line::from(""),
            answer_line(app, "remove", theme),
        ],
        Popup::NetworkConnect {
            network,
            containers,
            choice,
            connect,
        } => {
            let (question, verb) = if *connect {
                (format!("Connect a container to '{network}':"), "connect")
            } else {
                (
                    format!("Disconnect a container from '{network}':"),
                    "disconnect",
                )
            };
            let chosen = containers.get(*choice).map(String::as_str).unwrap_or("");
            // A window of the choices around the chosen one keeps the popup narrow.
            let start = choice
                .saturating_sub(WINDOW / 2)
                .min(containers.len().saturating_sub(WINDOW));
            let end = (start + WINDOW).min(containers.len());
            let names: Vec<&str> = containers[start..end].iter().map(String::as_str).collect();
            let mut lines = vec![
                Line::from(question),
                choices(&names, choice - start, app, theme),
            ];
            if containers.len() > WINDOW {
                lines.push(Line::from(Span::styled(
                    format!("{} of {} containers", choice + 1, containers.len()),
                    theme.style(Role::Dim),
                )));
            }
            lines.extend([
                Line::from(Span::styled(
                    format!("berth network {verb} {} {}", quote(network), quote(chosen)),
                    theme.style(Role::Dim),
                )),
                Line::from(""),
                answer_line(app, verb, theme),
            ]);
            lines
        }
        _ => return,
    };
    dialog(lines, theme, area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::AppSettings;
    use crate::tui::keymap::Keymap;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn connect_popup_windows_many_containers_and_shows_the_command() {
        let mut app = App::new(
            Keymap::default(),
            AppSettings::default(),
            chrono::Utc::now(),
        );
        app.popup = Some(Popup::NetworkConnect {
            network: "app".into(),
            containers: (1..=7).map(|i| format!("c{i}")).collect(),
            choice: 6,
            connect: true,
        });
        let theme = Theme::preset("default").expect("theme");
        let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        term.draw(|f| crate::tui::ui::render(&app, &theme, f.area(), f.buffer_mut()))
            .expect("draw");
        let buf = term.backend().buffer();
        let text: String = (0..buf.area.height)
            .map(|y| {
                let row: String = (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect();
                row + "\n"
            })
            .collect();
        for want in [
            "Connect a container to 'app':",
            "[ c7 ]",
            "c3",
            "7 of 7 containers",
            "berth network connect app c7",
            "connect   n, esc keep",
        ] {
            assert!(text.contains(want), "'{want}' missing:\n{text}");
        }
        assert!(!text.contains("c2 "), "outside the window:\n{text}");
    }
}
