//! The one way the workspace runs work in parallel: on rayon's global pool, with results in
//! the order of the input whatever order the work finishes in.
//!
//! The parser, the engine and the linter all go through these functions, so there is one
//! pool for the whole process; work started from inside it (a file's sections checked while
//! files are linted in parallel) joins that pool instead of starting threads of its own.

use rayon::prelude::*;

/// How many threads the pool has.
pub fn threads() -> usize {
    rayon::current_num_threads()
}

/// `work` applied to consecutive chunks of `items`, the results concatenated in order.
///
/// Lists shorter than `serial_below` are done on the calling thread in one call (sharing them
/// would cost more than it saves); longer ones are cut into a few chunks per thread of the
/// pool, each at least `serial_below / 2` items long.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    serial_below: usize,
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    // The length first: asking the pool its size starts it.
    if items.len() < serial_below.max(2) {
        return work(items);
    }
    let threads = rayon::current_num_threads();
    if threads < 2 {
        return work(items);
    }
    let size = items
        .len()
        .div_ceil(threads * 4)
        .max(serial_below / 2)
        .max(1);
    let parts: Vec<Vec<R>> = items.par_chunks(size).with_max_len(1).map(&work).collect();
    concat(parts)
}

/// Like [`map_chunks`] with chunks of exactly `chunk_len` items, each worker keeping a state
/// made by `init` across the chunks it takes (e.g. a cache): `work` gets the state and one
/// chunk. The results are concatenated in order.
pub fn map_chunks_with<T: Sync, S, R: Send>(
    items: &[T],
    chunk_len: usize,
    init: impl Fn() -> S + Sync + Send,
    work: impl Fn(&mut S, &[T]) -> Vec<R> + Sync + Send,
) -> Vec<R> {
    let chunk_len = chunk_len.max(1);
    if items.len() <= chunk_len || rayon::current_num_threads() < 2 {
        return work(&mut init(), items);
    }
    let parts: Vec<Vec<R>> = items
        .par_chunks(chunk_len)
        .with_max_len(STATE_CHUNKS)
        .map_init(init, |state, chunk| work(state, chunk))
        .collect();
    concat(parts)
}

/// How many chunks of [`map_chunks_with`] one piece of work holds at most: a state is made
/// per piece, and a thread that runs out of work can take a piece of another's at most this
/// long (rayon cuts a list into few pieces of its own, and the last can keep one thread busy
/// while the others wait).
const STATE_CHUNKS: usize = 8;

/// `work` applied to each item, the results in the order of `items`.
pub fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < 2 || rayon::current_num_threads() < 2 {
        return items.iter().map(work).collect();
    }
    items.par_iter().with_max_len(1).map(work).collect()
}

/// Runs `a` and `b`, at the same time when a thread of the pool is free.
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
}

/// Like [`join`] when `worth_it`, else `a` then `b` on the calling thread: for small work,
/// starting the pool's threads (the first parallel work of a process does) or handing the
/// work to them costs more than it saves.
pub fn join_if<A: Send, B: Send>(
    worth_it: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if worth_it {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}

/// Frees `value` on the pool without waiting: the caller goes on while a large structure's
/// memory goes back, and a process that exits first leaves that to the system. For small
/// values dropping in place costs less.
pub fn drop_later<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// Runs `work` with the parallel work inside it done by `threads` threads: the process's
/// pool (one thread per CPU) for 0 or when it has that many, else a pool of that size made
/// for the call (work inside it then uses that pool alone).
pub fn with_threads<R: Send>(threads: usize, work: impl FnOnce() -> R + Send) -> R {
    if threads == 0 || threads == rayon::current_num_threads() {
        return work();
    }
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(work),
        // No thread could be started: the calling thread does it all.
        Err(_) => work(),
    }
}

/// The parts one after the other, moved into one vector sized once.
fn concat<R>(parts: Vec<Vec<R>>) -> Vec<R> {
    let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for mut part in parts {
        out.append(&mut part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_input() {
        let items: Vec<u32> = (0..10_000).collect();
        let doubled: Vec<u32> = items.iter().map(|i| i * 2).collect();
        let chunked = map_chunks(&items, 64, |chunk| chunk.iter().map(|i| i * 2).collect());
        assert_eq!(chunked, doubled);
        let with = map_chunks_with(
            &items,
            64,
            || 2,
            |k, chunk| chunk.iter().map(|i| i * *k).collect(),
        );
        assert_eq!(with, doubled);
        assert_eq!(map(&items, |i| i * 2), doubled);
        let on_one = with_threads(1, || {
            map_chunks(&items, 64, |chunk| chunk.iter().map(|i| i * 2).collect())
        });
        assert_eq!(on_one, doubled);
        assert_eq!(join_if(false, || 1, || 2), (1, 2));
        assert_eq!(join_if(true, || 1, || 2), (1, 2));
    }

    #[test]
    fn short_lists_and_empty_ones_are_done_in_one_call() {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let out = map_chunks(&[1, 2, 3], 8192, |chunk| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            chunk.to_vec()
        });
        assert_eq!(out, vec![1, 2, 3]);
        assert_eq!(calls.into_inner(), 1);
        let empty: Vec<u8> = map_chunks_with(&[] as &[u8], 4, || (), |(), c| c.to_vec());
        assert!(empty.is_empty());
    }
}
