//! The Networks pane's popups: removing a network, and connecting or disconnecting a
//! container (chosen in the popup).

use super::confirm::{answer_line, choices, dialog};
use crate::tui::action::quote;
use crate::tui::app::{App, Popup};
use crate::tui::theme::{Role, Theme};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

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
            let (question, verb, does) = if *connect {
                (
                    format!("Connect a container to '{network}':"),
                    "connect",
                    "connect",
                )
            } else {
                (
                    format!("Disconnect a container from '{network}':"),
                    "disconnect",
                    "disconnect",
                )
            };
            let chosen = containers.get(*choice).map(String::as_str).unwrap_or("");
            let names: Vec<&str> = containers.iter().map(String::as_str).collect();
            vec![
                Line::from(question),
                choices(&names, *choice, app, theme),
                Line::from(Span::styled(
                    format!("berth network {verb} {} {}", quote(network), quote(chosen)),
                    theme.style(Role::Dim),
                )),
                Line::from(""),
                answer_line(app, does, theme),
            ]
        }
        _ => return,
    };
    dialog(lines, theme, area, buf);
}
