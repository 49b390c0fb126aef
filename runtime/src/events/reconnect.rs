//! When the event stream reconnects after losing its connection: bounded exponential backoff with jitter.

use std::time::Duration;

/// How the event stream reconnects after losing its connection.
///
/// Before attempt *n* of an outage it waits between half and all of
/// `min(initial_backoff × 2^(n−1), max_backoff)` ("equal jitter", as the client's retries do), so that
/// clients dropped together do not come back together. After `max_attempts` failed attempts the stream
/// yields [`EventStreamError::GaveUp`](super::EventStreamError::GaveUp) and ends. The count starts again
/// after each successful reconnection.
///
/// Defaults: 20 attempts, 500 ms initial backoff, 30 s at most (an outage of about 8 minutes before
/// giving up).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconnectPolicy {
    max_attempts: Option<u32>,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        ReconnectPolicy {
            max_attempts: Some(20),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl ReconnectPolicy {
    /// Never reconnect: a lost connection ends the stream (after a `GaveUp` error with no attempt).
    pub fn never() -> Self {
        ReconnectPolicy::default().max_attempts(0)
    }

    /// At most this many attempts per outage.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Keep trying for as long as the stream is alive.
    pub fn unlimited(mut self) -> Self {
        self.max_attempts = None;
        self
    }

    /// The wait before the first attempt of an outage (before jitter).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between attempts (before jitter).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Whether attempt number `attempt` (1 for the first) may be made.
    pub(crate) fn allows(&self, attempt: u32) -> bool {
        self.max_attempts.is_none_or(|max| attempt <= max)
    }

    /// The wait before attempt number `attempt` (1 for the first of an outage).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        crate::retry::equal_jitter_backoff(self.initial_backoff, self.max_backoff, attempt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_bounded_jitter() {
        let policy = ReconnectPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1));
        for (attempt, ceiling) in [
            (1, 100),
            (2, 200),
            (3, 400),
            (4, 800),
            (5, 1000),
            (60, 1000),
        ] {
            let ceiling = Duration::from_millis(ceiling);
            for _ in 0..20 {
                let wait = policy.backoff(attempt);
                assert!(
                    wait >= ceiling / 2 && wait <= ceiling,
                    "{attempt}: {wait:?}"
                );
            }
        }
        let huge = ReconnectPolicy::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        assert!(huge.backoff(40) >= Duration::MAX / 2);
    }

    #[test]
    fn attempts_are_bounded_unless_unlimited() {
        let policy = ReconnectPolicy::default().max_attempts(2);
        assert!(policy.allows(1) && policy.allows(2) && !policy.allows(3));
        assert!(!ReconnectPolicy::never().allows(1));
        assert!(ReconnectPolicy::never().unlimited().allows(u32::MAX));
        assert!(ReconnectPolicy::default().allows(20) && !ReconnectPolicy::default().allows(21));
    }
}
