//! iisconf — a toolkit for IIS configuration files (applicationHost.config and web.config).
//!
//! The crate is layered one way down:
//!
//! * [`xml`] — a lossless XML document: every token keeps its span in the source, printing
//!   an unedited document reproduces its bytes, and edits touch only their own tokens.
//!
//! The library never prints and never exits; every error is typed and carries a position.

pub mod xml;
