//! Typed views of configuration sections, read from the engine's effective configuration.
//!
//! - [`AspSession`]: `system.webServer/asp/session`, the ASP session-state settings.

mod asp_session;

pub use asp_session::{AspSession, TIMEOUT_VALIDATION};
