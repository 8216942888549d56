//! Image history: the config's `history` entries, newest first, with each step's layer size.

use super::Image;
use crate::engine::Engine;
use crate::engine::error::Result;
use chrono::{DateTime, Utc};

/// One row of `history`.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    /// The image id for the top row; `None` (Docker's `<missing>`) for the steps below it.
    pub id: Option<String>,
    /// When the step ran.
    pub created: Option<DateTime<Utc>>,
    /// The instruction that created it.
    pub created_by: String,
    /// Size of the layer it created (0 for steps without one).
    pub size: u64,
    /// Its comment.
    pub comment: String,
    /// Whether it created no layer.
    pub empty_layer: bool,
}

impl HistoryRow {
    /// Where berth's builder made the step: its comment `Dockerfile:12` (the file's name
    /// and the instruction's line when the layer was built); `None` for other comments.
    pub fn source(&self) -> Option<&str> {
        let (file, line) = self.comment.rsplit_once(':')?;
        let numeric = !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit());
        (numeric && !file.is_empty() && !file.contains(char::is_whitespace))
            .then_some(&*self.comment)
    }
}

/// The history rows of `image`, newest first.
pub fn rows(image: &Image) -> Vec<HistoryRow> {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    let mut out = Vec::new();
    let mut layer = 0;
    match image.config.history() {
        Some(hist) if !hist.is_empty() => {
            for h in hist {
                let empty = h.empty_layer().unwrap_or(false);
                let size = if empty {
                    0
                } else {
                    layer += 1;
                    image.layer_sizes.get(layer - 1).copied().unwrap_or(0)
                };
                out.push(HistoryRow {
                    id: None,
                    created: parse(h.created()),
                    created_by: h.created_by().clone().unwrap_or_default(),
                    size,
                    comment: h.comment().clone().unwrap_or_default(),
                    empty_layer: empty,
                });
            }
        }
        _ => {
            // No history recorded: one row per layer.
            for size in &image.layer_sizes {
                out.push(HistoryRow {
                    id: None,
                    created: Some(image.created),
                    created_by: String::new(),
                    size: *size,
                    comment: String::new(),
                    empty_layer: false,
                });
            }
        }
    }
    out.reverse();
    if let Some(top) = out.first_mut() {
        top.id = Some(image.id.to_string());
    }
    out
}

impl Engine {
    /// The history of the image `name`, newest first.
    pub fn image_history(&self, name: &str) -> Result<Vec<HistoryRow>> {
        Ok(rows(&self.image(name)?))
    }
}
