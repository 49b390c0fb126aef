//! The client: environment, credentials and HTTP settings, built once and cloned freely; sends
//! operations with retries, timeouts, rate limiting, a body-size cap and tracing.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;
use tracing::field::Empty;
use tracing::{Instrument, Level};

use super::environment::Environment;
use super::error::{ApiError, Error, Result};
use super::hook::{AttemptEnd, AttemptRequest, AttemptResponse, Hook, Hooks};
use super::limit::{Limiter, RateLimitUsage, RateLimits, after};
use super::operation::{Operation, OperationInfo, Safety};
use super::retry::{RetryPolicy, is_transient_status, parse_retry_after};
use super::secret::{AccessToken, ClientToken, REDACTED, Secrets};

/// Per-call choices that differ from the client's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// Send even if the request breaks the documented contracts.
    pub skip_validation: bool,
    /// Retry this call after 5xx responses, connection failures and timeouts even if it is a write
    /// (see [`RetryPolicy::retry_unsafe`]).
    pub retry_unsafe: bool,
    /// The retry policy for this call instead of the client's.
    pub retry: Option<RetryPolicy>,
    /// The overall timeout for this call (all attempts and waits) instead of the client's.
    pub timeout: Option<Duration>,
}

impl CallOptions {
    /// The client's defaults.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Sets [`skip_validation`](Self::skip_validation).
    pub fn skip_validation(mut self) -> Self {
        self.skip_validation = true;
        self
    }

    /// Sets [`retry_unsafe`](Self::retry_unsafe).
    pub fn retry_unsafe(mut self) -> Self {
        self.retry_unsafe = true;
        self
    }

    /// Sets [`retry`](Self::retry) (for example [`RetryPolicy::never`] to fail fast).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets [`timeout`](Self::timeout).
    pub fn timeout(mut self, overall: Duration) -> Self {
        self.timeout = Some(overall);
        self
    }
}

/// Default connect timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default timeout of one attempt.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Default overall timeout of a call.
const OVERALL_TIMEOUT: Duration = Duration::from_secs(120);
/// How long an idle connection stays in the pool.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default largest response body.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Bodies traced at `TRACE` level are cut to this many bytes.
const MAX_TRACED_BODY: usize = 16 * 1024;

/// Builds a [`Client`] (one `AccessToken`, [`ClientBuilder::new`]) or a [`ClientPool`] (many,
/// [`ClientBuilder::multi_property`]). Every setting has a default; see the crate's `RUNTIME.md` for the table.
#[derive(Clone)]
pub struct ClientBuilder {
    environment: Environment,
    client_token: ClientToken,
    access_token: Option<AccessToken>,
    client_name: String,
    language: Option<(String, String)>,
    connect_timeout: Duration,
    request_timeout: Duration,
    overall_timeout: Duration,
    max_body_bytes: usize,
    retry: RetryPolicy,
    rate_limits: Option<RateLimits>,
    http: Option<reqwest::Client>,
    hooks: Hooks,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("client_token", &self.client_token)
            .field("access_token", &self.access_token)
            .field("client_name", &self.client_name)
            .field("language", &self.language)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("overall_timeout", &self.overall_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("retry", &self.retry)
            .field("rate_limits", &self.rate_limits)
            .field("http_client", &self.http.as_ref().map(|_| "user-supplied"))
            .field("hooks", &self.hooks)
            .finish()
    }
}

impl ClientBuilder {
    /// A client for one `AccessToken`. `client_name` is sent as `Client`: the name and version of your
    /// application (`MyApp 1.0.0`).
    pub fn new(
        environment: Environment,
        client_token: impl Into<ClientToken>,
        access_token: impl Into<AccessToken>,
        client_name: impl Into<String>,
    ) -> Self {
        let mut builder = ClientBuilder::multi_property(environment, client_token, client_name);
        builder.access_token = Some(access_token.into());
        builder
    }

    /// A client for many `AccessToken`s (properties, portfolios): build it with [`build_pool`](Self::build_pool),
    /// then get a handle per token with [`ClientPool::for_enterprise`]. Handles share the connection pool,
    /// the retry policy, the timeouts and the hooks; each `AccessToken` has its own rate limiter.
    pub fn multi_property(
        environment: Environment,
        client_token: impl Into<ClientToken>,
        client_name: impl Into<String>,
    ) -> Self {
        ClientBuilder {
            environment,
            client_token: client_token.into(),
            access_token: None,
            client_name: client_name.into(),
            language: None,
            connect_timeout: CONNECT_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
            overall_timeout: OVERALL_TIMEOUT,
            max_body_bytes: MAX_BODY_BYTES,
            retry: RetryPolicy::default(),
            rate_limits: None,
            http: None,
            hooks: Hooks::default(),
        }
    }

    /// Sends `LanguageCode` and `CultureCode` (the API uses them only when both are given).
    pub fn language(
        mut self,
        language_code: impl Into<String>,
        culture_code: impl Into<String>,
    ) -> Self {
        self.language = Some((language_code.into(), culture_code.into()));
        self
    }

    /// Time allowed to open a connection (TCP and TLS). Default 10 s. Nothing has been sent when it
    /// runs out, so the failure is an [`Error::Transport`]. Not applied to a client given with
    /// [`http_client`](Self::http_client), which has its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from waiting for a connection to the end of the body.
    /// Default 60 s.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Time allowed for a whole call: rate-limit waits, every attempt and the waits between them.
    /// Default 120 s. Per call: [`CallOptions::timeout`].
    pub fn timeout(mut self, overall: Duration) -> Self {
        self.overall_timeout = overall;
        self
    }

    /// Largest response body read; larger bodies fail with [`Error::BodyTooLarge`] without being
    /// read to the end. Default 64 MiB.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// The retry policy. Default [`RetryPolicy::default`]. Per call: [`CallOptions::retry`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Retries writes too after 5xx responses, connection failures and timeouts (see
    /// [`RetryPolicy::retry_unsafe`]). Per call: [`CallOptions::retry_unsafe`].
    pub fn retry_unsafe(mut self, retry: bool) -> Self {
        self.retry.retry_unsafe = retry;
        self
    }

    /// The client-side rate limits, applied per `AccessToken`. Default [`RateLimits::documented`] for the
    /// environment.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = Some(limits);
        self
    }

    /// Turns client-side rate limiting off (the server's `429` responses are still retried).
    pub fn no_rate_limit(self) -> Self {
        self.rate_limits(RateLimits::disabled())
    }

    /// Sends through `client` (proxies, custom root certificates, connection limits, default headers,
    /// your own user agent) instead of a transport of the client's own. The client's own choices (rustls
    /// with the platform's verifier, [`connect_timeout`](Self::connect_timeout), a 30 s idle timeout, no
    /// redirects, its user agent) then do not apply: give `client` `redirect(Policy::none())` too, as the
    /// API never redirects and a redirected `POST` would become a `GET`. The per-attempt and overall
    /// timeouts, the retries, the rate limits and the body cap still apply.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The client's own transport settings as a `reqwest` builder (rustls with the platform's certificate
    /// verifier, a 10 s connect timeout, a 30 s idle timeout, TCP keep-alive, no redirects, no retries, its
    /// user agent), to add a proxy, default headers or connection limits to and give to
    /// [`http_client`](Self::http_client). (The `reqwest` this crate re-exports has no TLS provider of its
    /// own: a client built from `reqwest::Client::builder()` needs a TLS configuration, such as this one's.)
    pub fn default_http_client() -> Result<reqwest::ClientBuilder> {
        transport_builder(CONNECT_TIMEOUT)
    }

    /// Adds a [`Hook`], called before and after every attempt (hooks run in the order added).
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.0.push(Arc::new(hook));
        self
    }

    /// Builds the client (and its connection pool). `C` is the runtime client or a generated wrapper.
    ///
    /// A builder from [`multi_property`](Self::multi_property) has no `AccessToken`: build it with
    /// [`build_pool`](Self::build_pool) (here it fails with [`Error::Config`]).
    pub fn build<C: From<Client>>(mut self) -> Result<C> {
        // Taken, not copied: the shared settings outlive a rotation and must not keep the first token.
        let Some(access_token) = self.access_token.take() else {
            return Err(Error::Config(
                "no AccessToken: build a multi-property builder with `build_pool`".to_string(),
            ));
        };
        let shared = self.shared()?;
        Ok(C::from(Client::new(shared, access_token, None)))
    }

    /// Builds a [`ClientPool`]: one connection pool for many `AccessToken`s. `C` is the runtime client or a
    /// generated wrapper, what [`ClientPool::for_enterprise`] returns. The builder's own `AccessToken`, if
    /// any, is not used.
    pub fn build_pool<C: From<Client>>(self) -> Result<ClientPool<C>> {
        Ok(ClientPool {
            shared: self.shared()?,
            client: PhantomData,
        })
    }

    fn shared(self) -> Result<Arc<Shared>> {
        let http = match &self.http {
            Some(http) => http.clone(),
            None => own_transport(self.connect_timeout)?,
        };
        let limits = self
            .rate_limits
            .clone()
            .unwrap_or_else(|| RateLimits::documented(&self.environment));
        Ok(Arc::new(Shared {
            limits,
            limiters: Mutex::default(),
            urls: std::sync::RwLock::default(),
            settings: self,
            http,
        }))
    }
}

/// The client's own transport, when none is given.
fn own_transport(connect_timeout: Duration) -> Result<reqwest::Client> {
    transport_builder(connect_timeout)?
        .build()
        .map_err(|e| Error::Config(format!("HTTP client: {e}")))
}

/// The settings of the client's own transport.
fn transport_builder(connect_timeout: Duration) -> Result<reqwest::ClientBuilder> {
    let tls = tls_config()?;
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(connect_timeout)
        .tcp_keepalive(Duration::from_secs(60))
        // Idle connections go well before servers usually close them, so that a request is
        // rarely written to a connection the server is closing (a write would end `OutcomeUnknown`).
        .pool_idle_timeout(POOL_IDLE_TIMEOUT)
        // A redirected POST would become a GET; the API never redirects.
        .redirect(reqwest::redirect::Policy::none())
        // The send loop decides about retries, knowing the operation's safety.
        .retry(reqwest::retry::never())
        .user_agent(concat!("mews-connector-rust/", env!("CARGO_PKG_VERSION"))))
}

/// The client's TLS settings (ring, safe default versions, the platform's verifier), shared with the WebSocket
/// stream.
pub(crate) fn tls_config() -> Result<rustls::ClientConfig> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS: {e}")))?
        .with_platform_verifier()
        .map_err(|e| Error::Config(format!("TLS certificate verifier: {e}")))
        .map(|builder| builder.with_no_client_auth())
}

/// What every handle of a client shares: settings, transport, URLs, and the rate limiter of each token.
struct Shared {
    settings: ClientBuilder,
    http: reqwest::Client,
    limits: RateLimits,
    limiters: Mutex<Limiters>,
    /// Each operation's URL, parsed once (reqwest parses a URL given as text on every request).
    urls: std::sync::RwLock<std::collections::HashMap<&'static str, reqwest::Url>>,
}

/// The rate limiter of each `AccessToken` in use, so that every handle of a token shares one.
#[derive(Default)]
struct Limiters {
    by_token: HashMap<Box<str>, Arc<Limiter>>,
    /// The size at which idle limiters are looked for next.
    prune_at: usize,
}

impl Shared {
    fn limiters(&self) -> MutexGuard<'_, Limiters> {
        // A panic elsewhere cannot leave the map inconsistent, so poisoning is ignored.
        self.limiters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The limiter of `token`, shared with every other handle of it (`None` when limiting is off).
    ///
    /// A limiter no handle holds is forgotten only once its window is empty, so dropping and making a
    /// handle again never forgets requests that still count.
    fn limiter(&self, token: &AccessToken) -> Option<Arc<Limiter>> {
        if self.limits.is_disabled() {
            return None;
        }
        let mut limiters = self.limiters();
        if let Some(limiter) = limiters.by_token.get(token.expose()) {
            return Some(limiter.clone());
        }
        let limiter = Arc::new(Limiter::new(self.limits.clone())?);
        if limiters.by_token.len() >= limiters.prune_at {
            let now = Instant::now();
            limiters
                .by_token
                .retain(|_, limiter| Arc::strong_count(limiter) > 1 || !limiter.is_idle(now));
            limiters.prune_at = (limiters.by_token.len() * 2).max(64);
        }
        limiters
            .by_token
            .insert(token.expose().into(), limiter.clone());
        Some(limiter)
    }

    /// A token's part of a handle: its secrets, its credentials encoded once, its limiter.
    fn token(&self, access_token: AccessToken) -> Arc<TokenState> {
        let settings = &self.settings;
        let credentials = credentials(
            settings,
            settings.client_token.expose(),
            access_token.expose(),
        );
        Arc::new(TokenState {
            limiter: self.limiter(&access_token),
            secrets: Secrets {
                client_token: settings.client_token.clone(),
                access_token,
            },
            credentials,
        })
    }
}

/// One `AccessToken` of a handle. A call takes it once, so a rotation leaves calls in flight on the old one.
struct TokenState {
    secrets: Secrets,
    /// The start of every request body, encoded once: `{"ClientToken":…,"Client":…` (holds the tokens).
    credentials: Box<[u8]>,
    limiter: Option<Arc<Limiter>>,
}

/// A handle's own part: its current token (replaceable) and its label.
struct Handle {
    token: std::sync::RwLock<Arc<TokenState>>,
    label: Option<Box<str>>,
}

/// A Mews Connector API client for one `AccessToken`. Cheap to clone; clones share the connection pool, the
/// rate limiter and the token ([`rotate_access_token`](Self::rotate_access_token) changes it for every clone).
///
/// Handles for other tokens ([`for_enterprise`](Self::for_enterprise), [`ClientPool::for_enterprise`])
/// share the connection pool, the settings and the hooks, with a rate limiter per `AccessToken`.
///
/// `Client` is `Send + Sync`, and every future it returns is `Send` and cancellation-safe: dropping
/// one releases its rate-limit slot and connection and leaves the client fully usable.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    handle: Arc<Handle>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("label", &self.handle.label)
            .field("access_token", &self.token().secrets.access_token)
            .field("settings", &self.shared.settings)
            .finish_non_exhaustive()
    }
}

/// Many `AccessToken`s through one client: one connection pool, one transport, one set of settings and
/// hooks, a rate limiter per token. Built with [`ClientBuilder::multi_property`] and
/// [`ClientBuilder::build_pool`]; [`for_enterprise`](Self::for_enterprise) makes a cheap handle per token.
///
/// `C` is what a handle is: the generated `Client` (whose resource accessors it then has), or this runtime's
/// [`Client`]. Cheap to clone; clones share everything.
pub struct ClientPool<C = Client> {
    shared: Arc<Shared>,
    client: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientPool<C> {
    fn clone(&self) -> Self {
        ClientPool {
            shared: self.shared.clone(),
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientPool<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientPool")
            .field("settings", &self.shared.settings)
            .field("tokens", &self.shared.limiters().by_token.len())
            .finish()
    }
}

impl<C: From<Client>> ClientPool<C> {
    /// A handle for `access_token` (an enterprise's, or a portfolio's): the same operations as a
    /// single-token client, through the shared pool. Cheap: a few small allocations, no connection. Handles of
    /// the same token share its rate limiter.
    pub fn for_enterprise(&self, access_token: impl Into<AccessToken>) -> C {
        C::from(Client::new(self.shared.clone(), access_token.into(), None))
    }

    /// [`for_enterprise`](Self::for_enterprise) with a label (a property's name or id, never a secret) that
    /// hooks see ([`AttemptRequest::label`](super::AttemptRequest::label)) and the `mews_connector.call`
    /// span records as `label`.
    pub fn for_enterprise_labelled(
        &self,
        access_token: impl Into<AccessToken>,
        label: impl Into<String>,
    ) -> C {
        let label = Some(label.into().into_boxed_str());
        C::from(Client::new(self.shared.clone(), access_token.into(), label))
    }

    /// The environment requests go to.
    pub fn environment(&self) -> &Environment {
        &self.shared.settings.environment
    }
}

/// How an attempt failed before a complete response was read.
enum Failure {
    /// Could not connect: nothing was sent.
    NotSent(String),
    /// The connection failed after the request may have been sent.
    AfterSend(String),
    /// The body is larger than the cap.
    TooLarge,
}

/// A complete response.
struct Exchange {
    status: u16,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

/// What the call span reports once the call ends.
#[derive(Default)]
struct Progress {
    attempts: u32,
    status: Option<u16>,
    request_id: Option<String>,
}

/// Whether and how a failed attempt may be retried.
enum Retry {
    No,
    /// After the backoff.
    Backoff,
    /// After the server's `Retry-After` if it sent one, else the backoff.
    After(Option<Duration>),
}

impl Client {
    /// Starts a [`ClientBuilder`]; same as [`ClientBuilder::new`].
    pub fn builder(
        environment: Environment,
        client_token: impl Into<ClientToken>,
        access_token: impl Into<AccessToken>,
        client_name: impl Into<String>,
    ) -> ClientBuilder {
        ClientBuilder::new(environment, client_token, access_token, client_name)
    }

    /// Starts a [`ClientBuilder`] for many `AccessToken`s; same as [`ClientBuilder::multi_property`].
    pub fn multi_property(
        environment: Environment,
        client_token: impl Into<ClientToken>,
        client_name: impl Into<String>,
    ) -> ClientBuilder {
        ClientBuilder::multi_property(environment, client_token, client_name)
    }

    fn new(shared: Arc<Shared>, access_token: AccessToken, label: Option<Box<str>>) -> Client {
        let token = shared.token(access_token);
        Client {
            shared,
            handle: Arc::new(Handle {
                token: std::sync::RwLock::new(token),
                label,
            }),
        }
    }

    /// The current token of this handle (a poisoned lock still holds a whole `Arc`).
    fn token(&self) -> Arc<TokenState> {
        self.handle
            .token
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// A handle for another `AccessToken` through this client's connection pool, settings and hooks, with
    /// that token's own rate limiter (see [`ClientPool::for_enterprise`]).
    pub fn for_enterprise(&self, access_token: impl Into<AccessToken>) -> Client {
        Client::new(self.shared.clone(), access_token.into(), None)
    }

    /// [`for_enterprise`](Self::for_enterprise) with a label (see [`ClientPool::for_enterprise_labelled`]).
    pub fn for_enterprise_labelled(
        &self,
        access_token: impl Into<AccessToken>,
        label: impl Into<String>,
    ) -> Client {
        let label = Some(label.into().into_boxed_str());
        Client::new(self.shared.clone(), access_token.into(), label)
    }

    /// Replaces the `AccessToken` of this handle and of its clones (after `IntegrationApiKeyCreated`, say).
    /// Calls already started, retries included, finish with the old token; calls started afterwards use
    /// the new one, with the new token's rate limiter.
    pub fn rotate_access_token(&self, access_token: impl Into<AccessToken>) {
        let token = self.shared.token(access_token.into());
        let mut current = self
            .handle
            .token
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *current = token;
    }

    /// The label given with [`for_enterprise_labelled`](Self::for_enterprise_labelled), if any.
    pub fn label(&self) -> Option<&str> {
        self.handle.label.as_deref()
    }

    /// A [`ClientPool`] sharing this client's connection pool, settings, hooks and rate limiters.
    pub fn pool<C: From<Client>>(&self) -> ClientPool<C> {
        ClientPool {
            shared: self.shared.clone(),
            client: PhantomData,
        }
    }

    /// The environment requests go to.
    pub fn environment(&self) -> &Environment {
        &self.shared.settings.environment
    }

    /// How much of the client-side rate limit of this handle's `AccessToken` is in use (`None` when
    /// limiting is off).
    pub fn rate_limit_usage(&self) -> Option<RateLimitUsage> {
        self.token().limiter.as_deref().map(Limiter::usage)
    }

    /// Sends one request and decodes its response, with the client's defaults.
    pub async fn send<O: Operation>(&self, request: &O) -> Result<O::Response> {
        self.send_with(request, &CallOptions::default()).await
    }

    /// Sends one request and decodes its response.
    ///
    /// Validates the request (unless [`CallOptions::skip_validation`]), waits for a rate-limit slot,
    /// then makes up to [`RetryPolicy::max_attempts`] attempts within the overall timeout, retrying
    /// only what is safe to retry for the operation (see [`RetryPolicy`]). Traced as a
    /// `mews_connector.call` span with the operation, the handle's label, the attempts, the status and the
    /// `RequestId`.
    pub async fn send_with<O: Operation>(
        &self,
        request: &O,
        options: &CallOptions,
    ) -> Result<O::Response> {
        let info = O::INFO;
        let span = tracing::info_span!(
            "mews_connector.call",
            operation = info.id,
            label = self.handle.label.as_deref(),
            safety = ?info.safety,
            attempts = Empty,
            status = Empty,
            request_id = Empty,
        );
        self.call(request, info, options).instrument(span).await
    }

    async fn call<O: Operation>(
        &self,
        request: &O,
        info: OperationInfo,
        options: &CallOptions,
    ) -> Result<O::Response> {
        let started = Instant::now();
        let operation = info.id;
        if !options.skip_validation {
            super::validate::validate(request).map_err(|violations| Error::Validation {
                operation,
                violations,
            })?;
        }
        // Taken once: a rotation during the call leaves it on this token.
        let token = self.token();
        let secrets = &token.secrets;
        let body = self.body(request, false, &token).map_err(|e| {
            Error::Config(format!(
                "`{operation}`: cannot encode request: {}",
                secrets.redact(&e.to_string())
            ))
        })?;
        if tracing::enabled!(Level::TRACE)
            && let Ok(redacted) = self.body(request, true, &token)
        {
            tracing::trace!(body = %traced(&redacted, secrets), "request body");
        }
        let overall = options
            .timeout
            .unwrap_or(self.shared.settings.overall_timeout);
        let deadline = after(started, overall);
        let mut progress = Progress::default();
        // Each wait below ends by `deadline` on its own, so no timer wraps them all.
        let result = self
            .attempts::<O>(
                info,
                options,
                &token,
                body,
                started,
                deadline,
                &mut progress,
            )
            .await;
        let span = tracing::Span::current();
        span.record("attempts", progress.attempts);
        if let Some(status) = progress.status {
            span.record("status", status);
        }
        if let Some(id) = &progress.request_id {
            span.record("request_id", id.as_str());
        }
        result
    }

    /// The attempts of one call, with the waits in between.
    #[allow(clippy::too_many_arguments)]
    async fn attempts<O: Operation>(
        &self,
        info: OperationInfo,
        options: &CallOptions,
        token: &TokenState,
        body: Vec<u8>,
        started: Instant,
        deadline: Instant,
        progress: &mut Progress,
    ) -> Result<O::Response> {
        let settings = &self.shared.settings;
        let secrets = &token.secrets;
        let hooks = &settings.hooks.0;
        let operation = info.id;
        let policy = options.retry.as_ref().unwrap_or(&settings.retry);
        let retry_unsafe = options.retry_unsafe || policy.retry_unsafe;
        // Whether failures that may have reached the server (5xx, broken connections, timeouts) are retried.
        let repeatable = info.safety == Safety::Safe || retry_unsafe;
        let on_failure = || {
            if repeatable {
                Retry::Backoff
            } else {
                Retry::No
            }
        };
        let url = self.url(info)?;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            progress.attempts = attempt;
            progress.status = None;
            progress.request_id = None;
            let permit = match &token.limiter {
                Some(limiter) => {
                    let acquire = limiter.acquire(info.id, info.paginated);
                    match tokio::time::timeout_at(deadline, acquire).await {
                        Ok(permit) => Some(permit),
                        Err(_) => {
                            tracing::debug!(after = ?started.elapsed(), "overall timeout");
                            return Err(Error::Timeout {
                                operation,
                                after: started.elapsed(),
                            });
                        }
                    }
                }
                None => None,
            };
            let span = tracing::debug_span!("attempt", attempt, status = Empty, request_id = Empty);
            let mut headers = reqwest::header::HeaderMap::new();
            let hook_run = (!hooks.is_empty()).then(|| {
                let label = self.handle.label.as_deref();
                for hook in hooks {
                    hook.before_attempt(&mut AttemptRequest {
                        info,
                        attempt,
                        label,
                        url: &url,
                        headers: &mut headers,
                        body: &body,
                        secrets,
                        reveal: hook.sees_tokens(),
                    });
                }
                HookRun {
                    hooks,
                    info,
                    attempt,
                    label,
                    secrets,
                    started: Instant::now(),
                    done: false,
                }
            });
            let attempt_started = Instant::now();
            let attempt_deadline = after(attempt_started, settings.request_timeout).min(deadline);
            let outcome = tokio::time::timeout_at(
                attempt_deadline,
                self.exchange(&url, body.clone(), headers, secrets),
            )
            .instrument(span.clone())
            .await;
            drop(permit);
            if let Some(run) = hook_run {
                run.end(match &outcome {
                    Err(_) => AttemptEnd::Failed(format!(
                        "timed out after {:?}",
                        attempt_started.elapsed()
                    )),
                    Ok(Err(Failure::NotSent(message) | Failure::AfterSend(message))) => {
                        AttemptEnd::Failed(secrets.redact(message))
                    }
                    Ok(Err(Failure::TooLarge)) => AttemptEnd::Failed(format!(
                        "the body exceeds the limit of {} bytes",
                        settings.max_body_bytes
                    )),
                    Ok(Ok(exchange)) => AttemptEnd::Response {
                        status: exchange.status,
                        headers: &exchange.headers,
                        body: &exchange.body,
                    },
                });
            }
            let (error, retry) = match outcome {
                Err(_) => (
                    Error::Timeout {
                        operation,
                        after: started.elapsed(),
                    },
                    on_failure(),
                ),
                Ok(Err(Failure::NotSent(message))) => {
                    (Error::Transport { operation, message }, on_failure())
                }
                Ok(Err(Failure::AfterSend(message))) => {
                    (Error::OutcomeUnknown { operation, message }, on_failure())
                }
                Ok(Err(Failure::TooLarge)) => (
                    Error::BodyTooLarge {
                        operation,
                        limit: settings.max_body_bytes,
                    },
                    Retry::No,
                ),
                Ok(Ok(exchange)) => {
                    let status = exchange.status;
                    progress.status = Some(status);
                    span.record("status", status);
                    tracing::debug!(parent: &span, status, elapsed = ?attempt_started.elapsed(), "response");
                    if tracing::enabled!(Level::TRACE) {
                        let body = traced(&exchange.body, secrets);
                        tracing::trace!(parent: &span, body = %body, "response body");
                    }
                    if (200..300).contains(&status) {
                        if let Some(id) = &exchange.request_id {
                            span.record("request_id", id.as_str());
                        }
                        progress.request_id = exchange.request_id.clone();
                        return decode::<O::Response>(operation, &exchange.body)
                            .map_err(|e| redact_error(e, secrets));
                    }
                    let (error, retry) =
                        self.classify(operation, exchange, repeatable, policy, token);
                    let error = redact_error(error, secrets);
                    // The body's `RequestId`, else the header's.
                    if let Some(id) = error.request_id() {
                        span.record("request_id", id);
                        progress.request_id = Some(id.to_string());
                    }
                    (error, retry)
                }
            };
            drop(span);
            let error = redact_error(error, secrets);
            let wait = match retry {
                Retry::No => None,
                _ if attempt >= policy.max_attempts => None,
                Retry::Backoff | Retry::After(None) => Some(policy.backoff(attempt)),
                Retry::After(Some(asked)) => policy.retry_after(asked),
            };
            let Some(wait) = wait.filter(|wait| after(Instant::now(), *wait) < deadline) else {
                tracing::debug!(attempt, error = %error, "giving up");
                return Err(error);
            };
            tracing::debug!(attempt, wait = ?wait, error = %error, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// The error for a complete non-2xx response, and whether it may be retried.
    fn classify(
        &self,
        operation: &'static str,
        exchange: Exchange,
        repeatable: bool,
        policy: &RetryPolicy,
        token: &TokenState,
    ) -> (Error, Retry) {
        let Exchange {
            status,
            request_id,
            retry_after,
            body,
            ..
        } = exchange;
        let error = Box::new(ApiError::from_response(
            status,
            &body,
            request_id,
            retry_after,
        ));
        match status {
            408 => (Error::RequestTooHeavy { operation, error }, Retry::No),
            409 => (Error::Conflict { operation, error }, Retry::No),
            429 => {
                if let (Some(limiter), Some(asked)) = (&token.limiter, retry_after) {
                    limiter.pause_until(after(Instant::now(), asked.min(policy.max_retry_after)));
                }
                (
                    Error::RateLimited { operation, error },
                    Retry::After(retry_after),
                )
            }
            _ if repeatable && is_transient_status(status) => {
                (Error::Api { operation, error }, Retry::After(retry_after))
            }
            _ => (Error::Api { operation, error }, Retry::No),
        }
    }

    /// The operation's URL, parsed on its first call and then copied.
    fn url(&self, info: OperationInfo) -> Result<reqwest::Url> {
        if let Ok(urls) = self.shared.urls.read()
            && let Some(url) = urls.get(info.path)
        {
            return Ok(url.clone());
        }
        let text = format!(
            "{}{}",
            self.shared.settings.environment.base_url(),
            info.path
        );
        let url = reqwest::Url::parse(&text)
            .map_err(|e| Error::Config(format!("`{}`: invalid URL `{text}`: {e}", info.id)))?;
        if let Ok(mut urls) = self.shared.urls.write() {
            urls.insert(info.path, url.clone());
        }
        Ok(url)
    }

    /// One exchange: sends the request and reads the whole response, within the body-size cap.
    async fn exchange(
        &self,
        url: &reqwest::Url,
        body: Vec<u8>,
        mut headers: reqwest::header::HeaderMap,
        secrets: &Secrets,
    ) -> Result<Exchange, Failure> {
        use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
        // Names and values made once rather than checked on every request.
        static REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
        static JSON: HeaderValue = HeaderValue::from_static("application/json");
        let limit = self.shared.settings.max_body_bytes;
        // The hooks' headers, then the client's own, which no hook overrides.
        headers.insert(CONTENT_TYPE, JSON.clone());
        headers.insert(ACCEPT, JSON.clone());
        // The request takes this map as it is (`RequestBuilder::headers` would copy it entry by entry into a
        // second one); the client's default headers are added when it is sent.
        let mut request = self
            .shared
            .http
            .post(url.clone())
            .body(body)
            .build()
            .map_err(|e| Failure::NotSent(describe(&e)))?;
        *request.headers_mut() = headers;
        let mut response = self.shared.http.execute(request).await.map_err(|e| {
            if e.is_connect() {
                Failure::NotSent(describe(&e))
            } else {
                Failure::AfterSend(describe(&e))
            }
        })?;
        let status = response.status().as_u16();
        let request_id = header(&response, &REQUEST_ID).map(|id| secrets.redact(&id));
        let retry_after = header(&response, &RETRY_AFTER).and_then(|v| parse_retry_after(&v));
        if response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Err(Failure::TooLarge);
        }
        let capacity = response
            .content_length()
            .map_or(8 * 1024, |length| length as usize);
        let headers = std::mem::take(response.headers_mut());
        let mut body = Vec::with_capacity(capacity.min(limit));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Failure::AfterSend(describe(&e)))?
        {
            if body.len() + chunk.len() > limit {
                return Err(Failure::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Exchange {
            status,
            request_id,
            retry_after,
            headers,
            body,
        })
    }

    /// The request body: the credentials, then the request's own properties.
    fn body<O: Operation>(
        &self,
        request: &O,
        redacted: bool,
        token: &TokenState,
    ) -> serde_json::Result<Vec<u8>> {
        // Traced bodies show `<redacted>` for the tokens.
        let traced;
        let credentials: &[u8] = if redacted {
            traced = credentials(&self.shared.settings, REDACTED, REDACTED);
            &traced
        } else {
            &token.credentials
        };
        let mut out = Vec::with_capacity(credentials.len() + 192);
        out.extend_from_slice(credentials);
        let own = out.len();
        serde_json::to_writer(&mut out, request)?;
        // The request's object continues the credentials' one: its `{` becomes a `,`.
        match out.get(own..) {
            Some(b"{}") => {
                out.truncate(own);
                out.push(b'}');
            }
            Some([b'{', ..]) => {
                if let Some(open) = out.get_mut(own) {
                    *open = b',';
                }
            }
            _ => {
                return Err(serde::ser::Error::custom(
                    "a request body must be a JSON object",
                ));
            }
        }
        Ok(out)
    }
}

/// The hooks' view of one attempt: calls every hook's `after_attempt` once, when the attempt ends or, if
/// the call's future is dropped first, as cancelled.
struct HookRun<'a> {
    hooks: &'a [Arc<dyn Hook>],
    info: OperationInfo,
    attempt: u32,
    label: Option<&'a str>,
    secrets: &'a Secrets,
    started: Instant,
    done: bool,
}

impl HookRun<'_> {
    fn end(mut self, end: AttemptEnd<'_>) {
        self.done = true;
        self.call(end);
    }

    fn call(&self, end: AttemptEnd<'_>) {
        let elapsed = self.started.elapsed();
        for hook in self.hooks {
            hook.after_attempt(&AttemptResponse {
                info: self.info,
                attempt: self.attempt,
                label: self.label,
                elapsed,
                end: &end,
                secrets: self.secrets,
                reveal: hook.sees_tokens(),
            });
        }
    }
}

impl Drop for HookRun<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.call(AttemptEnd::Cancelled);
        }
    }
}

/// Scrubs the tokens out of every text an error carries.
fn redact_error(mut error: Error, secrets: &Secrets) -> Error {
    match &mut error {
        Error::Transport { message, .. }
        | Error::OutcomeUnknown { message, .. }
        | Error::Config(message) => *message = secrets.redact(message),
        Error::Decode { path, message, .. } => {
            *path = secrets.redact(path);
            *message = secrets.redact(message);
        }
        Error::RequestTooHeavy { error, .. }
        | Error::Conflict { error, .. }
        | Error::RateLimited { error, .. }
        | Error::Api { error, .. } => {
            for text in [
                &mut error.message,
                &mut error.request_id,
                &mut error.raw_body,
            ]
            .into_iter()
            .flatten()
            {
                *text = secrets.redact(text);
            }
            if let Some(details) = &mut error.details {
                secrets.redact_json(details);
            }
        }
        Error::Timeout { .. } | Error::BodyTooLarge { .. } | Error::Validation { .. } => {}
    }
    error
}

/// The start of every request body, without its closing brace: `{"ClientToken":…,"AccessToken":…,"Client":…`
/// and the language when set.
fn credentials(settings: &ClientBuilder, client_token: &str, access_token: &str) -> Box<[u8]> {
    let mut out = Vec::with_capacity(256);
    let mut entry = |key: &str, value: &str| {
        out.push(if out.is_empty() { b'{' } else { b',' });
        json_string(&mut out, key);
        out.push(b':');
        json_string(&mut out, value);
    };
    entry("ClientToken", client_token);
    entry("AccessToken", access_token);
    entry("Client", &settings.client_name);
    if let Some((language, culture)) = &settings.language {
        entry("LanguageCode", language);
        entry("CultureCode", culture);
    }
    out.into_boxed_slice()
}

/// `text` as a JSON string. (Writing a `str` into a `Vec` cannot fail: serde_json fails only on I/O errors
/// and on map keys that are not strings.)
fn json_string(out: &mut Vec<u8>, text: &str) {
    if serde_json::to_writer(&mut *out, text).is_err() {
        out.extend_from_slice(b"\"\"");
    }
}

/// A body for `TRACE` output: cut to [`MAX_TRACED_BODY`] bytes, tokens scrubbed.
fn traced(body: &[u8], secrets: &Secrets) -> String {
    let cut = &body[..body.len().min(MAX_TRACED_BODY)];
    let mut text = secrets.redact(&String::from_utf8_lossy(cut));
    if body.len() > cut.len() {
        text.push_str(&format!("… ({} bytes in all)", body.len()));
    }
    text
}

fn header(response: &reqwest::Response, name: &reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// An HTTP error with its causes (reqwest's own message names only the URL; tokens travel in the body).
fn describe(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// Decodes a success body ([`super::from_body`]); on failure decodes again to report the JSON path (no
/// cost on success).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    bytes: &[u8],
) -> Result<T> {
    super::from_body(bytes).map_err(|first| {
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(error) => Error::Decode {
                operation,
                path: error.path().to_string(),
                message: error.inner().to_string(),
            },
            Ok(_) => Error::Decode {
                operation,
                path: ".".to_string(),
                message: first.to_string(),
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_carry_the_json_path() {
        #[derive(serde::Deserialize, Debug)]
        struct Page {
            #[serde(rename = "Items")]
            _items: Vec<Item>,
        }
        #[derive(serde::Deserialize, Debug)]
        struct Item {
            #[serde(rename = "Count")]
            _count: u32,
        }
        let error =
            decode::<Page>("x/getAll", br#"{"Items":[{"Count":1},{"Count":"two"}]}"#).unwrap_err();
        let Error::Decode { path, .. } = error else {
            panic!("{error:?}")
        };
        assert_eq!(path, "Items[1].Count");
    }

    #[test]
    fn traced_bodies_are_cut_and_scrubbed() {
        let secrets = Secrets {
            client_token: ClientToken::new("CT"),
            access_token: AccessToken::new("AT-1"),
        };
        assert_eq!(
            traced(br#"{"AccessToken":"AT-1"}"#, &secrets),
            r#"{"AccessToken":"<redacted>"}"#
        );
        let long = vec![b'x'; MAX_TRACED_BODY + 10];
        assert!(traced(&long, &secrets).ends_with(&format!("({} bytes in all)", long.len())));
    }

    #[derive(serde::Serialize)]
    struct Request {
        #[serde(rename = "Ids", skip_serializing_if = "Vec::is_empty")]
        ids: Vec<u32>,
    }
    impl super::super::validate::Validate for Request {
        fn validate(&self, _: &mut super::super::validate::Validator) {}
    }
    impl Operation for Request {
        type Response = ();
        const INFO: OperationInfo = OperationInfo {
            id: "things/getAll",
            path: "/api/connector/v1/things/getAll",
            safety: Safety::Safe,
            paginated: false,
        };
    }

    #[test]
    fn bodies_continue_the_credentials_encoded_once() {
        let client: Client = Client::builder(Environment::Demo, "C\"T", "AT", "App 1.0")
            .language("en-US", "en-GB")
            .build()
            .unwrap();
        let credentials = r#"{"ClientToken":"C\"T","AccessToken":"AT","Client":"App 1.0","LanguageCode":"en-US","CultureCode":"en-GB""#;
        let body = |ids: Vec<u32>, redacted| {
            String::from_utf8(
                client
                    .body(&Request { ids }, redacted, &client.token())
                    .unwrap(),
            )
            .unwrap()
        };
        assert_eq!(
            body(vec![1, 2], false),
            format!(r#"{credentials},"Ids":[1,2]}}"#)
        );
        assert_eq!(body(vec![], false), format!("{credentials}}}"));
        assert!(
            body(vec![], true)
                .starts_with(r#"{"ClientToken":"<redacted>","AccessToken":"<redacted>","#)
        );
    }

    #[test]
    fn urls_are_parsed_once_and_a_bad_base_is_a_config_error() {
        let client: Client = Client::builder(
            Environment::Custom("http://127.0.0.1:9/".into()),
            "CT",
            "AT",
            "App",
        )
        .build()
        .unwrap();
        let url = client.url(Request::INFO).unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/api/connector/v1/things/getAll"
        );
        assert_eq!(client.url(Request::INFO).unwrap(), url);
        let bad: Client =
            Client::builder(Environment::Custom("not a url".into()), "CT", "AT", "App")
                .build()
                .unwrap();
        assert!(matches!(bad.url(Request::INFO), Err(Error::Config(_))));
    }

    #[test]
    fn call_options_build_up() {
        let options = CallOptions::new()
            .skip_validation()
            .retry_unsafe()
            .retry(RetryPolicy::never())
            .timeout(Duration::from_secs(5));
        assert!(options.skip_validation && options.retry_unsafe);
        assert_eq!(options.retry, Some(RetryPolicy::never()));
        assert_eq!(options.timeout, Some(Duration::from_secs(5)));
    }
}
