//! Pulls and pushes from the dashboard: the per-layer progress the Images pane draws as
//! gauges (the task that feeds it is in `task.rs`).

use crate::engine::Progress;

/// Which way the bytes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferKind {
    /// `berth pull`.
    Pull,
    /// `berth push`.
    Push,
}

impl TransferKind {
    /// The equivalent command line (`berth pull busybox`).
    pub fn cli_line(self, reference: &str) -> String {
        let verb = match self {
            TransferKind::Pull => "pull",
            TransferKind::Push => "push",
        };
        format!("berth {verb} {}", crate::tui::action::quote(reference))
    }

    /// Progressive, for titles and messages (`pulling`).
    pub fn doing(self) -> &'static str {
        match self {
            TransferKind::Pull => "pulling",
            TransferKind::Push => "pushing",
        }
    }

    /// Past tense (`pulled`).
    pub fn done(self) -> &'static str {
        match self {
            TransferKind::Pull => "pulled",
            TransferKind::Push => "pushed",
        }
    }
}

/// Where one layer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Not started yet.
    Waiting,
    /// Bytes are moving (down for a pull, up for a push).
    Moving,
    /// All bytes are in; extraction and verification finish.
    Extracting,
    /// Transferred and verified.
    Done,
    /// Nothing to move: already there (locally, or in the registry for a push).
    Exists,
    /// Mounted from another repository of the registry.
    Mounted(String),
}

/// One layer's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerProgress {
    /// 12-hex short digest.
    pub id: String,
    /// Where it is.
    pub phase: Phase,
    /// Bytes so far.
    pub current: u64,
    /// Its size (0 when unknown).
    pub total: u64,
    /// Bytes an interrupted earlier download had already fetched.
    pub resumed_from: Option<u64>,
}

/// A running pull or push, as the gauges show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Pull or push.
    pub kind: TransferKind,
    /// What was asked for.
    pub reference: String,
    /// Whether the reference resolved (a manifest was found) yet.
    pub resolved: bool,
    /// The layers in the order they were announced.
    pub layers: Vec<LayerProgress>,
}

impl Transfer {
    /// A transfer that has not heard from the registry yet.
    pub fn new(kind: TransferKind, reference: impl Into<String>) -> Transfer {
        Transfer {
            kind,
            reference: reference.into(),
            resolved: false,
            layers: Vec::new(),
        }
    }

    fn layer(&mut self, id: &str) -> &mut LayerProgress {
        let i = match self.layers.iter().position(|l| l.id == id) {
            Some(i) => i,
            None => {
                self.layers.push(LayerProgress {
                    id: id.to_string(),
                    phase: Phase::Waiting,
                    current: 0,
                    total: 0,
                    resumed_from: None,
                });
                self.layers.len() - 1
            }
        };
        &mut self.layers[i]
    }

    /// Folds one progress event in.
    pub fn apply(&mut self, p: Progress) {
        match p {
            Progress::Resolved { .. } => self.resolved = true,
            Progress::Waiting { id, total } => {
                let l = self.layer(&id);
                l.total = total;
            }
            Progress::AlreadyExists { id } => self.layer(&id).phase = Phase::Exists,
            Progress::Transferring { id, current, total } => {
                let l = self.layer(&id);
                l.phase = Phase::Moving;
                l.current = current;
                l.total = total;
            }
            Progress::Resumed { id, current, total } => {
                let l = self.layer(&id);
                l.phase = Phase::Moving;
                l.current = current;
                l.total = total;
                l.resumed_from = Some(current);
            }
            Progress::Extracting { id } => {
                let l = self.layer(&id);
                l.phase = Phase::Extracting;
                l.current = l.total;
            }
            Progress::Mounted { id, from } => self.layer(&id).phase = Phase::Mounted(from),
            Progress::Complete { id } => {
                let l = self.layer(&id);
                l.phase = Phase::Done;
                l.current = l.total;
            }
        }
    }

    /// Bytes moved and bytes to move, over the layers that move.
    pub fn totals(&self) -> (u64, u64) {
        self.layers
            .iter()
            .filter(|l| !matches!(l.phase, Phase::Exists | Phase::Mounted(_)))
            .fold((0, 0), |(c, t), l| (c + l.current, t + l.total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_fold_into_layer_rows() {
        let mut t = Transfer::new(TransferKind::Pull, "busybox");
        t.apply(Progress::Resolved {
            reference: "busybox:latest".into(),
        });
        t.apply(Progress::AlreadyExists { id: "aaa".into() });
        t.apply(Progress::Waiting {
            id: "bbb".into(),
            total: 100,
        });
        t.apply(Progress::Resumed {
            id: "bbb".into(),
            current: 40,
            total: 100,
        });
        t.apply(Progress::Transferring {
            id: "bbb".into(),
            current: 70,
            total: 100,
        });
        assert!(t.resolved);
        assert_eq!(t.layers.len(), 2);
        assert_eq!(t.layers[0].phase, Phase::Exists);
        assert_eq!(t.layers[1].phase, Phase::Moving);
        assert_eq!(t.layers[1].resumed_from, Some(40));
        assert_eq!(t.totals(), (70, 100));
        t.apply(Progress::Extracting { id: "bbb".into() });
        assert_eq!(t.layers[1].phase, Phase::Extracting);
        t.apply(Progress::Complete { id: "bbb".into() });
        assert_eq!(t.layers[1].phase, Phase::Done);
        assert_eq!(t.totals(), (100, 100));
    }
}
