//! `App::update` for builds: opening and typing in the build form, starting the build,
//! the steps streaming in, and on success jumping to the new image's layers in the Images
//! pane.

use crate::engine::{BuildEvent, ImageId};
use crate::tui::action::Effect;
use crate::tui::app::{App, Pane, Popup};
use crate::tui::keys::Key;
use crate::tui::panes::build::state::{BuildForm, BuildView};
use crate::tui::panes::images::state::ImagesFocus;
use crossterm::event::{KeyCode, KeyModifiers};

impl App {
    /// Opens the build form (the last one's values, when there was one).
    pub(crate) fn ask_build(&mut self) -> Vec<Effect> {
        if self.build.view.running {
            self.popup = Some(Popup::Building);
            return vec![];
        }
        let mut form = self.build.form.clone();
        form.field = 0;
        self.popup = Some(Popup::Build(form));
        vec![]
    }

    /// In the form, characters and backspace edit the current field.
    pub(crate) fn build_form_key(&mut self, key: Key) -> Option<Vec<Effect>> {
        let Some(Popup::Build(f)) = &mut self.popup else {
            return None;
        };
        match key.code {
            KeyCode::Char(c)
                if key.mods == KeyModifiers::NONE || key.mods == KeyModifiers::SHIFT =>
            {
                f.current().push(c)
            }
            KeyCode::Backspace => {
                f.current().pop();
            }
            KeyCode::Down => f.move_field(1),
            KeyCode::Up => f.move_field(-1),
            _ => return None,
        }
        Some(vec![])
    }

    /// Starts the build the form describes.
    pub(crate) fn confirm_build(&mut self, form: BuildForm) -> Vec<Effect> {
        match form.request() {
            Err(e) => {
                self.error(e);
                self.popup = Some(Popup::Build(form));
                vec![]
            }
            Ok(req) => {
                self.build.form = form;
                self.command_log.push(req.cli_line());
                self.build.view = BuildView::start(req.clone());
                self.popup = Some(Popup::Building);
                self.info(format!("building '{}'", req.context));
                vec![Effect::Build {
                    request: req,
                    network: self.settings.default_network.clone(),
                }]
            }
        }
    }

    /// A progress report of the running build.
    pub(crate) fn build_progress(&mut self, e: BuildEvent) -> Vec<Effect> {
        self.build.view.event(e);
        vec![]
    }

    /// The build ended: on success, show its image's layers.
    pub(crate) fn build_finished(&mut self, result: Result<ImageId, String>) -> Vec<Effect> {
        self.build.view.finish(result.clone());
        match result {
            Ok(id) => {
                self.info(format!("built {}", id.short()));
                if self.popup == Some(Popup::Building) {
                    self.popup = None;
                }
                self.focus = Pane::Images;
                vec![Effect::ListImages]
            }
            Err(e) => {
                self.command_log.push(format!("#   failed: {e}"));
                self.error(format!("build failed: {e}"));
                vec![]
            }
        }
    }

    /// After an image list: select the image a build just made, with its history.
    pub(crate) fn select_built_image(&mut self) -> Vec<Effect> {
        let Some(id) = self.build.view.select_after.take() else {
            return vec![];
        };
        let im = &mut self.images;
        if let Some(i) = im.rows.iter().position(|r| r.image.id == id) {
            im.selected = i;
            im.history_selected = 0;
            im.file_selected = 0;
            im.focus = ImagesFocus::History;
            im.rebuild_files();
        }
        self.ensure_tree()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::Action;
    use crate::tui::app::AppSettings;
    use crate::tui::keymap::Keymap;
    use crossterm::event::{KeyEvent, KeyEventKind, KeyEventState};

    fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
        app.update(Action::Key(KeyEvent {
            code,
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }))
    }

    #[test]
    fn b_opens_the_form_typing_fills_it_and_enter_starts_the_build() {
        let mut app = App::new(
            Keymap::default(),
            AppSettings::default(),
            chrono::Utc::now(),
        );
        app.focus = Pane::Images;
        key(&mut app, KeyCode::Char('b'));
        assert!(matches!(app.popup, Some(Popup::Build(_))));
        key(&mut app, KeyCode::Backspace);
        for c in "/srv/ctx".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        key(&mut app, KeyCode::Tab);
        key(&mut app, KeyCode::Tab);
        for c in "yes:1".chars() {
            key(&mut app, KeyCode::Char(c));
        }
        let effects = key(&mut app, KeyCode::Enter);
        let Some(Effect::Build { request, network }) =
            effects.iter().find(|e| matches!(e, Effect::Build { .. }))
        else {
            panic!("no build effect: {effects:?}");
        };
        assert_eq!(request.context, "/srv/ctx");
        assert_eq!(request.tags, vec!["yes:1"]);
        assert_eq!(network, "bridge");
        assert_eq!(app.popup, Some(Popup::Building));
        assert_eq!(
            app.command_log.last().map(String::as_str),
            Some("berth build -t yes:1 /srv/ctx")
        );

        app.update(Action::BuildProgress(BuildEvent::Step {
            number: 1,
            total: 1,
            text: "FROM busybox".into(),
        }));
        assert_eq!(app.build.view.steps.len(), 1);
        let effects = app.update(Action::BuildFinished(Ok(ImageId::from_trusted(
            "sha256:abc",
        ))));
        assert!(effects.contains(&Effect::ListImages));
        assert_eq!(app.focus, Pane::Images);
        assert_eq!(app.popup, None);
        assert_eq!(app.build.view.select_after.as_deref(), Some("sha256:abc"));

        // A failure keeps the view open with the error.
        key(&mut app, KeyCode::Char('b'));
        let effects = key(&mut app, KeyCode::Enter);
        assert!(effects.iter().any(|e| matches!(e, Effect::Build { .. })));
        app.update(Action::BuildFinished(Err(
            "Dockerfile:2: unknown instruction 'FORM'".into(),
        )));
        assert_eq!(app.popup, Some(Popup::Building));
        assert!(
            app.status
                .as_ref()
                .is_some_and(|m| m.text.contains("unknown instruction"))
        );
    }
}
