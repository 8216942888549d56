//! The build popups: the form (context, Dockerfile, tags, build args) and the build's
//! steps as they stream in, each with its cache hit, layer size and time, above the
//! last lines of RUN output.

use crate::engine::human;
use crate::tui::app::App;
use crate::tui::keymap::UserAction;
use crate::tui::panes::build::state::{BuildForm, FIELDS};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::centered;
use crate::tui::ui::hints::hint_line;
use crate::tui::ui::prompt::non_text_keys;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

fn dialog<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .title(Line::from(title).style(theme.style(Role::TitleFocused)))
        .border_style(theme.style(Role::BorderFocused))
        .style(theme.style(Role::Dialog))
}

/// Draws the build form with the field being edited marked.
pub fn render_form(app: &App, form: &BuildForm, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let width = 64u16.min(area.width);
    let field_w = usize::from(width.saturating_sub(18)).max(2);
    let hints = [
        "directory sent as the build context",
        "empty: CONTEXT/Dockerfile",
        "NAME[:TAG], separated by blanks",
        "KEY=VALUE, separated by blanks",
    ];
    let mut lines = vec![Line::from("Build an image (berth build):"), Line::from("")];
    for (i, name) in FIELDS.iter().enumerate() {
        let value = &form.values[i];
        let chars: Vec<char> = value.chars().collect();
        let start = chars.len().saturating_sub(field_w.saturating_sub(1));
        let shown: String = chars[start..].iter().collect();
        let active = i == form.field;
        let cursor = if active { "▏" } else { " " };
        let pad = field_w.saturating_sub(shown.chars().count() + 1);
        let label_role = if active { Role::HelpKey } else { Role::Text };
        lines.push(Line::from(vec![
            Span::styled(format!("{name:>11}: "), theme.style(label_role)),
            Span::styled(
                format!("{shown}{cursor}{}", " ".repeat(pad)),
                theme.style(Role::PromptInput),
            ),
        ]));
        lines.push(Line::from(Span::styled(
            format!("{:13}{}", "", hints[i]),
            theme.style(Role::Dim),
        )));
    }
    lines.push(hint_line(
        vec![
            (non_text_keys(app, UserAction::NextChoice), "next field"),
            (non_text_keys(app, UserAction::Confirm), "build"),
            (non_text_keys(app, UserAction::ClosePopup), "cancel"),
        ],
        theme,
    ));
    let rect = centered(area, width, lines.len() as u16 + 2);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(dialog(" Build ", theme))
        .render(rect, buf);
}

/// Draws the running or last build: steps on top, output below, the outcome last.
pub fn render_progress(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let b = &app.build.view;
    let rect = centered(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(2).max(8),
    );
    Clear.render(rect, buf);
    let title = match &b.request {
        Some(r) => format!(" Build {} ", r.context),
        None => " Build ".to_string(),
    };
    let block = dialog(&title, theme);
    let inner = block.inner(rect);
    block.render(rect, buf);
    let steps_h =
        (b.steps.len() as u16).clamp(1, inner.height.saturating_sub(4).max(1) * 2 / 3 + 1);
    let [steps_area, output_area, footer] = Layout::vertical([
        Constraint::Length(steps_h),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);

    let skip = b.steps.len().saturating_sub(usize::from(steps_area.height));
    let step_lines: Vec<Line> = b.steps[skip..]
        .iter()
        .map(|s| {
            let (mark, role) = match (s.cached, s.millis) {
                _ if s.failed => ("failed", Role::Error),
                (true, _) => ("cached", Role::Info),
                (false, Some(_)) => ("done", Role::StatusRunning),
                (false, None) => ("running", Role::StatusRestarting),
            };
            let size = s.layer_size.map(human::size).unwrap_or_default();
            let time = s
                .millis
                .map(|ms| format!("{:.2}s", ms as f64 / 1000.0))
                .unwrap_or_default();
            let id =
                s.id.as_deref()
                    .map(|i| crate::engine::short_id(i.trim_start_matches("sha256:")).to_string())
                    .unwrap_or_default();
            Line::from(vec![
                Span::styled(
                    format!("{:>5} ", format!("{}/{}", s.number, s.total)),
                    theme.style(Role::Dim),
                ),
                Span::styled(format!("{mark:<8}"), theme.style(role)),
                Span::styled(
                    format!("{size:>8} {time:>7} {id:<12} "),
                    theme.style(Role::Dim),
                ),
                Span::styled(s.text.clone(), theme.style(Role::Text)),
            ])
        })
        .collect();
    Paragraph::new(step_lines).render(steps_area, buf);

    let out_skip = b
        .output
        .len()
        .saturating_sub(usize::from(output_area.height));
    let out: Vec<Line> = b
        .output
        .iter()
        .skip(out_skip)
        .map(|l| Line::from(Span::styled(l.clone(), theme.style(Role::Dim))))
        .collect();
    Paragraph::new(out)
        .wrap(Wrap { trim: false })
        .render(output_area, buf);

    let close = non_text_keys(app, UserAction::ClosePopup);
    let footer_line = match &b.outcome {
        None if b.running => Line::from(Span::styled(
            format!("building… ({close} hides this; the build goes on)"),
            theme.style(Role::Info),
        )),
        None => Line::from(Span::styled("no build yet", theme.style(Role::Dim))),
        Some(Ok(id)) => Line::from(Span::styled(format!("built {id}"), theme.style(Role::Info))),
        Some(Err(e)) => Line::from(Span::styled(
            format!("failed: {e}  ({close} closes)"),
            theme.style(Role::Error),
        )),
    };
    Paragraph::new(footer_line).render(footer, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::BuildEvent;
    use crate::tui::app::{AppSettings, Popup};
    use crate::tui::keymap::Keymap;
    use crate::tui::panes::build::state::BuildView;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::time::Duration;

    fn screen(app: &App) -> String {
        let mut t = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        let theme = Theme::default();
        t.draw(|f| crate::tui::ui::render(app, &theme, f.area(), f.buffer_mut()))
            .expect("draw");
        let buf = t.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn form_and_streaming_steps_render() {
        let mut app = App::new(
            Keymap::default(),
            AppSettings::default(),
            chrono::Utc::now(),
        );
        let mut form = BuildForm::default();
        form.values[2] = "app:1".into();
        form.field = 2;
        app.popup = Some(Popup::Build(form.clone()));
        let s = screen(&app);
        assert!(s.contains("Build an image (berth build):"), "{s}");
        assert!(s.contains("Context: ."), "{s}");
        assert!(s.contains("Tags: app:1▏"), "{s}");

        let mut v = BuildView::start(form.request().expect("request"));
        v.event(BuildEvent::Step {
            number: 1,
            total: 3,
            text: "FROM busybox".into(),
        });
        v.event(BuildEvent::StepDone {
            id: format!("sha256:{}", "a".repeat(64)),
            layer_size: None,
            elapsed: Duration::from_millis(2),
        });
        v.event(BuildEvent::Step {
            number: 2,
            total: 3,
            text: "COPY . /app".into(),
        });
        v.event(BuildEvent::CacheHit);
        v.event(BuildEvent::StepDone {
            id: format!("sha256:{}", "b".repeat(64)),
            layer_size: Some(1234),
            elapsed: Duration::from_millis(310),
        });
        v.event(BuildEvent::Step {
            number: 3,
            total: 3,
            text: "RUN make".into(),
        });
        v.event(BuildEvent::Output(b"compiling...\n".to_vec()));
        app.build.view = v;
        app.popup = Some(Popup::Building);
        let s = screen(&app);
        assert!(s.contains("Build . "), "{s}");
        assert!(
            s.contains("2/3 cached    1.23kB   0.31s bbbbbbbbbbbb COPY . /app"),
            "{s}"
        );
        assert!(s.contains("3/3 running"), "{s}");
        assert!(s.contains("compiling..."), "{s}");
        assert!(s.contains("building…"), "{s}");
    }
}
