//! Request and response middleware: the [`Hook`] trait, called once before and once after every attempt,
//! with the tokens redacted unless a hook opts in.
//!
//! Hooks are plain synchronous callbacks, for cross-cutting concerns that do not change what is sent:
//! propagating a trace header, measuring latency per operation or per property, counting statuses. They run
//! on the task making the call, so they must be quick and must not block.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::operation::OperationInfo;
use super::secret::{AccessToken, Secrets};

/// Middleware around every attempt of every call of a client (and of every handle sharing its pool).
///
/// [`before_attempt`](Self::before_attempt) runs once before each attempt is sent (retries included) and may
/// add headers; [`after_attempt`](Self::after_attempt) runs once when that attempt ends, however it ends: a
/// response, a connection failure, a timeout, or the call's future being dropped (cancelled). An attempt
/// that never started (the call gave up waiting for a rate-limit slot, or failed validation) calls neither.
///
/// Hooks see the request body and the response body with the `ClientToken` and the `AccessToken` replaced
/// by `<redacted>`, and no token, unless [`sees_tokens`](Self::sees_tokens) returns `true`.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use mews_connector_runtime::{AttemptRequest, AttemptResponse, Hook};
///
/// /// Sends a trace header and sums up the time spent per operation.
/// #[derive(Default)]
/// struct Tracing {
///     micros: AtomicU64,
/// }
///
/// impl Hook for Tracing {
///     fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
///         let id = format!("{}-{}", request.operation().id, request.attempt());
///         if let Ok(value) = id.parse() {
///             request.headers_mut().insert("x-trace-id", value);
///         }
///         // The body is there to inspect, with both tokens as `<redacted>`.
///         let _bytes = request.body().len();
///     }
///
///     fn after_attempt(&self, response: &AttemptResponse<'_>) {
///         let micros = response.elapsed().as_micros() as u64;
///         self.micros.fetch_add(micros, Ordering::Relaxed);
///         if let Some(status) = response.status() {
///             println!("{} {} in {micros} µs", response.operation().id, status);
///         }
///     }
/// }
///
/// # fn build() -> mews_connector_runtime::Result<()> {
/// use mews_connector_runtime::{Client, Environment};
/// let client: Client = Client::builder(Environment::Demo, "CT-…", "AT-…", "MyApp 1.0")
///     .hook(Tracing::default())
///     .build()?;
/// # Ok(())
/// # }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Called before each attempt is sent; may add or change headers.
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
        let _ = request;
    }

    /// Called once when each attempt ends.
    fn after_attempt(&self, response: &AttemptResponse<'_>) {
        let _ = response;
    }

    /// Whether this hook sees the tokens: the bodies as sent and received, and
    /// [`AttemptRequest::access_token`]. Default `false`: bodies with `<redacted>` for both tokens.
    fn sees_tokens(&self) -> bool {
        false
    }
}

/// What a [`Hook`] sees of an attempt before it is sent.
pub struct AttemptRequest<'a> {
    pub(crate) info: OperationInfo,
    pub(crate) attempt: u32,
    pub(crate) label: Option<&'a str>,
    pub(crate) url: &'a reqwest::Url,
    pub(crate) headers: &'a mut HeaderMap,
    pub(crate) body: &'a [u8],
    pub(crate) secrets: &'a Secrets,
    pub(crate) reveal: bool,
}

impl fmt::Debug for AttemptRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttemptRequest")
            .field("operation", &self.info.id)
            .field("attempt", &self.attempt)
            .field("label", &self.label)
            .field("url", &self.url.as_str())
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl AttemptRequest<'_> {
    /// The operation called.
    pub fn operation(&self) -> OperationInfo {
        self.info
    }

    /// The attempt's number, 1 for the first.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The label of the handle making the call ([`ClientPool::for_enterprise_labelled`](super::ClientPool::for_enterprise_labelled)), if any.
    pub fn label(&self) -> Option<&str> {
        self.label
    }

    /// The URL the attempt is sent to.
    pub fn url(&self) -> &reqwest::Url {
        self.url
    }

    /// The headers sent besides the client's own (`Content-Type`, `Accept`, and those of the transport).
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers to send: insert a trace header here.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }

    /// The JSON body, with both tokens as `<redacted>` unless the hook [sees tokens](Hook::sees_tokens).
    pub fn body(&self) -> Cow<'_, [u8]> {
        if self.reveal {
            Cow::Borrowed(self.body)
        } else {
            Cow::Owned(redact_bytes(self.body, self.secrets))
        }
    }

    /// The `AccessToken` the attempt is sent with, only for a hook that [sees tokens](Hook::sees_tokens).
    pub fn access_token(&self) -> Option<&AccessToken> {
        self.reveal.then_some(&self.secrets.access_token)
    }
}

/// How an attempt ended, as a [`Hook`] sees it.
pub struct AttemptResponse<'a> {
    pub(crate) info: OperationInfo,
    pub(crate) attempt: u32,
    pub(crate) label: Option<&'a str>,
    pub(crate) elapsed: Duration,
    pub(crate) end: &'a AttemptEnd<'a>,
    pub(crate) secrets: &'a Secrets,
    pub(crate) reveal: bool,
}

/// The end of an attempt.
pub(crate) enum AttemptEnd<'a> {
    Response {
        status: u16,
        headers: &'a HeaderMap,
        body: &'a [u8],
    },
    Failed(String),
    Cancelled,
}

impl fmt::Debug for AttemptResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttemptResponse")
            .field("operation", &self.info.id)
            .field("attempt", &self.attempt)
            .field("label", &self.label)
            .field("elapsed", &self.elapsed)
            .field("status", &self.status())
            .field("failure", &self.failure())
            .finish_non_exhaustive()
    }
}

impl AttemptResponse<'_> {
    /// The operation called.
    pub fn operation(&self) -> OperationInfo {
        self.info
    }

    /// The attempt's number, 1 for the first.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The label of the handle making the call, if any.
    pub fn label(&self) -> Option<&str> {
        self.label
    }

    /// From just before the attempt was sent to its end (the whole body read, or the failure).
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The HTTP status, when a complete response was read.
    pub fn status(&self) -> Option<u16> {
        match &self.end {
            AttemptEnd::Response { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The response headers, when a complete response was read.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match &self.end {
            AttemptEnd::Response { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The response body, when a complete response was read; tokens scrubbed unless the hook
    /// [sees tokens](Hook::sees_tokens).
    pub fn body(&self) -> Option<Cow<'_, [u8]>> {
        match &self.end {
            AttemptEnd::Response { body, .. } if self.reveal => Some(Cow::Borrowed(body)),
            AttemptEnd::Response { body, .. } => Some(Cow::Owned(redact_bytes(body, self.secrets))),
            _ => None,
        }
    }

    /// Why no complete response was read (connection failure, timeout, body over the cap, `cancelled`),
    /// tokens scrubbed.
    pub fn failure(&self) -> Option<&str> {
        match &self.end {
            AttemptEnd::Response { .. } => None,
            AttemptEnd::Failed(message) => Some(message),
            AttemptEnd::Cancelled => Some("cancelled"),
        }
    }

    /// Whether the call's future was dropped during the attempt.
    pub fn cancelled(&self) -> bool {
        matches!(self.end, AttemptEnd::Cancelled)
    }
}

/// `bytes` with both tokens replaced by `<redacted>` (bodies are UTF-8 JSON; anything else is scrubbed as
/// lossy text).
fn redact_bytes(bytes: &[u8], secrets: &Secrets) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    if secrets.contains_token(&text) {
        secrets.redact(&text).into_bytes()
    } else {
        bytes.to_vec()
    }
}

/// The hooks of a client, `Debug` as their number.
#[derive(Clone, Default)]
pub(crate) struct Hooks(pub(crate) Vec<std::sync::Arc<dyn Hook>>);

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::Safety;
    use crate::secret::{ClientToken, REDACTED};

    const INFO: OperationInfo = OperationInfo {
        id: "things/get",
        path: "/things/get",
        safety: Safety::Safe,
        paginated: false,
    };

    #[test]
    fn bodies_are_redacted_unless_the_hook_opts_in() {
        let secrets = Secrets {
            client_token: ClientToken::new("CT-1"),
            access_token: AccessToken::new("AT-1"),
        };
        let url = reqwest::Url::parse("http://127.0.0.1:9/things/get").unwrap();
        let mut headers = HeaderMap::new();
        let body = br#"{"ClientToken":"CT-1","AccessToken":"AT-1","Id":1}"#;
        let mut request = AttemptRequest {
            info: INFO,
            attempt: 1,
            label: None,
            url: &url,
            headers: &mut headers,
            body,
            secrets: &secrets,
            reveal: false,
        };
        assert_eq!(
            &*request.body(),
            format!(r#"{{"ClientToken":"{REDACTED}","AccessToken":"{REDACTED}","Id":1}}"#)
                .as_bytes()
        );
        assert!(request.access_token().is_none());
        assert!(!format!("{request:?}").contains("AT-1"));
        request.reveal = true;
        assert_eq!(&*request.body(), body);
        assert_eq!(
            request.access_token().map(AccessToken::expose),
            Some("AT-1")
        );
        let response = AttemptResponse {
            info: INFO,
            attempt: 2,
            label: Some("hotel"),
            elapsed: Duration::from_millis(3),
            end: &AttemptEnd::Response {
                status: 401,
                headers: &HeaderMap::new(),
                body: br#"{"Message":"Invalid AT-1"}"#,
            },
            secrets: &secrets,
            reveal: false,
        };
        assert_eq!(
            response.body().as_deref(),
            Some(br#"{"Message":"Invalid <redacted>"}"#.as_slice())
        );
        assert_eq!(response.status(), Some(401));
        assert_eq!(response.failure(), None);
    }
}
