//! Huge pages for large files only: a process policy the `iisconf` binary turns on.
//!
//! Linux backs memory with 4 KiB pages, or with 2 MiB transparent huge pages where the
//! allocator asks for them. A lint of a 100 MB file touches about 250 MB: in small pages that
//! is some 60,000 page faults, a quarter of its CPU time; in huge pages a few hundred. A
//! small file's run is the other way round: the first touch of a huge page zeroes 2 MiB,
//! which costs more time and memory than the whole run needs.
//!
//! So with [`huge_pages_for_large_files`] the process runs on small pages, and
//! [`crate::Document::load`] allows huge pages while it reads and parses a file of
//! [`LARGE_FILE`] bytes or more: the text and the tree, most of a large lint's memory, are
//! made in those moments. Where the policy is off (the default, and on systems other than
//! Linux) nothing here changes anything.

use std::sync::Mutex;

/// From which size a file is read and parsed with huge pages allowed.
pub const LARGE_FILE: u64 = 8 << 20;

/// The policy and the large files being loaded: huge pages are allowed while any is.
#[derive(Debug, Default)]
struct Loads {
    /// Whether [`huge_pages_for_large_files`] turned the policy on.
    policy: bool,
    /// How many large files are being loaded.
    active: usize,
}

/// What a change of [`Loads`] asks of the system: allow huge pages (`true`) or stop (`false`).
type Switch = Option<bool>;

impl Loads {
    /// A large file starts loading.
    fn enter(&mut self) -> Switch {
        self.active += 1;
        (self.policy && self.active == 1).then_some(true)
    }

    /// A large file is loaded.
    fn leave(&mut self) -> Switch {
        self.active = self.active.saturating_sub(1);
        (self.policy && self.active == 0).then_some(false)
    }
}

static LOADS: Mutex<Loads> = Mutex::new(Loads {
    policy: false,
    active: 0,
});

/// The loads, whatever a panic elsewhere left them as (two counters stay consistent).
fn loads() -> std::sync::MutexGuard<'static, Loads> {
    LOADS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Allows transparent huge pages for the process (`true`) or not; whether the system took it.
#[cfg(target_os = "linux")]
fn allow(huge: bool) -> bool {
    rustix::thread::disable_transparent_huge_pages(!huge).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn allow(_huge: bool) -> bool {
    false
}

/// Turns the policy on: from now on the process runs on small pages, except while a file
/// of [`LARGE_FILE`] bytes or more is loaded. Returns whether the system supports it (on
/// Linux it does).
pub fn huge_pages_for_large_files() -> bool {
    let mut loads = loads();
    let huge_now = loads.active > 0;
    loads.policy = allow(huge_now);
    loads.policy
}

/// Runs `load` (reading and parsing a file of `len` bytes) with huge pages allowed when the
/// file is large and the policy is on. [`crate::Document::load`] goes through it; a caller
/// that reads and parses in steps of its own can too.
pub fn loading<R>(len: u64, load: impl FnOnce() -> R) -> R {
    if len < LARGE_FILE {
        return load();
    }
    /// Ends the load, also when `load` panics.
    struct Loading;
    impl Drop for Loading {
        fn drop(&mut self) {
            let mut loads = loads();
            if let Some(huge) = loads.leave() {
                allow(huge);
            }
        }
    }
    {
        let mut loads = loads();
        if let Some(huge) = loads.enter() {
            allow(huge);
        }
    }
    let _loading = Loading;
    load()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_pages_are_allowed_from_the_first_load_to_the_end_of_the_last() {
        let mut loads = Loads {
            policy: true,
            active: 0,
        };
        assert_eq!(loads.enter(), Some(true));
        assert_eq!(loads.enter(), None);
        assert_eq!(loads.leave(), None);
        assert_eq!(loads.leave(), Some(false));
        assert_eq!(loads.enter(), Some(true));
        assert_eq!(loads.leave(), Some(false));
    }

    #[test]
    fn without_the_policy_nothing_changes() {
        let mut loads = Loads::default();
        assert_eq!(loads.enter(), None);
        assert_eq!(loads.enter(), None);
        assert_eq!(loads.leave(), None);
        assert_eq!(loads.leave(), None);
        assert_eq!(loads.leave(), None);
        assert_eq!(loads.active, 0);
    }
}
