//! The one cache of resolved effective states: per layer group (a section at a level), the
//! state at that level with the group's layers applied, which every level below it without
//! layers of its own shares. Shared by the threads that check a hierarchy, never locked
//! while a state is computed, and started over when it grows past [`STATES_LIMIT`] so
//! memory stays bounded on very large hierarchies.

use super::effective::EffectiveElement;
use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// How many effective states the cache keeps before it starts over.
const STATES_LIMIT: usize = 4096;

/// Effective states by layer group id (ids of the hierarchy's current layer index).
#[derive(Default)]
pub(super) struct StateCache(Mutex<HashMap<u32, Arc<EffectiveElement>>>);

impl StateCache {
    /// The state of `group`, if cached.
    pub fn get(&self, group: u32) -> Option<Arc<EffectiveElement>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&group)
            .cloned()
    }

    /// Keeps the state of `group`.
    pub fn insert(&self, group: u32, state: Arc<EffectiveElement>) {
        let evicted = {
            let mut states = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            let evicted = if states.len() >= STATES_LIMIT {
                std::mem::take(&mut *states)
            } else {
                HashMap::default()
            };
            states.insert(group, state);
            evicted
        };
        // Freed after the lock is released, so other threads are not held up.
        drop(evicted);
    }

    /// Drops every state (the layer index or the files changed).
    pub fn clear(&mut self) {
        self.0
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}
