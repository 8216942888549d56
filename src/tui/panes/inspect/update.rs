//! `App::update` for the Inspect view: opening it for the focused pane's selection, the
//! document arriving, and its keys (while it is open every key is its own: moves, fold,
//! search, copy, close).

use super::state::InspectView;
use crate::engine::ObjectKind;
use crate::tui::action::Effect;
use crate::tui::app::{App, Pane};
use crate::tui::keys::Key;
use crossterm::event::{KeyCode, KeyModifiers};
use serde_json::Value;

impl App {
    /// Asks for the document of the focused pane's selection: the image in the Images
    /// pane, the network in the Networks pane, else the selected container.
    pub(crate) fn open_inspect(&mut self) -> Vec<Effect> {
        let target = match self.focus {
            Pane::Images => self
                .images
                .current()
                .map(|r| (ObjectKind::Image, r.target())),
            Pane::Volumes => self
                .volumes
                .current()
                .map(|v| (ObjectKind::Volume, v.volume.name().to_string())),
            Pane::Networks => self
                .networks
                .current()
                .map(|n| (ObjectKind::Network, n.name.clone())),
            Pane::Topology => self.topology_target(),
            _ => self
                .selected_container()
                .map(|c| (ObjectKind::Container, c.name().to_string())),
        };
        match target {
            Some((kind, name)) => vec![Effect::Inspect {
                kind: Some(kind),
                name,
            }],
            None => {
                self.error("nothing selected to inspect");
                vec![]
            }
        }
    }

    /// The document arrived (or could not be read).
    pub(crate) fn inspected(
        &mut self,
        kind: ObjectKind,
        name: String,
        result: Result<Value, String>,
    ) -> Vec<Effect> {
        match result {
            Ok(doc) => self.inspect = Some(InspectView::new(kind.name(), &name, doc)),
            Err(e) => self.error(format!("cannot inspect '{name}': {e}")),
        }
        vec![]
    }

    /// A key while the Inspect view is open (`None` when it is not).
    pub(crate) fn inspect_key(&mut self, key: Key) -> Option<Vec<Effect>> {
        let page = self.page() as isize;
        let view = self.inspect.as_mut()?;
        if let Some(typed) = &mut view.typing {
            match key.code {
                KeyCode::Char(c) if !key.mods.contains(KeyModifiers::CONTROL) => typed.push(c),
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Esc => view.typing = None,
                KeyCode::Enter => {
                    view.query = view.typing.take().unwrap_or_default();
                    if !view.find(true) && !view.query.is_empty() {
                        let q = view.query.clone();
                        self.error(format!("'{q}' is not in the document"));
                    }
                }
                _ => {}
            }
            return Some(vec![]);
        }
        let ctrl = key.mods.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => view.move_by(1),
            KeyCode::Char('k') | KeyCode::Up => view.move_by(-1),
            KeyCode::Char('d') if ctrl => view.move_by(page),
            KeyCode::Char('u') if ctrl => view.move_by(-page),
            KeyCode::PageDown => view.move_by(page),
            KeyCode::PageUp => view.move_by(-page),
            KeyCode::Char('g') | KeyCode::Home => view.cursor = 0,
            KeyCode::Char('G') | KeyCode::End => view.move_by(isize::MAX / 2),
            KeyCode::Enter | KeyCode::Char(' ') => view.fold(None),
            KeyCode::Char('l') | KeyCode::Right => view.fold(Some(true)),
            KeyCode::Char('h') | KeyCode::Left => view.fold(Some(false)),
            KeyCode::Char('/') => view.typing = Some(String::new()),
            KeyCode::Char(c @ ('n' | 'N')) => {
                if view.query.is_empty() {
                    self.error("no search yet: press / and type what to find");
                } else if !view.find(c == 'n') {
                    let q = view.query.clone();
                    self.error(format!("'{q}' is not in the document"));
                }
            }
            KeyCode::Char('y') => {
                if let Some((text, path)) = view.copy_text() {
                    self.info(format!(
                        "copied {path} ({} bytes) to the clipboard (OSC 52)",
                        text.len()
                    ));
                    return Some(vec![Effect::CopyText(text)]);
                }
            }
            KeyCode::Esc | KeyCode::Char('q') => self.inspect = None,
            _ => {}
        }
        Some(vec![])
    }
}
