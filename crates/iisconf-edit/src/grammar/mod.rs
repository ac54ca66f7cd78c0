//! The text grammars edits are written in, for every front end (the CLI, an editor
//! integration, a build tool): each parses into typed values and reports a typed error
//! with the position of the problem in the argument.
//!
//! * [`path`] — element paths below a section (`files.[value='a.htm']`).
//! * [`change`] — one change per argument (`session.max=1000`, `+files[value='a.htm']`).
//! * [`chars`] — the characters an argument may hold (what XML can hold).
//! * [`appcmd`] — appcmd's command line: the CONFIG verbs and the object verbs.
//! * [`names`] — section, element and attribute names in any case, short section names.
//! * [`url`] — `http://host[:port]/path/` config paths.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod appcmd;
pub mod change;
pub mod chars;
pub mod names;
pub mod path;
pub mod url;

pub use appcmd::{
    AppcmdCommand, AppcmdError, HostFlag, HostFlags, Object, Output, Param, SetParamError, Verb,
};
pub use change::{
    clear_change, delete_change, entry_change, parse_change, set_change, ChangeError, EntryPosition,
};
pub use chars::{check_xml_chars, InvalidCharacter};
pub use names::{canonical_change, resolve_section_name};
pub use path::{display_steps, parse_steps, split_outside, PathError, PathProblem, Step};
