//! The error for a text that is not a well-formed document.

use crate::lines::{LineIndex, Position};

/// A well-formedness error with its position.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {message}")]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Byte offset in the decoded text.
    pub offset: usize,
    /// Line and column of the error.
    pub position: Position,
}

impl ParseError {
    pub(crate) fn in_text(text: &str, offset: usize, message: String, help: &str) -> ParseError {
        let position = LineIndex::new(text).position(text, offset);
        ParseError {
            message,
            help: (!help.is_empty()).then(|| help.to_string()),
            offset,
            position,
        }
    }

    pub(crate) fn at_start(message: &str, help: &str) -> ParseError {
        ParseError {
            message: message.to_string(),
            help: Some(help.to_string()),
            offset: 0,
            position: Position { line: 1, column: 1 },
        }
    }
}
