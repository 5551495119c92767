//! An ordered parallel map: items are checked on every worker of the pool,
//! and each result is handed on in item order by whichever worker can.
//!
//! The run used to check a window of inputs in parallel, then hand the
//! window's results on while the pool sat idle, and wait at the end of each
//! window for its slowest input: the two cores were busy 1.73 of the time.
//! Here each worker takes the next few items as soon as it is free. A
//! worker waits when it is `ahead` items past the first result not yet
//! handed on, so what is held stays bounded whatever the number of items.
//!
//! The results used to go to the calling thread, which handed them on:
//! on a virtual machine each of its wake-ups (an interrupt between the
//! cores and a switch of threads on a busy core) cost far more than its
//! share of the samples said. Now the worker that finishes a batch puts
//! its results with the others and, unless another worker is at it, hands
//! on those that are next in order itself: 652 context switches → 49 on
//! 10,000 files and two threads, CPU time 1.69 → 1.65 s.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

/// Run `work` over the items `next` yields, on `threads` workers of `pool`
/// (rayon's global pool when `None`), and call `sink` with each result in
/// the order of the items (on the workers, one at a time). `next` is
/// called by one worker at a time.
/// `left(i)`: how many items `next` has left after the first `i`, at most
/// or as estimated, when that is known (it sizes the batches the workers
/// take, see [`take_size`]); it is asked just before `next`. A panic in
/// `work` stops the run and is raised again here.
pub fn ordered<I, O>(
    pool: Option<&rayon::ThreadPool>,
    threads: usize,
    ahead: usize,
    left: &(dyn Fn(usize) -> Option<usize> + Sync),
    next: &mut (dyn FnMut() -> Option<I> + Send),
    work: &(dyn Fn(I) -> O + Sync),
    sink: &mut (dyn FnMut(O) + Send),
) where
    I: Send,
    O: Send,
{
    let threads = threads.max(1);
    let ahead = ahead.max(1);
    // (index of the next item, the producer)
    let source = Mutex::new((0usize, next));
    // results handed on so far (`usize::MAX` once the run is stopping), and
    // how many workers wait for that to move: the sink wakes them only
    // then, not with a system call per result
    let handed = Mutex::new(Handed::default());
    let moved = Condvar::new();
    let panicked: Mutex<Option<Payload>> = Mutex::new(None);
    // results done and not yet handed on, by index, and the index of the
    // next one to hand on
    let pending: Mutex<Pending<O>> = Mutex::new(Pending {
        done: BTreeMap::new(),
        want: 0,
    });
    let sink = Mutex::new(sink);
    let stopped = AtomicBool::new(false);

    // Stop the run: no worker takes another item, waiting ones wake up, and
    // nothing more is handed on. A panic is kept to be raised again when
    // the run has ended.
    let stop = |payload: Payload| {
        panicked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(payload);
        stopped.store(true, Ordering::Relaxed);
        handed.lock().unwrap_or_else(|e| e.into_inner()).count = usize::MAX;
        moved.notify_all();
    };

    // Hand on the results that are next in order, unless another worker is
    // doing so: that one hands these on too. A worker puts its results in
    // `pending` before it tries, and the one handing on looks at `pending`
    // again after it lets go of the sink, so no result is left behind.
    let hand_on = || loop {
        let Ok(mut sink) = sink.try_lock() else {
            return;
        };
        loop {
            let (ready, want) = {
                let mut p = pending.lock().unwrap_or_else(|e| e.into_inner());
                let Pending { done, want } = &mut *p;
                let mut ready = Vec::new();
                while let Some(e) = done.first_entry() {
                    if *e.key() != *want {
                        break;
                    }
                    ready.push(e.remove());
                    *want += 1;
                }
                (ready, *want)
            };
            if ready.is_empty() || stopped.load(Ordering::Relaxed) {
                break;
            }
            for out in ready {
                if let Err(payload) = catch_unwind(AssertUnwindSafe(|| (*sink)(out))) {
                    return stop(payload);
                }
            }
            let mut h = handed.lock().unwrap_or_else(|e| e.into_inner());
            if h.count != usize::MAX {
                h.count = want;
            }
            if h.waiting > 0 {
                moved.notify_all();
            }
        }
        drop(sink);
        let p = pending.lock().unwrap_or_else(|e| e.into_inner());
        if !p.done.contains_key(&p.want) {
            return;
        }
    };

    let run = || {
        rayon::scope(|s| {
            for _ in 0..threads {
                let (source, handed, moved, stop, hand_on) =
                    (&source, &handed, &moved, &stop, &hand_on);
                let pending = &pending;
                s.spawn(move |_| loop {
                    // a panic in the producer stops the run like one in
                    // `work`, rather than leave the others waiting for an
                    // item that never comes
                    let taken = catch_unwind(AssertUnwindSafe(|| {
                        take(source, handed, moved, ahead, left, threads)
                    }));
                    let items = match taken {
                        Ok(items) => items,
                        Err(payload) => return stop(payload),
                    };
                    if items.is_empty() {
                        return;
                    }
                    let mut done = Vec::with_capacity(items.len());
                    for (i, item) in items {
                        match catch_unwind(AssertUnwindSafe(|| work(item))) {
                            Ok(out) => done.push((i, out)),
                            Err(payload) => return stop(payload),
                        }
                    }
                    pending
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .done
                        .extend(done);
                    hand_on();
                });
            }
        });
    };
    match pool {
        Some(p) => p.install(run),
        None => run(),
    }
    if let Some(payload) = panicked.into_inner().unwrap_or_else(|e| e.into_inner()) {
        resume_unwind(payload);
    }
}

/// Results done and not yet handed on.
struct Pending<O> {
    done: BTreeMap<usize, O>,
    /// The index of the next result to hand on.
    want: usize,
}

/// What a panic carries.
type Payload = Box<dyn std::any::Any + Send>;

/// Items a worker takes at once when the number of items left is not
/// known (before a streamed file's first element).
const TAKE: usize = 16;

/// The most items a worker takes at once. Each batch costs locks (the
/// producer's, the results', the sink's) and, when results went to the
/// calling thread, a wake-up of it: with that design, batches of 64 files
/// rather than 16 took a run over 10,000 files on two threads from 1,825
/// context switches to 511 and from 1.83 to 1.75 s of CPU time (128 or
/// 256 gained nothing more). With the results handed on by the workers,
/// 64 against 16 is 1.66 against 1.68 s.
pub const MAX_TAKE: usize = 64;

/// How many items a worker takes when `left` are left, if known: a share
/// of them (a quarter of each worker's share), from 1 to [`MAX_TAKE`].
/// Large batches while many items are left, smaller ones towards the end,
/// so that the last batches still spread over the workers (the "guided"
/// schedule): a run of 100 files on two threads takes 12, 11, 9, ...
/// items, not 64 and 36.
fn take_size(left: Option<usize>, threads: usize) -> usize {
    match left {
        None => TAKE,
        Some(n) => (n / (4 * threads.max(1))).clamp(1, MAX_TAKE),
    }
}

/// The next items for a worker, with their indices: up to [`take_size`],
/// as many as the look-ahead allows (waiting for the sink when it allows
/// none). Empty when the items are exhausted or the run is stopping.
fn take<I>(
    source: &Mutex<(usize, &mut (dyn FnMut() -> Option<I> + Send))>,
    handed: &Mutex<Handed>,
    moved: &Condvar,
    ahead: usize,
    left: &(dyn Fn(usize) -> Option<usize> + Sync),
    threads: usize,
) -> Vec<(usize, I)> {
    let mut src = source.lock().unwrap_or_else(|e| e.into_inner());
    let size = take_size(left(src.0), threads);
    let mut items = Vec::with_capacity(size);
    while items.len() < size {
        let i = src.0;
        {
            let mut h = handed.lock().unwrap_or_else(|e| e.into_inner());
            while h.count != usize::MAX && i >= h.count + ahead {
                if !items.is_empty() {
                    // do what is taken rather than wait
                    return items;
                }
                h.waiting += 1;
                h = moved.wait(h).unwrap_or_else(|e| e.into_inner());
                h.waiting -= 1;
            }
            if h.count == usize::MAX {
                return Vec::new();
            }
        }
        match (src.1)() {
            Some(item) => {
                src.0 += 1;
                items.push((i, item));
            }
            None => break,
        }
    }
    items
}

/// How far the sink has got, and who waits for it.
#[derive(Default)]
struct Handed {
    count: usize,
    waiting: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squares(threads: usize, ahead: usize, n: usize, count: Option<usize>) -> Vec<usize> {
        let left = |i: usize| count.map(|c| c.saturating_sub(i));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut k = 0;
        let mut next = || {
            k += 1;
            (k <= n).then_some(k)
        };
        let mut got = Vec::new();
        ordered(
            Some(&pool),
            threads,
            ahead,
            &left,
            &mut next,
            &|x: usize| {
                // uneven work, so that results arrive out of order
                if x.is_multiple_of(7) {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                x * x
            },
            &mut |y| got.push(y),
        );
        got
    }

    #[test]
    fn results_come_in_item_order_whatever_the_threads() {
        let want: Vec<usize> = (1..=300).map(|x| x * x).collect();
        for (threads, ahead) in [(1, 1), (2, 1), (4, 3), (8, 64), (2, 160)] {
            // the count unknown, exact, or more than `next` yields
            for count in [None, Some(300), Some(1000)] {
                assert_eq!(
                    squares(threads, ahead, 300, count),
                    want,
                    "{threads} threads, count {count:?}"
                );
            }
        }
        assert!(squares(3, 2, 0, None).is_empty());
        assert!(squares(3, 2, 0, Some(0)).is_empty());
    }

    /// Batches shrink towards the end of a run whose length is known, so
    /// the workers finish together: never more than `MAX_TAKE`, never
    /// fewer than one, never larger than the one before.
    #[test]
    fn batches_shrink_towards_the_end() {
        for threads in [1, 2, 8] {
            for n in [0, 1, 7, 100, 10_000] {
                let mut i = 0;
                let mut last = MAX_TAKE;
                let mut batches = Vec::new();
                while i < n {
                    let size = take_size(Some(n - i), threads);
                    assert!((1..=last).contains(&size), "{threads} threads, {n} items");
                    last = size;
                    batches.push(size);
                    i += size;
                }
                // the last batches are small: the final quarter of a
                // worker's share or less
                if n >= 100 {
                    assert_eq!(*batches.last().unwrap(), 1, "{batches:?}");
                    assert!(batches[0] <= n.div_ceil(4 * threads), "{batches:?}");
                }
            }
        }
        assert_eq!(take_size(None, 2), TAKE);
        assert_eq!(take_size(Some(10_000), 2), MAX_TAKE);
        assert_eq!(take_size(Some(100), 2), 12);
        assert_eq!(take_size(Some(0), 2), 1);
    }

    /// Run 1..=1000 through `ordered` on two threads, panicking in the
    /// producer at item `in_next`, in the work at item `in_work` or in the
    /// sink at item `in_sink`; the results handed on before.
    fn panicking(
        in_next: usize,
        in_work: usize,
        in_sink: usize,
    ) -> (std::thread::Result<()>, Vec<usize>) {
        let mut got = Vec::new();
        let run = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .unwrap();
            let mut k = 0;
            let mut next = || {
                k += 1;
                assert!(k != in_next, "item {k} in the producer");
                (k <= 1000).then_some(k)
            };
            let work = |x: usize| {
                assert!(x != in_work, "item {x} in the work");
                x
            };
            let left = |i: usize| Some(1000 - i);
            ordered(Some(&pool), 2, 4, &left, &mut next, &work, &mut |x| {
                assert!(x != in_sink, "item {x} in the sink");
                got.push(x);
            });
        }));
        (run, got)
    }

    #[test]
    fn a_panic_is_raised_again_not_a_hang() {
        assert!(panicking(50, 0, 0).0.is_err(), "in the producer");
        assert!(panicking(0, 10, 0).0.is_err(), "in the work");
        // the sink runs on the workers: its panic is raised here, and
        // nothing after the item that panicked is handed on
        let (run, got) = panicking(0, 0, 300);
        assert!(run.is_err(), "in the sink");
        assert_eq!(got, (1..300).collect::<Vec<_>>());
        let (run, got) = panicking(0, 0, 0);
        assert!(run.is_ok());
        assert_eq!(got, (1..=1000).collect::<Vec<_>>());
    }
}
