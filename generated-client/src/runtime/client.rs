//! The client: environment, credentials and HTTP settings, built once and cloned freely; sends
//! operations with retries, timeouts, rate limiting, a body-size cap and tracing.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tracing::field::Empty;
use tracing::{Instrument, Level};

use super::environment::Environment;
use super::error::{ApiError, Error, Result};
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

/// Builds a [`Client`]. Every setting has a default; see the crate's `RUNTIME.md` for the table.
#[derive(Clone)]
pub struct ClientBuilder {
    environment: Environment,
    client_token: ClientToken,
    access_token: AccessToken,
    client_name: String,
    language: Option<(String, String)>,
    connect_timeout: Duration,
    request_timeout: Duration,
    overall_timeout: Duration,
    max_body_bytes: usize,
    retry: RetryPolicy,
    rate_limits: Option<RateLimits>,
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
            .finish()
    }
}

impl ClientBuilder {
    /// `client_name` is sent as `Client`: the name and version of your application (`MyApp 1.0.0`).
    pub fn new(
        environment: Environment,
        client_token: impl Into<ClientToken>,
        access_token: impl Into<AccessToken>,
        client_name: impl Into<String>,
    ) -> Self {
        ClientBuilder {
            environment,
            client_token: client_token.into(),
            access_token: access_token.into(),
            client_name: client_name.into(),
            language: None,
            connect_timeout: CONNECT_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
            overall_timeout: OVERALL_TIMEOUT,
            max_body_bytes: MAX_BODY_BYTES,
            retry: RetryPolicy::default(),
            rate_limits: None,
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
    /// runs out, so the failure is an [`Error::Transport`].
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

    /// The client-side rate limits. Default [`RateLimits::documented`] for the environment.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = Some(limits);
        self
    }

    /// Turns client-side rate limiting off (the server's `429` responses are still retried).
    pub fn no_rate_limit(self) -> Self {
        self.rate_limits(RateLimits::disabled())
    }

    /// Builds the client (and its connection pool). `C` is the runtime client or a generated wrapper.
    pub fn build<C: From<Client>>(self) -> Result<C> {
        let tls = tls_config()?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(self.connect_timeout)
            .tcp_keepalive(Duration::from_secs(60))
            // Idle connections go well before servers usually close them, so that a request is
            // rarely written to a connection the server is closing (a write would end `OutcomeUnknown`).
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            // A redirected POST would become a GET; the API never redirects.
            .redirect(reqwest::redirect::Policy::none())
            // The send loop decides about retries, knowing the operation's safety.
            .retry(reqwest::retry::never())
            .user_agent(concat!("mews-connector-rust/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        let limits = self
            .rate_limits
            .clone()
            .unwrap_or_else(|| RateLimits::documented(&self.environment));
        let secrets = Secrets {
            client_token: self.client_token.clone(),
            access_token: self.access_token.clone(),
        };
        let credentials = credentials(
            &self,
            self.client_token.expose(),
            self.access_token.expose(),
        )
        .map_err(|e| Error::Config(format!("credentials: {}", secrets.redact(&e.to_string()))))?;
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                limiter: Limiter::new(limits),
                secrets,
                credentials,
                urls: std::sync::RwLock::default(),
                settings: self,
                http,
            }),
        }))
    }
}

fn tls_config() -> Result<rustls::ClientConfig> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS: {e}")))?
        .with_platform_verifier()
        .map_err(|e| Error::Config(format!("TLS certificate verifier: {e}")))
        .map(|builder| builder.with_no_client_auth())
}

struct Inner {
    settings: ClientBuilder,
    http: reqwest::Client,
    limiter: Option<Limiter>,
    secrets: Secrets,
    /// The start of every request body, encoded once: `{"ClientToken":…,"Client":…` (holds the tokens).
    credentials: Box<[u8]>,
    /// Each operation's URL, parsed once (reqwest parses a URL given as text on every request).
    urls: std::sync::RwLock<std::collections::HashMap<&'static str, reqwest::Url>>,
}

/// A Mews Connector API client. Cheap to clone; clones share the connection pool and the rate limits.
///
/// `Client` is `Send + Sync`, and every future it returns is `Send` and cancellation-safe: dropping
/// one releases its rate-limit slot and connection and leaves the client fully usable.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
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

    /// The environment requests go to.
    pub fn environment(&self) -> &Environment {
        &self.inner.settings.environment
    }

    /// How much of the client-side per-token rate limit is in use (`None` when limiting is off).
    pub fn rate_limit_usage(&self) -> Option<RateLimitUsage> {
        self.inner.limiter.as_ref().map(Limiter::usage)
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
    /// `mews_connector.call` span with the operation, the attempts, the status and the `RequestId`.
    pub async fn send_with<O: Operation>(
        &self,
        request: &O,
        options: &CallOptions,
    ) -> Result<O::Response> {
        let info = O::INFO;
        let span = tracing::info_span!(
            "mews_connector.call",
            operation = info.id,
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
        let secrets = &self.inner.secrets;
        let body = self.body(request, false).map_err(|e| {
            Error::Config(format!(
                "`{operation}`: cannot encode request: {}",
                secrets.redact(&e.to_string())
            ))
        })?;
        if tracing::enabled!(Level::TRACE)
            && let Ok(redacted) = self.body(request, true)
        {
            tracing::trace!(body = %traced(&redacted, secrets), "request body");
        }
        let overall = options
            .timeout
            .unwrap_or(self.inner.settings.overall_timeout);
        let deadline = after(started, overall);
        let mut progress = Progress::default();
        // Each wait below ends by `deadline` on its own, so no timer wraps them all.
        let result = self
            .attempts::<O>(info, options, body, started, deadline, &mut progress)
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
    async fn attempts<O: Operation>(
        &self,
        info: OperationInfo,
        options: &CallOptions,
        body: Vec<u8>,
        started: Instant,
        deadline: Instant,
        progress: &mut Progress,
    ) -> Result<O::Response> {
        let settings = &self.inner.settings;
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
            let permit = match &self.inner.limiter {
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
            let attempt_started = Instant::now();
            let attempt_deadline = after(attempt_started, settings.request_timeout).min(deadline);
            let outcome =
                tokio::time::timeout_at(attempt_deadline, self.exchange(&url, body.clone()))
                    .instrument(span.clone())
                    .await;
            drop(permit);
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
                        let body = traced(&exchange.body, &self.inner.secrets);
                        tracing::trace!(parent: &span, body = %body, "response body");
                    }
                    if (200..300).contains(&status) {
                        if let Some(id) = &exchange.request_id {
                            span.record("request_id", id.as_str());
                        }
                        progress.request_id = exchange.request_id.clone();
                        return decode::<O::Response>(operation, &exchange.body)
                            .map_err(|e| self.redact_error(e));
                    }
                    let (error, retry) = self.classify(operation, exchange, repeatable, policy);
                    let error = self.redact_error(error);
                    // The body's `RequestId`, else the header's.
                    if let Some(id) = error.request_id() {
                        span.record("request_id", id);
                        progress.request_id = Some(id.to_string());
                    }
                    (error, retry)
                }
            };
            drop(span);
            let error = self.redact_error(error);
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
    ) -> (Error, Retry) {
        let Exchange {
            status,
            request_id,
            retry_after,
            body,
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
                if let (Some(limiter), Some(asked)) = (&self.inner.limiter, retry_after) {
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
        if let Ok(urls) = self.inner.urls.read()
            && let Some(url) = urls.get(info.path)
        {
            return Ok(url.clone());
        }
        let text = format!(
            "{}{}",
            self.inner.settings.environment.base_url(),
            info.path
        );
        let url = reqwest::Url::parse(&text)
            .map_err(|e| Error::Config(format!("`{}`: invalid URL `{text}`: {e}", info.id)))?;
        if let Ok(mut urls) = self.inner.urls.write() {
            urls.insert(info.path, url.clone());
        }
        Ok(url)
    }

    /// One exchange: sends the request and reads the whole response, within the body-size cap.
    async fn exchange(&self, url: &reqwest::Url, body: Vec<u8>) -> Result<Exchange, Failure> {
        use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER};
        // Names and values made once rather than checked on every request.
        static REQUEST_ID: HeaderName = HeaderName::from_static("request-id");
        static JSON: HeaderValue = HeaderValue::from_static("application/json");
        let limit = self.inner.settings.max_body_bytes;
        let mut response = self
            .inner
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, JSON.clone())
            .header(ACCEPT, JSON.clone())
            .body(body)
            .send()
            .await
            .map_err(|e| {
                if e.is_connect() {
                    Failure::NotSent(describe(&e))
                } else {
                    Failure::AfterSend(describe(&e))
                }
            })?;
        let status = response.status().as_u16();
        let request_id = header(&response, &REQUEST_ID).map(|id| self.inner.secrets.redact(&id));
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
            body,
        })
    }

    /// Scrubs the tokens out of every text an error carries.
    fn redact_error(&self, mut error: Error) -> Error {
        let secrets = &self.inner.secrets;
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

    /// The request body: the credentials, then the request's own properties.
    fn body<O: Operation>(&self, request: &O, redacted: bool) -> serde_json::Result<Vec<u8>> {
        // Traced bodies show `<redacted>` for the tokens.
        let traced;
        let credentials: &[u8] = if redacted {
            traced = credentials(&self.inner.settings, REDACTED, REDACTED)?;
            &traced
        } else {
            &self.inner.credentials
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

/// The start of every request body, without its closing brace: `{"ClientToken":…,"AccessToken":…,"Client":…`
/// and the language when set.
fn credentials(
    settings: &ClientBuilder,
    client_token: &str,
    access_token: &str,
) -> serde_json::Result<Box<[u8]>> {
    let mut out = Vec::with_capacity(256);
    let mut entry = |key: &str, value: &str| -> serde_json::Result<()> {
        out.push(if out.is_empty() { b'{' } else { b',' });
        serde_json::to_writer(&mut out, key)?;
        out.push(b':');
        serde_json::to_writer(&mut out, value)
    };
    entry("ClientToken", client_token)?;
    entry("AccessToken", access_token)?;
    entry("Client", &settings.client_name)?;
    if let Some((language, culture)) = &settings.language {
        entry("LanguageCode", language)?;
        entry("CultureCode", culture)?;
    }
    Ok(out.into_boxed_slice())
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

/// Decodes a success body; on failure decodes again to report the JSON path (no cost on success).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    bytes: &[u8],
) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|first| {
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
            String::from_utf8(client.body(&Request { ids }, redacted).unwrap()).unwrap()
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
