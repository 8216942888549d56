//! Errors of the Dockerfile parser: the file, the line and what was expected.

use crate::engine::error::EngineError;

/// A malformed Dockerfile: shown as `Dockerfile:7: unknown instruction 'FORM'`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ParseError {
    /// The file name as the user gave it.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ParseError {
    /// A new error at `file:line`.
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl From<ParseError> for EngineError {
    fn from(e: ParseError) -> EngineError {
        EngineError::Invalid(e.to_string())
    }
}
