//! Element paths below a section, as the transactions take them: the grammar lives in
//! [`crate::grammar::path`]; this module keeps its established names and reports a path
//! that cannot be read as an [`EditError::Syntax`].

use super::EditError;

pub use crate::grammar::path::{display_steps, split_outside, Step};

/// Parses a path of steps. An empty text is the section itself (no steps).
pub fn parse_steps(text: &str) -> Result<Vec<Step>, EditError> {
    crate::grammar::path::parse_steps(text).map_err(|e| EditError::Syntax(e.to_string()))
}
