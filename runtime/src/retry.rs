//! Retry policy: which failures are retried, how many times, and how long to wait in between.
//!
//! The decision itself (which outcome is retryable for which [`Safety`](super::Safety)) lives in the
//! client's send loop; this module holds the configuration, the backoff schedule and `Retry-After`.

use std::time::{Duration, SystemTime};

/// How the client retries failed attempts. The defaults suit background integrations; interactive
/// flows may prefer fewer attempts (see [`CallOptions::retry`](super::CallOptions::retry)).
///
/// What is retried:
/// - `429 Too Many Requests`, for every operation (the server processed nothing), after
///   `Retry-After` when the response has one (in seconds or as an HTTP date), else after the backoff.
///   A `Retry-After` longer than [`max_retry_after`](Self::max_retry_after) is not waited for: the
///   call fails with [`Error::RateLimited`](super::Error::RateLimited) at once.
/// - `5xx` (except 501 and 505), connection failures and per-attempt timeouts, only for
///   [`Safety::Safe`](super::Safety::Safe) operations, unless [`retry_unsafe`](Self::retry_unsafe) is set.
///   A write whose connection failed after sending fails with
///   [`Error::OutcomeUnknown`](super::Error::OutcomeUnknown) instead.
/// - Never: `408` ([`Error::RequestTooHeavy`](super::Error::RequestTooHeavy)), `409`
///   ([`Error::Conflict`](super::Error::Conflict)), other `4xx`, decoding errors, oversized bodies.
///
/// No retry starts after the call's overall timeout, and no wait runs past it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (`1` disables retries). Default 4.
    pub max_attempts: u32,
    /// The backoff before the first retry, doubled for each further retry. Default 500 ms.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts. Default 10 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits for. Default 60 s (the documented window is 30 s).
    pub max_retry_after: Duration,
    /// Also retry writes ([`Safety::Unsafe`](super::Safety::Unsafe)) after 5xx responses, connection
    /// failures and timeouts. Only for writes the API deduplicates. Default `false`.
    pub retry_unsafe: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            retry_unsafe: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: every call makes one attempt.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets [`max_attempts`](Self::max_attempts) (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets [`max_backoff`](Self::max_backoff).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets [`max_retry_after`](Self::max_retry_after).
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Sets [`retry_unsafe`](Self::retry_unsafe).
    pub fn retry_unsafe(mut self, retry: bool) -> Self {
        self.retry_unsafe = retry;
        self
    }

    /// The wait before retry number `retry` (1 for the first retry): exponential, capped, with
    /// "equal jitter" (between half and all of the exponential value), so that clients that failed
    /// together do not retry together.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        equal_jitter_backoff(self.initial_backoff, self.max_backoff, retry)
    }

    /// The wait the server asked for, plus up to 10% (at most 1 s) of jitter; `None` if it is longer
    /// than [`max_retry_after`](Self::max_retry_after).
    pub(crate) fn retry_after(&self, asked: Duration) -> Option<Duration> {
        if asked > self.max_retry_after {
            return None;
        }
        let spread = (asked / 10).min(Duration::from_secs(1));
        let jitter = fastrand::u64(0..=u64::try_from(spread.as_micros()).unwrap_or(u64::MAX));
        Some(asked.saturating_add(Duration::from_micros(jitter)))
    }
}

/// The wait before attempt `attempt` (1 for the first) of a series: `initial` doubled per attempt up to `max`,
/// with "equal jitter" (between half and all of it). Shared by retries and WebSocket reconnections.
pub(crate) fn equal_jitter_backoff(initial: Duration, max: Duration, attempt: u32) -> Duration {
    let exponent = attempt.saturating_sub(1).min(30);
    let half = initial.saturating_mul(1u32 << exponent).min(max) / 2;
    let jitter = fastrand::u64(0..=u64::try_from(half.as_micros()).unwrap_or(u64::MAX));
    half + Duration::from_micros(jitter)
}

/// `Retry-After` in seconds or as an HTTP date (a date in the past means "now").
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Whether a status is worth retrying for a safe operation (429 is handled separately).
pub(crate) fn is_transient_status(status: u16) -> bool {
    (500..600).contains(&status) && status != 501 && status != 505
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let wait = parse_retry_after(&later).unwrap();
        assert!(
            wait > Duration::from_secs(28) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_bounded_jitter() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(1000));
        for _ in 0..200 {
            for (retry, base) in [
                (1, 100),
                (2, 200),
                (3, 400),
                (4, 800),
                (5, 1000),
                (40, 1000),
            ] {
                let wait = policy.backoff(retry);
                let base = Duration::from_millis(base);
                assert!(
                    wait >= base / 2 && wait <= base,
                    "retry {retry}: {wait:?} not within {base:?}"
                );
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
        let wait = policy.retry_after(Duration::from_secs(2)).unwrap();
        assert!(wait >= Duration::from_secs(2) && wait <= Duration::from_millis(2200));
        assert_eq!(policy.retry_after(Duration::ZERO), Some(Duration::ZERO));
        assert_eq!(policy.retry_after(Duration::from_secs(6)), None);
        let unbounded = RetryPolicy::default().max_retry_after(Duration::MAX);
        assert!(unbounded.retry_after(Duration::MAX).is_some(), "saturates");
        let huge = RetryPolicy::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        assert!(huge.backoff(40) >= Duration::MAX / 2);
    }

    #[test]
    fn transient_statuses() {
        for status in [500, 502, 503, 504, 599] {
            assert!(is_transient_status(status), "{status}");
        }
        for status in [200, 400, 408, 409, 429, 501, 505] {
            assert!(!is_transient_status(status), "{status}");
        }
        assert_eq!(RetryPolicy::never().max_attempts, 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
    }
}
