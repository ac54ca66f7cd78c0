//! iisconf — a toolkit for IIS configuration files (applicationHost.config and web.config).
//!
//! The library never prints and never exits; every error is typed and carries a position.

pub mod model;
pub mod runtime;
