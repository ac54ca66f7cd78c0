//! When a list of sessions was taken: durations ("connected for", "idle for") count from
//! that moment, not from the moment they are shown.

use super::ftp_session::FtpSession;
use std::time::SystemTime;

/// How the capture time of a session list is known, from the most to the least direct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureOrigin {
    /// The server was asked just now.
    Live,
    /// The input says when it was taken (a snapshot's `capturedAt`).
    Input,
    /// The caller said when it was taken.
    Given,
    /// The modification time of the file holding the captured output.
    FileModified,
}

impl CaptureOrigin {
    /// A short phrase for people: where the capture time comes from.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Live => "now",
            Self::Input => "the capture time the input records",
            Self::Given => "the capture time given",
            Self::FileModified => "the file's modification time",
        }
    }
}

/// The moment a session list describes, and how it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureTime {
    /// The moment.
    pub at: SystemTime,
    /// Where it comes from.
    pub origin: CaptureOrigin,
}

impl CaptureTime {
    /// Live data, taken now.
    pub fn now() -> Self {
        Self {
            at: SystemTime::now(),
            origin: CaptureOrigin::Live,
        }
    }
}

/// Sessions together with the moment they describe.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionList {
    /// The sessions, in the provider's order.
    pub sessions: Vec<FtpSession>,
    /// When they were taken.
    pub captured: CaptureTime,
}
