//! Drawing: the frame every pane shares (layout, columns, hints, the help, prompt and
//! confirmation popups, the command log strip, the status bar), and `render`, which puts
//! each pane's view (`panes/<pane>/view.rs`, a pure function of the state) in its place.
//! Nothing here changes state or calls the engine.

pub(crate) mod columns;
pub(crate) mod command_log;
pub(crate) mod confirm;
pub(crate) mod help;
pub(crate) mod hints;
pub(crate) mod layout;
pub(crate) mod prompt;
pub(crate) mod status;
pub(crate) mod table;

use super::app::{App, Pane, Popup};
use super::theme::{Role, Theme};
use crate::tui::panes::build::view as build;
use crate::tui::panes::changes::view as changes;
use crate::tui::panes::containers::popups as container_popups;
use crate::tui::panes::containers::view as containers;
use crate::tui::panes::images::popups as image_popups;
use crate::tui::panes::images::view as images;
use crate::tui::panes::inspect::view as inspect;
use crate::tui::panes::logs::view as logs;
use crate::tui::panes::networks::popups as network_popups;
use crate::tui::panes::networks::view as networks;
use crate::tui::panes::shell::view as shell;
use crate::tui::panes::stats::view as stats;
use crate::tui::panes::timeline::view as timeline;
use crate::tui::panes::top::popups as top_popups;
use crate::tui::panes::top::view as top;
use crate::tui::panes::volumes::view as volumes;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType};

/// Draws the whole dashboard into `buf`: the Images pane, or the container list over
/// the detail pane (Logs, Stats or Top); then the command log, the status bar, a popup.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [main, cmds, status_bar] = layout::rows(app, area);
    if app.focus == Pane::Images {
        images::render(app, theme, main, buf);
    } else if app.focus == Pane::Networks {
        networks::render(app, theme, main, buf);
    } else if app.focus == Pane::Volumes {
        volumes::render(app, theme, main, buf);
    } else if app.focus == Pane::Topology {
        crate::tui::panes::topology::view::render(app, theme, main, buf);
    } else {
        let panes = layout::container_panes(app, area, main);
        if !panes.list.is_empty() {
            containers::render(app, theme, panes.list, buf);
        }
        if let Some(sh) = panes.shell.filter(|r| !r.is_empty()) {
            shell::render(app, theme, sh, buf);
        }
        let detail = panes.detail;
        if !detail.is_empty() {
            match app.detail {
                Pane::Stats => stats::render(app, theme, detail, buf),
                Pane::Top => top::render(app, theme, detail, buf),
                Pane::Changes => changes::render(app, theme, detail, buf),
                Pane::Timeline => timeline::render(app, theme, detail, buf),
                _ => logs::render(app, theme, detail, buf),
            }
        }
    }
    if app.zoomed {
        layout::mark_zoom(app, theme, main, buf);
    }
    if !cmds.is_empty() {
        command_log::render(app, theme, cmds, buf);
    }
    if app.palette.open {
        crate::tui::panes::palette::view::render_line(app, theme, status_bar, buf);
    } else {
        status::render(app, theme, status_bar, buf);
    }
    match &app.popup {
        Some(Popup::Help) => help::render(app, theme, area, buf),
        Some(Popup::ConfirmRemove(name)) => {
            container_popups::render_remove(app, name, theme, area, buf)
        }
        Some(Popup::ConfirmRemoveImage { name, force }) => {
            image_popups::render_remove_image(app, name, *force, theme, area, buf)
        }
        Some(Popup::ConfirmSignal {
            container,
            pid,
            command,
            choice,
        }) => top_popups::render_signal(app, (container, *pid, command), *choice, theme, area, buf),
        Some(Popup::Prompt(p)) => prompt::render(app, p, theme, area, buf),
        Some(p @ (Popup::ConfirmRemoveNetwork(_) | Popup::NetworkConnect { .. })) => {
            network_popups::render(app, p, theme, area, buf)
        }
        Some(Popup::Build(form)) => build::render_form(app, form, theme, area, buf),
        Some(Popup::Building) => build::render_progress(app, theme, area, buf),
        Some(p @ (Popup::ConfirmRemoveVolume(_) | Popup::ConfirmPruneVolumes(_))) => {
            volumes::render_popup(app, p, theme, area, buf)
        }
        Some(Popup::Output {
            title,
            lines,
            failed,
        }) => crate::tui::panes::palette::view::render_output(
            app,
            (title, lines, *failed),
            theme,
            area,
            buf,
        ),
        None => {}
    }
    if let Some(view) = &app.inspect {
        // Over the panes and the command log; the status bar stays visible.
        let over = Rect {
            height: area.height.saturating_sub(status_bar.height),
            ..area
        };
        inspect::render(view, theme, over, buf);
    }
}

/// A pane's frame: title and border in the focused or plain roles.
pub fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    let (t, b) = if focused {
        (Role::TitleFocused, Role::BorderFocused)
    } else {
        (Role::Title, Role::Border)
    };
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(theme.style(b))
        .title(title.style(theme.style(t)))
}

/// Whether `pane` has the focus (and no popup or Inspect view hides it).
pub fn is_focused(app: &App, pane: Pane) -> bool {
    app.focus == pane && app.popup.is_none() && app.inspect.is_none()
}

/// A `w` x `h` rectangle centred in `area` (shrunk to fit).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

#[cfg(test)]
mod sizes_tests;
#[cfg(test)]
mod tests;
