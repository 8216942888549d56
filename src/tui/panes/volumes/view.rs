//! The Volumes pane: a table of the volumes (name, driver, size, the containers using
//! them, mountpoint; columns by priority, so names are never cut while a lower column
//! shows), the selected volume's details, and the remove and prune popups.

use crate::engine::human;
use crate::tui::action::quote;
use crate::tui::app::{App, Pane, Popup};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::confirm::{answer_line, dialog};
use crate::tui::ui::hints::hint_line;
use crate::tui::ui::table::{Column, Fitted, Size};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Widget};

/// The table's columns: the name first, then the size, the users, the driver, and the
/// mountpoint (also in the details below) last.
const COLUMNS: [(&str, Size, u8); 5] = [
    // Anonymous volumes' 64-hex names are cut (with an ellipsis) past 40.
    ("NAME", Size::Content { cap: 40, min: 12 }, 0),
    ("DRIVER", Size::Content { cap: 8, min: 6 }, 3),
    ("SIZE", Size::Content { cap: 10, min: 8 }, 1),
    ("CONTAINERS", Size::Content { cap: 40, min: 10 }, 2),
    ("MOUNTPOINT", Size::Content { cap: 90, min: 20 }, 4),
];

/// Draws the whole Volumes pane into `area`.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [list, details] = Layout::vertical([Constraint::Min(5), Constraint::Length(6)]).areas(area);
    render_list(app, theme, list, buf);
    render_details(app, theme, details, buf);
}

fn render_list(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let vols = &app.volumes;
    let title = format!(" Volumes ({}) ", vols.list.len());
    let focused = is_focused(app, Pane::Volumes);
    if vols.list.is_empty() {
        let (text, role) = match (&vols.error, vols.listed) {
            (Some(e), _) => (format!("cannot list volumes: {e}"), Role::Error),
            (None, false) => ("loading…".to_string(), Role::Dim),
            (None, true) => (
                "no volumes: a creates one; run -v NAME:/path makes one too".to_string(),
                Role::Dim,
            ),
        };
        Paragraph::new(Line::from(text).style(theme.style(role)))
            .block(pane_block(Line::from(title), focused, theme))
            .render(area, buf);
        return;
    }
    let texts: Vec<[String; 5]> = vols
        .list
        .iter()
        .map(|v| {
            [
                v.volume.name().to_string(),
                v.volume.meta.driver.clone(),
                human::bytes_size(v.size),
                match v.users.len() {
                    0 => "-".to_string(),
                    _ => v.users.join(", "),
                },
                v.volume.mountpoint.display().to_string(),
            ]
        })
        .collect();
    let fitted = Fitted::new(
        &COLUMNS.map(|(h, s, p)| Column::new(h, s, p)),
        &texts,
        area,
        true,
    );
    let title = Line::from(title);
    let block = pane_block(title, focused, theme);
    let rows = vols.list.iter().zip(&texts).map(|(v, t)| {
        let text = |i: usize| fitted.cut(i, &t[i]);
        let users_role = if v.users.is_empty() {
            Role::Dim
        } else {
            Role::StatusRunning
        };
        fitted
            .row([
                Cell::from(text(0)),
                Cell::from(text(1)).style(theme.style(Role::Dim)),
                Cell::from(text(2)),
                Cell::from(text(3)).style(theme.style(users_role)),
                Cell::from(text(4)).style(theme.style(Role::Dim)),
            ])
            .style(theme.style(Role::Text))
    });
    fitted.render(rows, block, theme, Some(vols.selected), (area, buf));
}

fn render_details(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let block = pane_block(Line::from(" Volume "), false, theme);
    let dim = theme.style(Role::Dim);
    let mut lines = match app.volumes.current() {
        Some(v) => {
            let created = v.volume.meta.created_at;
            let labels = v
                .volume
                .meta
                .labels
                .iter()
                .map(|(k, val)| format!("{k}={val}"))
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                Line::from(vec![
                    Span::styled("mountpoint ", dim),
                    Span::raw(v.volume.mountpoint.display().to_string()),
                ]),
                Line::from(vec![
                    Span::styled("created ", dim),
                    Span::raw(human::ago_at(created, app.now).to_lowercase()),
                    Span::styled("   used by ", dim),
                    Span::raw(match v.users.len() {
                        0 => "no container".to_string(),
                        _ => v.users.join(", "),
                    }),
                ]),
                Line::from(vec![
                    Span::styled("labels ", dim),
                    Span::raw(if labels.is_empty() {
                        "-".into()
                    } else {
                        labels
                    }),
                ]),
            ]
        }
        None => vec![Line::from(Span::styled("no volume selected", dim))],
    };
    lines.push(hint_line(
        vec![
            (
                app.keymap
                    .keys_text(crate::tui::keymap::UserAction::CreateVolume),
                "create",
            ),
            (
                app.keymap
                    .keys_text(crate::tui::keymap::UserAction::RemoveVolume),
                "remove",
            ),
            (
                app.keymap
                    .keys_text(crate::tui::keymap::UserAction::PruneVolumes),
                "prune",
            ),
            (
                app.keymap
                    .keys_text(crate::tui::keymap::UserAction::Inspect),
                "inspect",
            ),
        ],
        theme,
    ));
    Paragraph::new(lines).block(block).render(area, buf);
}

/// Draws the volume popup `p` (other popups draw nothing here).
pub fn render_popup(app: &App, p: &Popup, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let dim = theme.style(Role::Dim);
    let lines = match p {
        Popup::ConfirmRemoveVolume(name) => vec![
            Line::from(format!("Remove volume '{name}' and its data?")),
            Line::from(Span::styled(
                format!("berth volume rm {}", quote(name)),
                dim,
            )),
            Line::from(""),
            answer_line(app, "remove", theme),
        ],
        Popup::ConfirmPruneVolumes(n) => vec![
            Line::from(format!(
                "Remove the {n} anonymous volume{} no container uses?",
                if *n == 1 { "" } else { "s" }
            )),
            Line::from(Span::styled(
                "Named volumes stay (berth volume prune -f).",
                dim,
            )),
            Line::from(""),
            answer_line(app, "prune", theme),
        ],
        _ => return,
    };
    dialog(lines, theme, area, buf);
}
