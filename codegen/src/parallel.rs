//! Work spread over the machine's cores (at most 8 threads): each thread takes the heaviest item not yet taken,
//! and results come back in the order of the input, so that output does not depend on scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` applied to every item, heaviest first (by `weight`) on the available threads; results in input order.
/// `None` when a thread failed (a panic in `work`), which callers report as an internal error.
pub fn map<T, R>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    work: impl Fn(&T) -> R + Sync,
) -> Option<Vec<R>>
where
    T: Sync,
    R: Send,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(items.len().max(1));
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weight(&items[i])));
    let next = AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            done.push((index, work(&items[index])));
        }
        done
    };
    let batches: Vec<Option<Vec<(usize, R)>>> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(take)).collect();
        // This thread works too, rather than waiting.
        let mut batches = vec![Some(take())];
        batches.extend(helpers.into_iter().map(|h| h.join().ok()));
        batches
    });
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (index, result) in batches.into_iter().flatten().flatten() {
        results[index] = Some(result);
    }
    results.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_whatever_the_weights() {
        let items: Vec<usize> = (0..100).collect();
        let out = map(&items, |&n| n % 7, |&n| n * 2);
        assert_eq!(out, Some(items.iter().map(|n| n * 2).collect()));
    }

    #[test]
    fn nothing_in_nothing_out() {
        let items: Vec<u8> = Vec::new();
        assert_eq!(map(&items, |_| 0, |&n| n), Some(Vec::new()));
    }

    #[test]
    fn a_panicking_item_is_none_not_a_panic() {
        let items = [1, 2, 3];
        let out = std::panic::catch_unwind(|| {
            map(&items, |_| 0, |&n| if n == 2 { panic!("boom") } else { n })
        });
        // The panic stays in its thread (or, on one core, reaches here): either way no wrong result.
        assert!(matches!(out, Ok(None) | Err(_)));
    }
}
