//! The one parallel map of the pipeline, for its per-file work: loading, lowering and emitting.
//!
//! Spec sets are hundreds of similar-sized files, and each file is parsed, lowered and emitted
//! on its own, so a shared counter handing out items one by one balances the work well enough
//! without a thread-pool dependency.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How much one item costs, which decides whether threads are worth spawning.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Work {
    /// Parsing or lowering one spec file: below eight of them, spawning threads costs more
    /// than it saves (the real specs are a dozen small files).
    Light,
    /// Building and formatting one generated file, which takes far longer than a spawn.
    Heavy,
}

impl Work {
    fn min_parallel_items(self) -> usize {
        match self {
            Work::Light => 8,
            Work::Heavy => 2,
        }
    }
}

/// `items.iter().map(f).collect()`, run on up to `available_parallelism()` threads. The result
/// is in item order whatever the scheduling, so that output never depends on it.
pub(crate) fn map<T, R, F>(work: Work, items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 || items.len() < work.min_parallel_items() {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, f(item)));
        }
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        // The calling thread works too; a helper thread that cannot be spawned only means
        // fewer hands, since every item is taken from the shared counter.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut results = work();
        for helper in helpers {
            match helper.join() {
                Ok(done) => results.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    });
    results.sort_unstable_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// `(a(), b())`, with `b` on a helper thread when there is a second core.
pub(crate) fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: Fn() -> RB + Sync,
    RB: Send,
{
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        // A helper that cannot be spawned leaves `b` to the calling thread.
        let helper = if cores > 1 {
            std::thread::Builder::new().spawn_scoped(scope, &b).ok()
        } else {
            None
        };
        let ra = a();
        let rb = match helper {
            Some(helper) => match helper.join() {
                Ok(rb) => rb,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            None => b(),
        };
        (ra, rb)
    })
}

#[cfg(test)]
mod tests {
    use super::Work;

    #[test]
    fn keeps_item_order() {
        // Three items are below the light threshold and above the heavy one.
        for count in [3, 1000] {
            let items: Vec<usize> = (0..count).collect();
            for work in [Work::Light, Work::Heavy] {
                let doubled = super::map(work, &items, |i| i * 2);
                assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn joins_both_results() {
        let text = String::from("left");
        assert_eq!(
            super::join(|| text.len(), || text.clone()),
            (4, "left".to_owned())
        );
    }
}
