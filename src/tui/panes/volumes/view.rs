//! The Volumes pane: a table of the volumes (name, driver, size, the containers using
//! them, mountpoint; columns by priority, so names are never cut while a lower column
//! shows), the selected volume's details, and the remove and prune popups.

use crate::engine::human;
use crate::tui::action::quote;
use crate::tui::app::{App, Pane, Popup};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::columns::{self, Want};
use crate::tui::ui::confirm::{answer_line, dialog};
use crate::tui::ui::hints::hint_line;
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

const HEADERS: [&str; 5] = ["NAME", "DRIVER", "SIZE", "CONTAINERS", "MOUNTPOINT"];

/// Draws the whole Volumes pane into `area`.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [list, details] = Layout::vertical([Constraint::Min(5), Constraint::Length(6)]).areas(area);
    render_list(app, theme, list, buf);
    render_details(app, theme, details, buf);
}

fn render_list(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let vols = &app.volumes;
    let title = format!(" Volumes ({}) ", vols.list.len());
    let block = pane_block(Line::from(title), is_focused(app, Pane::Volumes), theme);
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
            .block(block)
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
    let col = |i: usize| texts.iter().map(move |t| t[i].as_str());
    let wants = [
        // Anonymous volumes' 64-hex names are cut (with an ellipsis) past 40.
        Want::content(HEADERS[0], col(0), 40, 12, 0),
        Want::content(HEADERS[1], col(1), 8, 6, 3),
        Want::content(HEADERS[2], col(2), 10, 8, 1),
        Want::content(HEADERS[3], col(3), 40, 10, 2),
        Want::content(HEADERS[4], col(4), 90, 20, 4),
    ];
    // Borders, the selection mark and one space between columns.
    let widths = columns::fit(area.width.saturating_sub(4), 1, &wants);
    let shown = |i: usize| widths[i].is_some();
    let header = Row::new(
        HEADERS
            .iter()
            .enumerate()
            .filter(|(i, _)| shown(*i))
            .map(|(_, h)| Cell::from(*h)),
    )
    .style(theme.style(Role::Header));
    let rows = vols.list.iter().zip(&texts).map(|(v, t)| {
        let text = |i: usize| columns::cut(&t[i], widths[i].unwrap_or(0));
        let users_role = if v.users.is_empty() {
            Role::Dim
        } else {
            Role::StatusRunning
        };
        let cells = [
            Cell::from(text(0)),
            Cell::from(text(1)).style(theme.style(Role::Dim)),
            Cell::from(text(2)),
            Cell::from(text(3)).style(theme.style(users_role)),
            Cell::from(text(4)).style(theme.style(Role::Dim)),
        ];
        Row::new(
            cells
                .into_iter()
                .enumerate()
                .filter(|(i, _)| shown(*i))
                .map(|(_, c)| c),
        )
        .style(theme.style(Role::Text))
    });
    let constraints: Vec<Constraint> = widths
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    let table = Table::new(rows, constraints)
        .header(header)
        .block(block)
        .column_spacing(1)
        .highlight_symbol("▶ ")
        .row_highlight_style(theme.style(Role::Selection));
    let mut state = TableState::default().with_selected(Some(vols.selected));
    StatefulWidget::render(table, area, buf, &mut state);
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
