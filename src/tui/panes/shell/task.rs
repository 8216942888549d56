//! The background side of a Shell pane session: the connection to the container's shim,
//! the terminal emulator (`vt100::Parser`) that the output goes through, and the screen
//! copies sent to the app as `Action::ShellScreen`.
//!
//! Three parts, so nothing blocks the runner: a thread connects (the engine's calls
//! block) and then reads frames; a thread writes keys and resizes to the socket; a
//! tokio task owns the parser, feeds it what the reader read, applies resizes, and
//! sends at most one screen per [`FRAME`] (a flood of output costs one copy a frame).

use crate::engine::{Engine, ExecRequest, Frame, Session, SessionInput};
use crate::tui::action::{Action, Effect};
use crate::tui::panes::shell::state::ShellKind;
use crate::tui::tasks::{PaneTasks, Tx};
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;
use tokio::sync::mpsc;

/// The least time between two screens sent to the app.
pub const FRAME: Duration = Duration::from_millis(8);

/// Lines of history the emulator keeps (the pane shows the live screen).
const SCROLLBACK: usize = 0;

/// What the parser task hears.
enum Msg {
    Output(Vec<u8>),
    Resize(u16, u16),
    Ended(Option<String>),
}

/// What the writer thread sends to the process.
enum Input {
    Bytes(Vec<u8>),
    Resize(u16, u16),
}

/// A running session; dropping it closes the connection (the process goes on, as after
/// a detach).
pub struct ShellHandle {
    input: std_mpsc::Sender<Input>,
    ctl: mpsc::UnboundedSender<Msg>,
}

/// The open shell sessions, by id: what the runner keeps to perform the shell effects.
#[derive(Default)]
pub struct ShellSessions(Vec<(u64, ShellHandle)>);

impl PaneTasks for ShellSessions {
    fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        ShellSessions::perform(self, effect, engine, tx)
    }
}

impl ShellSessions {
    /// Performs `effect` when it is a shell one (open, input, resize, close) and gives
    /// back any other effect untouched.
    pub fn perform(&mut self, effect: Effect, engine: &Engine, tx: &Tx) -> Option<Effect> {
        match effect {
            Effect::OpenShell {
                session,
                container,
                kind,
                size,
            } => {
                let h =
                    ShellHandle::open(engine.clone(), session, container, kind, size, tx.clone());
                self.0.push((session, h));
            }
            Effect::ShellInput { session, bytes } => {
                if let Some(h) = self.get(session) {
                    h.input(&bytes);
                }
            }
            Effect::ShellResize { session, size } => {
                if let Some(h) = self.get(session) {
                    h.resize(size.0, size.1);
                }
            }
            Effect::CloseShell { session } => self.0.retain(|(id, _)| *id != session),
            other => return Some(other),
        }
        None
    }

    /// How many sessions are open.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no session is open.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn get(&self, session: u64) -> Option<&ShellHandle> {
        self.0.iter().find(|(id, _)| *id == session).map(|(_, h)| h)
    }
}

impl ShellHandle {
    /// Opens a session on `container` with a `rows` x `cols` terminal; its screens and
    /// its end come back as actions tagged `session`.
    pub fn open(
        engine: Engine,
        session: u64,
        container: String,
        kind: ShellKind,
        (rows, cols): (u16, u16),
        tx: Tx,
    ) -> ShellHandle {
        let (input, input_rx) = std_mpsc::channel::<Input>();
        let (ctl, ctl_rx) = mpsc::unbounded_channel();
        let parser = vt100::Parser::new(rows.max(1), cols.max(1), SCROLLBACK);
        tokio::spawn(parse(parser, ctl_rx, session, tx));
        let out = ctl.clone();
        // The first frame sets the pty's size before the shell draws its prompt.
        let _ = input.send(Input::Resize(rows, cols));
        let spawned = std::thread::Builder::new()
            .name("berth-shell".into())
            .spawn(move || {
                let (session, crlf) = match connect(&engine, &container, kind) {
                    Ok(s) => s,
                    Err(e) => {
                        let _ = out.send(Msg::Ended(Some(e)));
                        return;
                    }
                };
                let w = session.input();
                std::thread::spawn(move || write_loop(w, input_rx));
                let end = read_loop(session, crlf, &out);
                let _ = out.send(Msg::Ended(end));
            });
        if let Err(e) = spawned {
            let _ = ctl.send(Msg::Ended(Some(format!(
                "cannot start the shell thread: {e}"
            ))));
        }
        ShellHandle { input, ctl }
    }

    /// Sends bytes typed in the pane to the process.
    pub fn input(&self, bytes: &[u8]) {
        let _ = self.input.send(Input::Bytes(bytes.to_vec()));
    }

    /// Resizes the emulator and the process's terminal.
    pub fn resize(&self, rows: u16, cols: u16) {
        let _ = self.ctl.send(Msg::Resize(rows, cols));
        let _ = self.input.send(Input::Resize(rows, cols));
    }
}

/// Connects; also says whether output needs `\n` made `\r\n` (a container without a
/// terminal writes bare line feeds, which a terminal would not return the cursor on).
fn connect(engine: &Engine, container: &str, kind: ShellKind) -> Result<(Session, bool), String> {
    let connected = match kind {
        ShellKind::Exec => engine.exec(
            container,
            &ExecRequest {
                argv: vec!["sh".into()],
                tty: true,
                stdin: true,
                ..ExecRequest::default()
            },
        ),
        ShellKind::Attach => engine.attach(container),
    };
    let crlf =
        kind == ShellKind::Attach && engine.container(container).is_ok_and(|c| !c.config.tty);
    connected.map(|s| (s, crlf)).map_err(|e| e.to_string())
}

/// `\n` as `\r\n`, for output that did not pass through a terminal.
fn add_cr(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 16);
    for &b in data {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// Writes the queued input until the session is dropped or the socket fails.
fn write_loop(w: SessionInput, inputs: std_mpsc::Receiver<Input>) {
    while let Ok(input) = inputs.recv() {
        let sent = match input {
            Input::Bytes(bytes) => w.send_input(&bytes),
            Input::Resize(rows, cols) => w.resize(rows, cols),
        };
        if sent.is_err() {
            return;
        }
    }
    // The handle is gone (the dashboard closed the session): hang up like a detach.
    w.hang_up();
}

/// Reads output frames until the exit frame or the end; returns what to say about the end.
fn read_loop(mut session: Session, crlf: bool, out: &mpsc::UnboundedSender<Msg>) -> Option<String> {
    loop {
        match session.recv() {
            Ok(Some(Frame::Stdout(data) | Frame::Stderr(data))) => {
                let data = if crlf { add_cr(&data) } else { data };
                if out.send(Msg::Output(data)).is_err() {
                    return None;
                }
            }
            Ok(Some(Frame::Exit(code))) => return Some(format!("exited with code {code}")),
            Ok(Some(_)) => {}
            Ok(None) => return Some("the connection ended".into()),
            Err(e) => return Some(format!("the connection failed: {e}")),
        }
    }
}

/// Owns the emulator: feeds output and resizes, sends screens (one per frame at most).
async fn parse(
    mut parser: vt100::Parser,
    mut rx: mpsc::UnboundedReceiver<Msg>,
    session: u64,
    tx: Tx,
) {
    loop {
        let Some(first) = rx.recv().await else { return };
        let mut ended = None;
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::Output(data) => parser.process(&data),
                Msg::Resize(rows, cols) => parser.screen_mut().set_size(rows.max(1), cols.max(1)),
                Msg::Ended(why) => ended = Some(why),
            }
            if ended.is_some() {
                break;
            }
            next = rx.try_recv().ok();
        }
        let screen = Arc::new(parser.screen().clone());
        if tx.send(Action::ShellScreen { session, screen }).is_err() {
            return;
        }
        if let Some(why) = ended {
            let _ = tx.send(Action::ShellEnded {
                session,
                why: why.unwrap_or_else(|| "ended".into()),
            });
            return;
        }
        tokio::time::sleep(FRAME).await;
    }
}
