//! Client-side rate limiting: sliding windows per access token and per endpoint, one limiter per
//! `AccessToken` shared by every handle of that token, with cancellation-safe waiting for a slot.
//!
//! A request takes a slot in each window that applies to it when it is sent, and keeps it until one
//! window period after its attempt ended (response read, failure, timeout or cancellation). The
//! server counts arrivals, which happen between those two instants, so it never sees more requests
//! within any window than the limit allows, whatever the network latency.

use std::collections::{HashMap, VecDeque};
use std::pin::pin;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use super::environment::Environment;

/// One sliding window: at most `requests` requests within any `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateWindow {
    /// Requests allowed within one period (at least 1 is enforced).
    pub requests: u32,
    /// The length of the window.
    pub period: Duration,
}

impl RateWindow {
    /// `requests` per `period`.
    pub const fn new(requests: u32, period: Duration) -> Self {
        RateWindow { requests, period }
    }
}

/// The client-side request limits. Defaults come from [`RateLimits::documented`].
///
/// The server enforces its limits anyway (with `429 Too Many Requests`, which the client retries
/// after `Retry-After`); limiting on the client side keeps an integration from hitting them at all,
/// as the API's best practices ask.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimits {
    /// The window shared by every request of the client (the API counts requests per `AccessToken`).
    pub per_token: Option<RateWindow>,
    /// A window per endpoint (operation), in addition to the per-token window.
    pub per_endpoint: Option<RateWindow>,
    /// How many times the limits are raised for paginated operations (`OperationInfo::paginated`):
    /// a paginated request uses `1 / paginated_factor` of a slot. `1` treats every request alike.
    pub paginated_factor: u32,
}

impl RateLimits {
    /// The limits the API documents for `environment` (guidelines/environments.md, as of 2026-08):
    /// 200 requests per `AccessToken` within 30 seconds, as a sliding window, in both Demo and
    /// Production, with no per-endpoint limit and no exception for paginated requests. Custom
    /// environments (proxies, tests) get the production limits.
    pub fn documented(environment: &Environment) -> Self {
        match environment {
            Environment::Demo | Environment::Production | Environment::Custom(_) => RateLimits {
                per_token: Some(RateWindow::new(200, Duration::from_secs(30))),
                per_endpoint: None,
                paginated_factor: 1,
            },
        }
    }

    /// The limits of the API's earlier documentation: per `AccessToken` 500 (Demo) or 3000
    /// (Production) requests within 15 minutes, per endpoint 250 or 1500, and ten times as many
    /// for paginated requests. For integrations that want to stay within both generations of limits.
    pub fn legacy(environment: &Environment) -> Self {
        let fifteen_minutes = Duration::from_secs(15 * 60);
        let (per_token, per_endpoint) = match environment {
            Environment::Demo => (500, 250),
            Environment::Production | Environment::Custom(_) => (3000, 1500),
        };
        RateLimits {
            per_token: Some(RateWindow::new(per_token, fifteen_minutes)),
            per_endpoint: Some(RateWindow::new(per_endpoint, fifteen_minutes)),
            paginated_factor: 10,
        }
    }

    /// No client-side limiting (the server's `429` responses are still retried).
    pub fn disabled() -> Self {
        RateLimits {
            per_token: None,
            per_endpoint: None,
            paginated_factor: 1,
        }
    }

    /// Sets [`per_token`](Self::per_token).
    pub fn per_token(mut self, window: Option<RateWindow>) -> Self {
        self.per_token = window;
        self
    }

    /// Sets [`per_endpoint`](Self::per_endpoint).
    pub fn per_endpoint(mut self, window: Option<RateWindow>) -> Self {
        self.per_endpoint = window;
        self
    }

    /// Sets [`paginated_factor`](Self::paginated_factor) (at least 1).
    pub fn paginated_factor(mut self, factor: u32) -> Self {
        self.paginated_factor = factor.max(1);
        self
    }

    /// Whether no window is set.
    pub fn is_disabled(&self) -> bool {
        self.per_token.is_none() && self.per_endpoint.is_none()
    }
}

/// How much of the per-token window is in use, from [`Client::rate_limit_usage`](super::Client::rate_limit_usage).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitUsage {
    /// Requests that count against the per-token window now (in flight or ended within the period).
    pub in_window: usize,
    /// Requests holding a slot whose attempt has not ended.
    pub in_flight: usize,
}

/// `at + duration`, or a time decades away when that does not fit (`Duration::MAX` means "never").
pub(crate) fn after(at: Instant, duration: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(60 * 60 * 24 * 365 * 30);
    at.checked_add(duration)
        .unwrap_or_else(|| at.checked_add(FAR).unwrap_or(at))
}

/// A request's hold on a window: its cost, and when its attempt ended (`None` while in flight).
#[derive(Debug)]
struct Slot {
    id: u64,
    cost: u64,
    released: Option<Instant>,
}

/// The slots of one window.
#[derive(Debug, Default)]
struct Log {
    slots: VecDeque<Slot>,
}

impl Log {
    /// Forgets slots released a full period ago; returns the cost still held.
    fn prune(&mut self, now: Instant, period: Duration) -> u64 {
        self.slots
            .retain(|slot| slot.released.is_none_or(|at| after(at, period) > now));
        self.slots.iter().map(|slot| slot.cost).sum()
    }

    /// When `cost` more fits in `capacity`: `Ok(())` now, `Err(Some(t))` at `t` as released slots
    /// expire, `Err(None)` only after an in-flight request ends.
    fn fits(
        &mut self,
        now: Instant,
        window: RateWindow,
        capacity: u64,
        cost: u64,
    ) -> Result<(), Option<Instant>> {
        let used = self.prune(now, window.period);
        if used + cost <= capacity {
            return Ok(());
        }
        let mut expiries: Vec<(Instant, u64)> = self
            .slots
            .iter()
            .filter_map(|slot| {
                slot.released
                    .map(|at| (after(at, window.period), slot.cost))
            })
            .collect();
        expiries.sort_unstable_by_key(|(at, _)| *at);
        let mut freed = 0;
        for (at, slot_cost) in expiries {
            freed += slot_cost;
            if used - freed + cost <= capacity {
                return Err(Some(at));
            }
        }
        Err(None)
    }

    fn release(&mut self, id: u64, now: Instant) {
        if let Some(slot) = self.slots.iter_mut().find(|slot| slot.id == id) {
            slot.released = Some(now);
        }
    }
}

#[derive(Debug, Default)]
struct State {
    next_id: u64,
    token: Log,
    endpoints: HashMap<&'static str, Log>,
    paused_until: Option<Instant>,
}

/// The limiter of one `AccessToken`, shared by every handle of that token.
#[derive(Debug)]
pub(crate) struct Limiter {
    limits: RateLimits,
    state: Mutex<State>,
    released: Notify,
}

impl Limiter {
    /// A limiter, or `None` when `limits` has no window.
    pub(crate) fn new(limits: RateLimits) -> Option<Self> {
        (!limits.is_disabled()).then(|| Limiter {
            limits,
            state: Mutex::new(State::default()),
            released: Notify::new(),
        })
    }

    /// The state; a panic elsewhere cannot leave it inconsistent, so poisoning is ignored.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn cost_and_capacity(&self, window: RateWindow, paginated: bool) -> (u64, u64) {
        let factor = u64::from(self.limits.paginated_factor.max(1));
        let cost = if paginated { 1 } else { factor };
        (cost, u64::from(window.requests.max(1)) * factor)
    }

    /// Takes a slot now, or says when to look again (`None`: when a request ends).
    fn try_acquire(
        &self,
        endpoint: &'static str,
        paginated: bool,
        now: Instant,
    ) -> Result<u64, Option<Instant>> {
        let mut guard = self.state();
        let state = &mut *guard;
        if let Some(until) = state.paused_until {
            if until > now {
                return Err(Some(until));
            }
            state.paused_until = None;
        }
        let mut wait: Result<(), Option<Instant>> = Ok(());
        let mut merge = |result: Result<(), Option<Instant>>| {
            wait = match (wait, result) {
                (Ok(()), other) | (other, Ok(())) => other,
                (Err(None), _) | (_, Err(None)) => Err(None),
                (Err(Some(a)), Err(Some(b))) => Err(Some(a.max(b))),
            }
        };
        if let Some(window) = self.limits.per_token {
            let (cost, capacity) = self.cost_and_capacity(window, paginated);
            merge(state.token.fits(now, window, capacity, cost));
        }
        if let Some(window) = self.limits.per_endpoint {
            let (cost, capacity) = self.cost_and_capacity(window, paginated);
            let log = state.endpoints.entry(endpoint).or_default();
            merge(log.fits(now, window, capacity, cost));
        }
        wait?;
        state.next_id += 1;
        let id = state.next_id;
        if let Some(window) = self.limits.per_token {
            let (cost, _) = self.cost_and_capacity(window, paginated);
            state.token.slots.push_back(Slot {
                id,
                cost,
                released: None,
            });
        }
        if let Some(window) = self.limits.per_endpoint {
            let (cost, _) = self.cost_and_capacity(window, paginated);
            state
                .endpoints
                .entry(endpoint)
                .or_default()
                .slots
                .push_back(Slot {
                    id,
                    cost,
                    released: None,
                });
        }
        Ok(id)
    }

    /// Waits for a slot in every window that applies to `endpoint`.
    ///
    /// Cancellation-safe: nothing is reserved while waiting, and the slot is taken in the same
    /// poll that returns the permit. Dropping the permit ends the request's hold (see the module docs).
    pub(crate) async fn acquire(&self, endpoint: &'static str, paginated: bool) -> Permit<'_> {
        let mut announced = false;
        loop {
            // Registered before looking, so a release between the look and the wait is not missed.
            let mut released = pin!(self.released.notified());
            released.as_mut().enable();
            let wait = match self.try_acquire(endpoint, paginated, Instant::now()) {
                Ok(id) => {
                    return Permit {
                        limiter: self,
                        endpoint,
                        id,
                    };
                }
                Err(wait) => wait,
            };
            if !announced {
                tracing::debug!(
                    until = ?wait.map(|at| at.saturating_duration_since(Instant::now())),
                    "waiting for a rate-limit slot"
                );
                announced = true;
            }
            match wait {
                Some(at) => {
                    let sleep = pin!(tokio::time::sleep_until(at));
                    futures_util::future::select(sleep, released).await;
                }
                None => released.await,
            }
        }
    }

    /// Holds every new request back until `until` (after a `429` with `Retry-After`).
    pub(crate) fn pause_until(&self, until: Instant) {
        let mut state = self.state();
        if state.paused_until.is_none_or(|current| current < until) {
            state.paused_until = Some(until);
        }
    }

    fn release(&self, endpoint: &'static str, id: u64) {
        {
            let now = Instant::now();
            let mut state = self.state();
            state.token.release(id, now);
            if let Some(log) = state.endpoints.get_mut(endpoint) {
                log.release(id, now);
            }
        }
        self.released.notify_waiters();
    }

    /// Whether forgetting this limiter loses nothing: no slot counts any more and no pause is pending.
    pub(crate) fn is_idle(&self, now: Instant) -> bool {
        let mut state = self.state();
        if state.paused_until.is_some_and(|until| until > now) {
            return false;
        }
        let period = |window: Option<RateWindow>| window.map_or(Duration::ZERO, |w| w.period);
        let token_period = period(self.limits.per_token);
        let endpoint_period = period(self.limits.per_endpoint);
        state.token.prune(now, token_period);
        state.token.slots.is_empty()
            && state.endpoints.values_mut().all(|log| {
                log.prune(now, endpoint_period);
                log.slots.is_empty()
            })
    }

    pub(crate) fn usage(&self) -> RateLimitUsage {
        let now = Instant::now();
        let mut state = self.state();
        match self.limits.per_token {
            Some(window) => {
                state.token.prune(now, window.period);
                RateLimitUsage {
                    in_window: state.token.slots.len(),
                    in_flight: state
                        .token
                        .slots
                        .iter()
                        .filter(|slot| slot.released.is_none())
                        .count(),
                }
            }
            None => {
                let period = self
                    .limits
                    .per_endpoint
                    .map_or(Duration::ZERO, |w| w.period);
                let mut usage = RateLimitUsage::default();
                for log in state.endpoints.values_mut() {
                    log.prune(now, period);
                    usage.in_window += log.slots.len();
                    usage.in_flight += log.slots.iter().filter(|s| s.released.is_none()).count();
                }
                usage
            }
        }
    }
}

/// A request's slot; dropping it (however the attempt ended) starts the slot's final period.
#[derive(Debug)]
pub(crate) struct Permit<'a> {
    limiter: &'a Limiter,
    endpoint: &'static str,
    id: u64,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.limiter.release(self.endpoint, self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(limits: RateLimits) -> Limiter {
        Limiter::new(limits).unwrap()
    }

    #[test]
    fn documented_defaults_and_presets() {
        let demo = RateLimits::documented(&Environment::Demo);
        assert_eq!(
            demo.per_token,
            Some(RateWindow::new(200, Duration::from_secs(30)))
        );
        assert_eq!(demo.per_endpoint, None);
        assert_eq!(demo, RateLimits::documented(&Environment::Production));
        let legacy = RateLimits::legacy(&Environment::Demo);
        assert_eq!(legacy.per_token.unwrap().requests, 500);
        assert_eq!(legacy.per_endpoint.unwrap().requests, 250);
        assert_eq!(legacy.paginated_factor, 10);
        assert!(RateLimits::disabled().is_disabled());
        assert!(Limiter::new(RateLimits::disabled()).is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_window_waits_until_a_slot_expires() {
        let period = Duration::from_secs(30);
        let limiter = limiter(RateLimits::disabled().per_token(Some(RateWindow::new(2, period))));
        let start = Instant::now();
        drop(limiter.acquire("a", false).await);
        tokio::time::advance(Duration::from_secs(10)).await;
        drop(limiter.acquire("b", false).await);
        let third = limiter.acquire("a", false).await;
        assert_eq!(
            start.elapsed(),
            period,
            "the first slot expires one period after it was released"
        );
        assert_eq!(limiter.usage().in_window, 2);
        assert_eq!(limiter.usage().in_flight, 1);
        drop(third);
        assert_eq!(limiter.usage().in_flight, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn in_flight_requests_hold_their_slot_until_they_end() {
        let period = Duration::from_secs(1);
        let limiter = limiter(RateLimits::disabled().per_token(Some(RateWindow::new(1, period))));
        let held = limiter.acquire("a", false).await;
        let start = Instant::now();
        let waiter = async {
            let _permit = limiter.acquire("a", false).await;
            start.elapsed()
        };
        let releaser = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            drop(held);
        };
        let (waited, ()) = futures_util::future::join(waiter, releaser).await;
        assert_eq!(
            waited,
            Duration::from_secs(6),
            "released at 5 s, expired at 6 s"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn endpoint_windows_and_the_paginated_factor() {
        let period = Duration::from_secs(60);
        let limits = RateLimits::disabled()
            .per_token(Some(RateWindow::new(3, period)))
            .per_endpoint(Some(RateWindow::new(1, period)))
            .paginated_factor(10);
        let limiter = limiter(limits);
        let now = Instant::now();
        // One plain request fills the endpoint window of `a`...
        let id = limiter.try_acquire("a", false, now).unwrap();
        limiter.release("a", id);
        assert!(limiter.try_acquire("a", false, now).is_err());
        // ...but ten paginated requests fit in the window of `p`, and an eleventh does not.
        for _ in 0..10 {
            let id = limiter.try_acquire("p", true, now).unwrap();
            limiter.release("p", id);
        }
        assert_eq!(limiter.try_acquire("p", true, now), Err(Some(now + period)));
        // The token window (30 units) holds 10 + 10 units: one more plain request fits, then none.
        let id = limiter.try_acquire("b", false, now).unwrap();
        limiter.release("b", id);
        assert_eq!(limiter.try_acquire("c", true, now), Err(Some(now + period)));
    }

    #[tokio::test(start_paused = true)]
    async fn dropping_a_waiting_future_takes_no_slot() {
        let limiter = limiter(
            RateLimits::disabled().per_token(Some(RateWindow::new(1, Duration::from_secs(1)))),
        );
        let held = limiter.acquire("a", false).await;
        {
            let waiting = limiter.acquire("a", false);
            let result = tokio::time::timeout(Duration::from_millis(10), waiting).await;
            assert!(result.is_err(), "the window is full");
        }
        assert_eq!(
            limiter.usage().in_window,
            1,
            "the dropped waiter holds nothing"
        );
        drop(held);
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(limiter.usage().in_window, 0);
        drop(limiter.acquire("a", false).await);
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_every_request_back() {
        let limiter = limiter(RateLimits::documented(&Environment::Demo));
        let start = Instant::now();
        limiter.pause_until(start + Duration::from_secs(3));
        limiter.pause_until(start + Duration::from_secs(1));
        drop(limiter.acquire("a", false).await);
        assert_eq!(start.elapsed(), Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn huge_periods_mean_never_instead_of_overflowing() {
        let now = Instant::now();
        assert!(after(now, Duration::MAX) > now + Duration::from_secs(60 * 60 * 24 * 365));
        let limiter =
            limiter(RateLimits::disabled().per_token(Some(RateWindow::new(1, Duration::MAX))));
        drop(limiter.acquire("a", false).await);
        assert!(limiter.try_acquire("a", false, Instant::now()).is_err());
        assert_eq!(limiter.usage().in_window, 1);
    }
}
